import { CloudEngine, Environment, KubernetesCluster, Platform, Tier, Worker } from '../../lib';
import { tierTableRows } from '../../lib/core/tier-table';
import { resources, terraformJson } from '../engines/terraform/fixtures';
// The one export line a new service adds (lib/index.ts: `export * from './services/<service>'`).
import { Queue } from '../fixtures/services/queue';
import { nagReportOf } from '../util/nag';
import { environmentTemplate } from '../util/templates';

/**
 * Adding a managed service is one folder plus one export line: the
 * TEST-ONLY queue in test/fixtures/services/queue (construct, tier
 * defaults, intent, CloudFormation renderer, Terraform renderer, connection
 * binding) renders on both engines and wires into workloads without any
 * engine, runtime or core file knowing it.
 */
function program(engine: CloudEngine) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine });
  const cluster = new KubernetesCluster(env, 'main');
  const queue = new Queue(env, 'jobs');
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [queue] });
  platform.render();
  return { platform, env };
}

describe.each([CloudEngine.CLOUDFORMATION, CloudEngine.TERRAFORM])('a service from its own folder (%s)', engine => {
  const { platform, env } = program(engine);
  const docs = platform.manifests()['dev/main'];

  test('renders with its renderer for the engine, recorded as its intent', () => {
    expect(env._engine().intents.find(i => i.type === 'queue')?.intent).toEqual({ scopeId: 'jobs', name: 'acme-dev-jobs', retentionSeconds: 86_400, removal: 'destroy' });
    if (engine === CloudEngine.CLOUDFORMATION) {
      environmentTemplate(env).hasResourceProperties('AWS::SQS::Queue', { QueueName: 'acme-dev-jobs', MessageRetentionPeriod: 86_400, SqsManagedSseEnabled: true });
    } else {
      expect(resources(terraformJson(env), 'aws_sqs_queue')).toEqual([expect.objectContaining({ name: 'acme-dev-jobs', message_retention_seconds: 86_400 })]);
    }
  });

  test('its connection gives the workload an identity with the queue\'s permissions, the URL and egress', () => {
    const pod = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'billing').spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'JOBS_URL', value: 'https://sqs.eu-west-1.amazonaws.com/111111111111/acme-dev-jobs' },
      { name: 'AWS_REGION', value: 'eu-west-1' },
      { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' },
    ]);
    const statements = env._engine().intents.filter(i => i.type === 'workload-role').map(i => (i.intent as any).statements);
    expect(statements).toEqual([[{
      sid: 'SendAndReceive',
      actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: ['arn:aws:sqs:eu-west-1:111111111111:acme-dev-jobs'],
      conditions: undefined,
    }]]);
  });

  test('its tier defaults join the tier table', () => {
    expect(tierTableRows().find(r => r.label === 'TEST-ONLY queue retention (days)')?.value(Tier.PRODUCTION)).toBe('14');
  });
});

test('the service is cdk-nag clean on its own acknowledgements', () => {
  const { env } = program(CloudEngine.CLOUDFORMATION);
  const report = nagReportOf(env);
  expect(report.violations.filter(v => v.severity === 'error').map(v => v.ruleName)).toEqual([]);
});
