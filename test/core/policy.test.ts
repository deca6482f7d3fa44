import * as cdk from 'aws-cdk-lib';
import {
  CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp,
} from '../../lib';
import { CLOUDWATCH_RETENTION_DAYS, cloudWatchRetention, partitionOf, statefulRemoval } from '../../lib/core/policy';
import { DataRemoval } from '../../lib/core/tier';
import { resources, terraformJson } from '../engines/terraform/fixtures';
import { environmentTemplate } from '../util/templates';

describe('the decisions made once for every engine', () => {
  test('stateful removal: key and secret outlive the data unless it is destroyed; logs stay only with a retained resource', () => {
    expect(statefulRemoval(DataRemoval.DESTROY)).toEqual({ resource: 'destroy', key: 'destroy', secret: 'destroy', logs: 'destroy' });
    expect(statefulRemoval(DataRemoval.SNAPSHOT)).toEqual({ resource: 'snapshot', key: 'retain', secret: 'retain', logs: 'destroy' });
    expect(statefulRemoval(DataRemoval.RETAIN)).toEqual({ resource: 'retain', key: 'retain', secret: 'retain', logs: 'retain' });
  });

  test('retention: the values CloudWatch accepts come back unchanged; others round up', () => {
    for (const days of CLOUDWATCH_RETENTION_DAYS) expect(cloudWatchRetention(days)).toBe(days);
    expect(cloudWatchRetention(8)).toBe(14);
    expect(cloudWatchRetention(1000)).toBe(1096);
    expect(cloudWatchRetention(100000)).toBe(3653);
    // Every value aws-cdk-lib's enum knows (but INFINITE), and no other.
    const typed = Object.values(cdk.aws_logs.RetentionDays)
      .filter((v): v is number => typeof v === 'number' && v > 0 && v !== cdk.aws_logs.RetentionDays.INFINITE).sort((a, b) => a - b);
    expect([...CLOUDWATCH_RETENTION_DAYS]).toEqual(typed);
  });

  test('partition of a region', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});

/** A platform whose SupportServices has container logs kept `days`. */
function withLogRetention(engine: CloudEngine, days: number) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine });
  const cluster = KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy-eks' });
  const support = new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', logs: { retentionDays: days } });
  Platform.acknowledgeWarning(support, 'RS521', 'test program');
  return { platform, env };
}

function writtenRetention(engine: CloudEngine, days: number): number {
  const { platform, env } = withLogRetention(engine, days);
  platform.render();
  if (engine === CloudEngine.CLOUDFORMATION) {
    const groups = Object.values(environmentTemplate(env).findResources('AWS::Logs::LogGroup')) as any[];
    expect(groups).toHaveLength(1);
    return groups[0].Properties.RetentionInDays;
  }
  const groups = resources(terraformJson(env), 'aws_cloudwatch_log_group');
  expect(groups).toHaveLength(1);
  return groups[0].retention_in_days;
}

describe('retention: validation accepts exactly the values both engines write', () => {
  test.each([1, 30, 365, 1096, 1827, 3653])('logs.retentionDays: %d is written unchanged by both engines', days => {
    expect(writtenRetention(CloudEngine.CLOUDFORMATION, days)).toBe(days);
    expect(writtenRetention(CloudEngine.TERRAFORM, days)).toBe(days);
  });

  test('every accepted value passes validation', () => {
    for (const days of CLOUDWATCH_RETENTION_DAYS) {
      expect(() => withLogRetention(CloudEngine.CLOUDFORMATION, days).platform.render()).not.toThrow();
    }
  });

  test.each([0, 2, 10, 366, 1000, 4000])('logs.retentionDays: %d is refused (RS507)', days => {
    expect(() => withLogRetention(CloudEngine.CLOUDFORMATION, days).platform.render()).toThrow(/\[RS507\] logs\.retentionDays/);
  });
});

/** Every ARN string anywhere in `value`. */
function arnsIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/arn:[a-z-]+:[^"\s,]*/g)].map(m => m[0]);
  if (Array.isArray(value)) return value.flatMap(arnsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(arnsIn);
  return [];
}

function partitionProgram(engine: CloudEngine, region: string) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region, engine });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const db = new ManagedPostgres(env, 'orders-db');
  new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.acme.example.com', connections: [db] });
  platform.render();
  return env;
}

describe.each([['cn-north-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov']])('partition: ARNs in %s use %s', (region, partition) => {
  test('in every IAM policy of the CloudFormation engine', () => {
    const template = environmentTemplate(partitionProgram(CloudEngine.CLOUDFORMATION, region));
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p: any) => p.Properties.PolicyDocument);
    expect(policies.length).toBeGreaterThanOrEqual(5);
    const arns = arnsIn(policies);
    expect(arns.length).toBeGreaterThan(5);
    expect(arns.filter(a => !a.startsWith(`arn:${partition}:`))).toEqual([]);
  });

  test('in every IAM policy of the Terraform engine', () => {
    const json = terraformJson(partitionProgram(CloudEngine.TERRAFORM, region));
    const documents = [...resources(json, 'aws_iam_role_policy').map(p => JSON.parse(p.policy)),
      ...resources(json, 'aws_iam_role_policy_attachment').map(p => p.policy_arn)];
    expect(documents.length).toBeGreaterThanOrEqual(5);
    const arns = arnsIn(documents).filter(a => !a.startsWith('arn:${')); // references resolve to the partition's ARNs
    expect(arns.length).toBeGreaterThan(5);
    expect(arns.filter(a => !a.startsWith(`arn:${partition}:`))).toEqual([]);
  });
});
