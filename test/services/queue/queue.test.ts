import * as cdk from 'aws-cdk-lib';
import {
  Access, CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, Queue, SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { RuntimeStackValidationError } from '../../../lib/core/problems';
import { resource, resources, terraformJson } from '../../engines/terraform/fixtures';
import { nagReportOf } from '../../util/nag';
import { expectRestricted } from '../../util/pod-security';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const SUPPORT = { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

/** An API that sends to a queue and a worker that consumes it and scales on its depth. */
function program(tier: Tier, engine = CloudEngine.CLOUDFORMATION) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier, account: ACCOUNT, region: REGION, engine });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', SUPPORT);
  const jobs = new Queue(env, 'jobs');
  const api = new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
  api.connect(jobs, { access: Access.WRITE });
  const worker = new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0' });
  worker.connect(jobs, { access: Access.READ, scaling: { maxReplicas: 20, messagesPerReplica: 5 } });
  platform.render();
  return { platform, env, cluster, jobs, worker, docs: platform.manifests()['shop/main'] };
}

const named = (docs: any[], kind: string, name: string) => docs.find(d => d.kind === kind && d.metadata.name === name);

describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('Queue in %s (CloudFormation)', tier => {
  const { env, jobs } = program(tier);
  const template = environmentTemplate(env);
  const expected = {
    [Tier.DEVELOPMENT]: { retention: 86_400, receives: 3, policy: 'Delete' },
    [Tier.STAGING]: { retention: 4 * 86_400, receives: 5, policy: 'Delete' },
    [Tier.PRODUCTION]: { retention: 14 * 86_400, receives: 10, policy: 'Retain' },
  }[tier];

  test('the queue: deterministic name, the tier\'s retention, SQS-managed encryption, a dead-letter queue after the tier\'s receives', () => {
    expect(jobs.queueName).toBe('acme-shop-jobs');
    expect(jobs.queueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111111111111/acme-shop-jobs');
    const queues = template.findResources('AWS::SQS::Queue');
    const [main] = Object.entries(queues).filter(([id]) => id.startsWith('jobs6') || id === Object.keys(queues).find(k => (queues[k] as any).Properties.QueueName === 'acme-shop-jobs'));
    const props = (main[1] as any).Properties;
    expect(props).toMatchObject({
      QueueName: 'acme-shop-jobs',
      MessageRetentionPeriod: expected.retention,
      VisibilityTimeout: 30,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: expected.receives },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'acme-shop-jobs-dlq', MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
    // Only this queue may move messages into the dead-letter queue (CT.SQS.PR.1), named by its built ARN (no cycle).
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'acme-shop-jobs-dlq',
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs'] },
    });
    for (const q of Object.values(queues) as any[]) expect(q.DeletionPolicy).toBe(expected.policy);
  });

  test('both queues accept TLS only', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    }
  });

  test('cdk-nag AwsSolutions: no unacknowledged error', () => {
    const report = nagReportOf(env);
    expect(report.violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} at ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('connecting to a Queue', () => {
  const { env, docs } = program(Tier.STAGING);
  const roles = env._engine().intents.filter(i => i.type === 'workload-role').map(i => i.intent as any);
  const roleOf = (namespace: string) => roles.find(r => r.namespace === namespace);

  test('the API may only send, the worker only consume, each on this queue only', () => {
    expect(roleOf('api').statements).toEqual([{
      sid: 'JobsQueueWrite',
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: ['arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs'],
      conditions: undefined,
    }]);
    expect(roleOf('billing').statements).toEqual([{
      sid: 'JobsQueueRead',
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: ['arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs'],
      conditions: undefined,
    }]);
  });

  test('each gets the queue\'s URL and ARN, HTTPS egress and the Pod Identity agent', () => {
    for (const name of ['api', 'billing']) {
      const vars = named(docs, 'Deployment', name).spec.template.spec.containers[0].env;
      expect(vars).toEqual([
        { name: 'JOBS_QUEUE_URL', value: 'https://sqs.eu-west-1.amazonaws.com/111111111111/acme-shop-jobs' },
        { name: 'JOBS_QUEUE_ARN', value: 'arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs' },
        { name: 'AWS_REGION', value: 'eu-west-1' },
        { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' },
      ]);
      const egress = named(docs, 'NetworkPolicy', name).spec.egress;
      expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
      expect(egress).toContainEqual(expect.objectContaining({ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }] }));
    }
  });

  test('the worker scales on the queue\'s depth: a KEDA ScaledObject, no replicas, no CPU autoscaler', () => {
    const scaled = named(docs, 'ScaledObject', 'billing');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'billing' },
      minReplicaCount: 2,
      maxReplicaCount: 20,
      pollingInterval: 30,
      cooldownPeriod: 300,
      triggers: [{
        type: 'aws-sqs-queue',
        authenticationRef: { kind: 'ClusterTriggerAuthentication', name: 'aws-pod-identity' },
        metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/acme-shop-jobs', queueLength: '5', awsRegion: 'eu-west-1' },
      }],
    });
    expect(named(docs, 'Deployment', 'billing').spec.replicas).toBeUndefined();
    expect(docs.filter(d => d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(named(docs, 'ScaledObject', 'api')).toBeUndefined();
  });

  test('SupportServices installs KEDA, whose own role may read the depth of exactly that queue', () => {
    const keda = named(docs, 'Application', 'keda');
    expect(keda.spec.source).toMatchObject({ repoURL: 'https://kedacore.github.io/charts', chart: 'keda', targetRevision: '2.20.2' });
    expect(keda.spec.destination.namespace).toBe('keda');
    // scaledjobs.keda.sh is over the client-side apply limit.
    expect(keda.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(named(docs, 'ClusterTriggerAuthentication', 'aws-pod-identity').spec).toEqual({ podIdentity: { provider: 'aws', identityOwner: 'keda' } });
    expect(roleOf('keda')).toMatchObject({
      serviceAccount: 'keda-operator',
      statements: [{ sid: 'ReadQueueDepth', actions: ['sqs:GetQueueAttributes'], resources: ['arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs'] }],
    });
  });

  test('every object validates against its schema or CRD (KEDA\'s included); pods are restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });
});

describe('Queue on the Terraform engine', () => {
  const cfn = program(Tier.PRODUCTION);
  const tf = program(Tier.PRODUCTION, CloudEngine.TERRAFORM);
  const json = terraformJson(tf.env);

  test('the same intents as CloudFormation', () => {
    expect(tf.env._engine().intents).toEqual(cfn.env._engine().intents);
  });

  test('the queue and its dead-letter queue, SQS-managed encryption, kept in PRODUCTION, TLS-only', () => {
    const main = resource(json, 'aws_sqs_queue', 'jobs/Resource');
    expect(main).toMatchObject({
      name: 'acme-shop-jobs',
      message_retention_seconds: 14 * 86_400,
      visibility_timeout_seconds: 30,
      sqs_managed_sse_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(main.redrive_policy).toMatch(/"deadLetterTargetArn" = aws_sqs_queue\.jobs_DeadLetterQueue_\w+\.arn/);
    expect(main.redrive_policy).toContain('"maxReceiveCount" = 10');
    expect(resource(json, 'aws_sqs_queue', 'jobs/DeadLetterQueue')).toMatchObject({ name: 'acme-shop-jobs-dlq', message_retention_seconds: 14 * 86_400 });
    expect(JSON.parse(resource(json, 'aws_sqs_queue', 'jobs/DeadLetterQueue').redrive_allow_policy)).toEqual({
      redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:eu-west-1:111111111111:acme-shop-jobs'],
    });
    expect(resources(json, 'aws_sqs_queue_policy')).toHaveLength(2);
    for (const p of resources(json, 'aws_sqs_queue_policy')) expect(p.policy).toContain('"aws:SecureTransport" = "false"');
  });

  test('identical Kubernetes YAML', () => {
    expect(tf.platform.manifests()).toEqual(cfn.platform.manifests());
  });
});

describe('FIFO queues', () => {
  test('the name ends in .fifo, so does the dead-letter queue\'s', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    const q = new Queue(env, 'orders', { fifo: true });
    platform.render();
    expect([q.queueName, q.deadLetterQueueName]).toEqual(['acme-dev-orders.fifo', 'acme-dev-orders-dlq.fifo']);
    environmentTemplate(env).hasResourceProperties('AWS::SQS::Queue', { QueueName: 'acme-dev-orders.fifo', FifoQueue: true });
  });
});

function errorsOf(build: (env: Environment, cluster: KubernetesCluster) => void, tier = Tier.DEVELOPMENT): string {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier, account: ACCOUNT, region: REGION });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', SUPPORT);
  build(env, cluster);
  try {
    platform.render();
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeStackValidationError);
    return (e as Error).message;
  }
  return '';
}

describe('bad input', () => {
  const IMAGE = 'ghcr.io/acme/app:1.0.0';
  test.each<[string, (env: Environment, cluster: KubernetesCluster) => void, RegExp]>([
    ['a FIFO queue without .fifo', env => new Queue(env, 'orders', { fifo: true, queueName: 'orders' }),
      /acme\/dev\/orders {2}\[RS802\] queueName: the FIFO queue's name "orders" does not end in "\.fifo": name it "orders\.fifo"/],
    ['.fifo on a standard queue', env => new Queue(env, 'orders', { queueName: 'orders.fifo' }),
      /\[RS802\] queueName: "orders\.fifo" ends in "\.fifo" but the queue is not FIFO/],
    ['a name SQS refuses', env => new Queue(env, 'orders', { queueName: 'orders queue' }),
      /\[RS801\] queueName: "orders queue" is not an SQS queue name/],
    ['maxReceiveCount out of range', env => new Queue(env, 'orders', { maxReceiveCount: 0 }),
      /\[RS805\] maxReceiveCount: 0 is not a whole number from 1 to 1000/],
    ['retention over 14 days', env => new Queue(env, 'orders', { retentionPeriod: cdk.Duration.days(15) }),
      /\[RS803\] retentionPeriod: 15 days is outside 1 minute to 14 days/],
    ['an invalid queue id', env => new Queue(env, 'Orders_Queue'),
      /\[RS002\] id: Queue id "Orders_Queue" is not a lowercase DNS label/],
    ['a queue-depth scaler on a WebApp', (env, cluster) => {
      new WebApp(cluster, 'api', { image: IMAGE, port: 8080 }).connect(new Queue(env, 'jobs'), { scaling: { maxReplicas: 5 } });
    }, /acme\/dev\/main\/api {2}\[RS129\] connections\[0\]\.scaling: a WebApp cannot scale on a connection's backlog/],
    ['scaling on a queue and CPU autoscaling', (env, cluster) => {
      new Worker(cluster, 'billing', { image: IMAGE, autoscaling: { maxReplicas: 4 } }).connect(new Queue(env, 'jobs'), { scaling: { maxReplicas: 5 } });
    }, /\[RS129\] connections\[0\]\.scaling: scaling on a queue and CPU autoscaling are both set/],
    ['scaling on a queue the worker only sends to', (env, cluster) => {
      new Worker(cluster, 'billing', { image: IMAGE }).connect(new Queue(env, 'jobs'), { access: Access.WRITE, scaling: { maxReplicas: 5 } });
    }, /\[RS808\] connections\[0\]: the workload scales on queue acme\/dev\/jobs but may only send to it/],
    ['scaling on a database (it has no backlog)', (env, cluster) => {
      new Worker(cluster, 'billing', { image: IMAGE }).connect(new ManagedPostgres(env, 'db'), { scaling: { maxReplicas: 5 } });
    }, /\[RS131\] connections\[0\]: database acme\/dev\/db has no backlog to scale on/],
    ['a connect option that grants nothing', (env, cluster) => {
      new Worker(cluster, 'billing', { image: IMAGE }).connect(new ManagedPostgres(env, 'db'), { access: Access.READ });
    }, /\[RS131\] connections\[0\]: access has no meaning for database acme\/dev\/db: it would grant nothing: remove access/],
    ['an access that is no Access (JavaScript)', (env, cluster) => {
      new Worker(cluster, 'billing', { image: IMAGE }).connect(new Queue(env, 'jobs'), { access: 'all' as Access });
    }, /\[RS132\] connections\[0\]: "all" is not an Access/],
  ])('%s', (_name, build, expected) => {
    expect(errorsOf(build)).toMatch(expected);
  });

  test('scaling to 1 replica in PRODUCTION', () => {
    expect(errorsOf((env, cluster) => {
      new Worker(cluster, 'billing', { image: 'ghcr.io/acme/app:1.0.0' }).connect(new Queue(env, 'jobs'), { scaling: { maxReplicas: 5, minReplicas: 1 } });
    }, Tier.PRODUCTION)).toMatch(/\[RS108\] connections\[0\]\.scaling\.minReplicas: 1 replica in PRODUCTION/);
  });

  test('a connection across environments', () => {
    const platform = new Platform({ name: 'acme' });
    const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    const cluster = new KubernetesCluster(dev, 'main');
    new Worker(cluster, 'billing', { image: 'ghcr.io/acme/app:1.0.0', connections: [new Queue(prod, 'jobs')] });
    expect(() => platform.render()).toThrow(/\[RS807\] connections\[0\]: acme\/dev\/main\/billing runs in environment "dev" but queue acme\/prod\/jobs is in environment "prod"/);
  });

  test('scaling without SupportServices is the usual unmet need', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    new Worker(new KubernetesCluster(env, 'main'), 'billing', { image: 'ghcr.io/acme/app:1.0.0' }).connect(new Queue(env, 'jobs'), { scaling: { maxReplicas: 5 } });
    expect(() => platform.render()).toThrow(/\[RS030\] event-autoscaling: needs event-autoscaling .*has no SupportServices/);
  });
});
