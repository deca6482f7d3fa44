import * as cdk from 'aws-cdk-lib';
import {
  Cache, CloudEngine, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue, SupportServices, Tier, WebApp, Worker,
} from '../../lib';
import { terraformJson } from './terraform/fixtures';

/**
 * Per tier, the same program on both engines: every stateful resource, and
 * the key, secret and logs its data depends on, leaves the stack the same
 * way (destroyed, snapshotted or kept), with the same log retention.
 */

type Removal = 'destroy' | 'snapshot' | 'retain';

/** The same program as the quickstart, in `tier`, on `engine`, plus a worker sharing the database. */
function program(engine: CloudEngine, tier: Tier) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', {
    tier,
    account: '111111111111',
    region: 'eu-west-1',
    engine,
    ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
  });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const db = new ManagedPostgres(env, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'test program');
  const uploads = new ObjectStore(env, 'uploads');
  const jobs = new Queue(env, 'jobs');
  const sessions = new Cache(env, 'sessions');
  new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.acme.example.com', connections: [db, uploads, jobs, sessions] });
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:3.1.0', connections: [db, uploads] }).connect(jobs, { scaling: { maxReplicas: 5 } });
  platform.render();
  return env;
}

/** Engine-neutral name of a resource: its construct path below the stack, as both engines build it. */
function element(path: string): string {
  return path.split('/').slice(1).join('/')
    // aws-cdk-lib's L2 constructs put their resource one level down.
    .replace(/(\/Resource)+$/, '')
    .replace(/^orders-db\/Resource\/Secret$/, 'orders-db/Secret')
    .replace(/\/LogGroup$/, '');
}

const CFN_TYPES: Record<string, string> = {
  'AWS::RDS::DBInstance': 'database',
  'AWS::KMS::Key': 'key',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::Logs::LogGroup': 'logs',
  'AWS::S3::Bucket': 'bucket',
  'AWS::SQS::Queue': 'queue',
  'AWS::ElastiCache::ReplicationGroup': 'cache',
};
const TF_TYPES: Record<string, string> = {
  aws_db_instance: 'database',
  aws_kms_key: 'key',
  aws_secretsmanager_secret: 'secret',
  aws_cloudwatch_log_group: 'logs',
  aws_s3_bucket: 'bucket',
  aws_sqs_queue: 'queue',
  aws_elasticache_replication_group: 'cache',
};

interface Fate {
  readonly kind: string;
  readonly removal: Removal;
  readonly retentionDays?: number;
}

/** CloudFormation: DeletionPolicy (none means Delete). */
function cloudFormationFates(env: Environment): Record<string, Fate> {
  const out: Record<string, Fate> = {};
  for (const c of env.stacks.flatMap(stack => stack.node.findAll())) {
    if (!cdk.CfnResource.isCfnResource(c) || !(c.cfnResourceType in CFN_TYPES)) continue;
    const policy = c.cfnOptions.deletionPolicy;
    const removal: Removal = policy === cdk.CfnDeletionPolicy.RETAIN ? 'retain' : policy === cdk.CfnDeletionPolicy.SNAPSHOT ? 'snapshot' : 'destroy';
    const props = (c as any)._cfnProperties ?? {};
    out[element(c.node.path)] = { kind: CFN_TYPES[c.cfnResourceType], removal, retentionDays: props.retentionInDays };
  }
  return out;
}

/**
 * Terraform has no DeletionPolicy: what CloudFormation keeps, Terraform
 * refuses to destroy (`prevent_destroy`) or, for log groups, leaves behind
 * (`skip_destroy`); a database is snapshotted when it does not skip its
 * final snapshot.
 */
function terraformFates(env: Environment): Record<string, Fate> {
  const json = terraformJson(env);
  const out: Record<string, Fate> = {};
  for (const [type, kind] of Object.entries(TF_TYPES)) {
    for (const r of Object.values(json.resource[type] ?? {}) as any[]) {
      let removal: Removal = r.lifecycle?.prevent_destroy || r.skip_destroy ? 'retain' : 'destroy';
      if (kind === 'database' && removal === 'destroy' && r.skip_final_snapshot === false) removal = 'snapshot';
      if (kind === 'cache' && removal === 'destroy' && r.final_snapshot_identifier !== undefined) removal = 'snapshot';
      out[element(r['//'].metadata.path)] = { kind, removal, retentionDays: r.retention_in_days };
    }
  }
  return out;
}

describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('parity of the engines in %s', tier => {
  const cfn = program(CloudEngine.CLOUDFORMATION, tier);
  const tf = program(CloudEngine.TERRAFORM, tier);
  const cfnFates = cloudFormationFates(cfn);
  const tfFates = terraformFates(tf);

  test('the same intents, in the same order', () => {
    expect(tf._engine().intents).toEqual(cfn._engine().intents);
  });

  test('every stateful resource, key, secret and log group leaves the stack the same way in both engines', () => {
    expect(Object.keys(tfFates).sort()).toEqual(Object.keys(cfnFates).sort());
    expect(tfFates).toEqual(cfnFates);
    // What is compared: the database, its key, secret and two log groups, the
    // cluster's key and control-plane logs, the VPC flow logs, the container logs.
    expect(Object.keys(cfnFates).sort()).toEqual([
      'jobs', 'jobs/DeadLetterQueue', 'logs/Key', 'main-container-logs', 'main/ControlPlaneLogs', 'main/SecretsKey', 'network/FlowLogs',
      'orders-db', 'orders-db/Key', 'orders-db/Logs-postgresql', 'orders-db/Logs-upgrade', 'orders-db/Secret',
      's3-access-logs', 'sessions', 'sessions/Endpoint', 'sessions/Key', 'sessions/Token', 'uploads', 'uploads/Key',
    ]);
  });

  test('the database\'s key and secret outlive it unless its data is destroyed; its logs stay only with it', () => {
    const database = cfnFates['orders-db'].removal;
    const expected: Record<Tier, Removal> = { [Tier.DEVELOPMENT]: 'destroy', [Tier.STAGING]: 'snapshot', [Tier.PRODUCTION]: 'retain' };
    expect(database).toBe(expected[tier]);
    const keep = database === 'destroy' ? 'destroy' : 'retain';
    for (const fates of [cfnFates, tfFates]) {
      expect(fates['orders-db/Key'].removal).toBe(keep);
      expect(fates['orders-db/Secret'].removal).toBe(keep);
      expect(fates['orders-db/Logs-postgresql'].removal).toBe(database === 'retain' ? 'retain' : 'destroy');
      // A bucket cannot be snapshotted: kept unless destroyed, with its key; queues only in PRODUCTION.
      expect([fates.uploads.removal, fates['uploads/Key'].removal]).toEqual([keep, keep]);
      expect(fates.jobs.removal).toBe(database === 'retain' ? 'retain' : 'destroy');
      // A cache is snapshotted like the database; its key and secrets outlive it unless destroyed.
      expect(fates.sessions.removal).toBe(database);
      expect([fates['sessions/Key'], fates['sessions/Token'], fates['sessions/Endpoint']].map(f => f.removal)).toEqual([keep, keep, keep]);
      // The cluster's envelope key protects only secrets that end with the cluster.
      expect(fates['main/SecretsKey'].removal).toBe('destroy');
    }
  });

  test('log groups keep the tier\'s retention in both engines', () => {
    const days = { [Tier.DEVELOPMENT]: 7, [Tier.STAGING]: 30, [Tier.PRODUCTION]: 365 }[tier];
    const groups = Object.values(cfnFates).filter(f => f.kind === 'logs');
    expect(groups.map(g => g.retentionDays)).toEqual(groups.map(() => days));
  });

  test('identical Kubernetes YAML', () => {
    expect(tf.platform.manifests()).toEqual(cfn.platform.manifests());
  });
});
