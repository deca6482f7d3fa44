/**
 * AWS Control Tower's proactive controls (the CloudFormation hooks an
 * organisation can turn on), run offline with AWS's cfn-guard rules on a
 * stack that holds every kind of resource the library makes. Every failure
 * must be one of the documented exceptions (CONTROL_TOWER_EXCEPTIONS in
 * test/util/control-tower.ts, each with its reason), and every exception of
 * the tier must still occur (a fixed one leaves the table).
 */
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Cache, ConcurrencyPolicy, Environment, FargateRuntime, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue,
  ScheduledJob, SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { cfnGuardUnavailable, controlTowerFailures, explainControlTowerFailures } from '../../util/control-tower';
import { environmentTemplate } from '../../util/templates';

const ALL = [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION];
const maybe = cfnGuardUnavailable ? test.skip : test;
if (cfnGuardUnavailable) {
  process.stderr.write(`control-tower.test.ts: skipped (${cfnGuardUnavailable})\n`);
}

function everything(tier: Tier, port?: number) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'ops@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const db = new ManagedPostgres(env, 'orders-db', { port });
  const uploads = new ObjectStore(env, 'uploads');
  const jobs = new Queue(env, 'jobs');
  const sessions = new Cache(env, 'sessions');
  new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', connections: [db, uploads, jobs, sessions] });
  new Worker(cluster, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(jobs, { scaling: { maxReplicas: 4 } });
  // The same on Fargate: an ECS cluster, a load balancer with its log bucket, services and a schedule.
  const fargate = new FargateRuntime(env, 'edge', { domain: 'edge.acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  new WebApp(fargate, 'web', {
    image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'web.edge.acme.example.com', connections: [db, uploads, jobs, sessions],
  });
  new Worker(fargate, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(jobs, { scaling: { minReplicas: 2, maxReplicas: 4 } });
  new ScheduledJob(fargate, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily', concurrencyPolicy: ConcurrencyPolicy.ALLOW });
  platform.render();
  return environmentTemplate(env).toJSON();
}

describe.each(ALL)('AWS Control Tower proactive controls, %s', tier => {
  maybe('every failure is a documented exception, and every exception still occurs', () => {
    const { unexplained, unused } = explainControlTowerFailures(tier, everything(tier));
    expect(unexplained).toEqual([]);
    expect(unused).toEqual([]);
  }, 120_000);
});

maybe('Object Lock on a bucket clears CT.S3.PR.9 for it', () => {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  new ObjectStore(env, 'ledger', { objectLockRetention: s3.ObjectLockRetention.governance(cdk.Duration.days(365)) });
  platform.render();
  const template = environmentTemplate(env).toJSON();
  const locked = Object.entries(template.Resources).find(([, r]: [string, any]) => String(r.Properties?.BucketName).startsWith('acme-shop-ledger-'))![0];
  const failing = controlTowerFailures(template).filter(f => f.resource === locked).map(f => f.control);
  expect(failing).toEqual([]);
  expect(explainControlTowerFailures(Tier.PRODUCTION, template).unexplained).toEqual([]);
});

maybe('a port other than 5432 clears CT.RDS.PR.20', () => {
  const failures = controlTowerFailures(everything(Tier.PRODUCTION, 5433)).map(f => f.control);
  expect(failures).not.toContain('CT.RDS.PR.20');
  expect(failures).toContain('CT.S3.PR.9');
}, 120_000);

maybe('the checker finds what it should (a bare bucket fails the S3 controls)', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'bare');
  new cdk.CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket' });
  const failures = controlTowerFailures(Template.fromStack(stack).toJSON()).map(f => f.control);
  expect(failures).toEqual(expect.arrayContaining(['CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.10', 'CT.S3.PR.11']));
});
