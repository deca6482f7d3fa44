import { Template } from 'aws-cdk-lib/assertions';
import { Cache, CloudEngine, Environment, ManagedPostgres, ObjectStore, Platform, Queue, StackGroup, Tier } from '../../lib';
import { terraformJson } from '../engines/terraform/fixtures';

/**
 * Guard: what holds data keeps its CloudFormation logical id and its
 * Terraform address. A change here replaces (or orphans and recreates) a
 * bucket, a queue or a cache of every user: never update these lists to
 * make a change pass; keep the construct ids under the service's scope.
 */
const STATEFUL = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::ElastiCache::ReplicationGroup', 'AWS::SecretsManager::Secret'];
const TF_STATEFUL = ['aws_s3_bucket', 'aws_kms_key', 'aws_sqs_queue', 'aws_elasticache_replication_group', 'aws_secretsmanager_secret'];

/** A PRODUCTION environment `acme/prod` in `engine` (Terraform with an S3 backend). */
function prodEnvironment(engine: CloudEngine) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: '111111111111',
    region: 'eu-west-1',
    engine,
    ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
  });
  return { platform, env };
}

function program(engine: CloudEngine, reordered = false, grouped = false) {
  const { platform, env } = prodEnvironment(engine);
  const stackGroup = grouped ? new StackGroup(env, 'data') : undefined;
  const declare = [
    () => new ObjectStore(env, 'uploads', { stackGroup }), () => new Queue(env, 'jobs', { stackGroup }), () => new Cache(env, 'sessions', { stackGroup }),
  ];
  (reordered ? declare.reverse() : declare).forEach(d => d());
  platform.render();
  return env;
}

/** `<type> <stack> <logical id>` of every stateful resource: the stack is part of a resource's identity too. */
function cloudFormationIds(reordered = false, grouped = false): string[] {
  return program(CloudEngine.CLOUDFORMATION, reordered, grouped).stacks.flatMap(stack => {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    return Object.entries(resources).filter(([, r]) => STATEFUL.includes(r.Type)).map(([id, r]) => `${r.Type} ${stack.stackName} ${id}`);
  }).sort();
}

function terraformAddresses(reordered = false): string[] {
  const json = terraformJson(program(CloudEngine.TERRAFORM, reordered));
  return TF_STATEFUL.flatMap(type => Object.keys(json.resource[type] ?? {}).map(name => `${type}.${name}`)).sort();
}

test('buckets, queues and caches keep their CloudFormation logical ids', () => {
  expect(cloudFormationIds()).toEqual([
    // Each service in a stack of its own (issue 11, before any release); logical ids as in one stack.
    'AWS::ElastiCache::ReplicationGroup acme-prod-sessions sessions6DDB0D3F',
    // The environment's key for log groups (here the VPC flow logs'): added with the Control Tower work, nothing moved.
    'AWS::KMS::Key acme-prod logsKeyFF2E0E26',
    'AWS::KMS::Key acme-prod-sessions sessionsKey0F845BC2',
    'AWS::KMS::Key acme-prod-uploads uploadsKeyB985487E',
    // The access-log bucket is the environment's, in the foundation.
    'AWS::S3::Bucket acme-prod s3accesslogsC35262A1',
    'AWS::S3::Bucket acme-prod-uploads uploads1270CD90',
    'AWS::SQS::Queue acme-prod-jobs jobs852CD251',
    'AWS::SQS::Queue acme-prod-jobs jobsDeadLetterQueue072F45FB',
    'AWS::SecretsManager::Secret acme-prod-sessions sessionsEndpointFAA293DD',
    'AWS::SecretsManager::Secret acme-prod-sessions sessionsToken34E3B847',
  ]);
});

test('and their Terraform addresses', () => {
  expect(terraformAddresses()).toEqual([
    'aws_elasticache_replication_group.sessions_6DDB0D3F',
    'aws_kms_key.logs_Key_BCE1D2AB',
    'aws_kms_key.sessions_Key_131A1530',
    'aws_kms_key.uploads_Key_094179A4',
    'aws_s3_bucket.s3-access-logs_F93825E5',
    'aws_s3_bucket.uploads_C5D9E923',
    'aws_secretsmanager_secret.sessions_Endpoint_FAA293DD',
    'aws_secretsmanager_secret.sessions_Token_0723F5D4',
    'aws_sqs_queue.jobs_4843572F',
    'aws_sqs_queue.jobs_DeadLetterQueue_48533778',
  ]);
});

test('declaring them in another order changes no id', () => {
  expect(cloudFormationIds(true)).toEqual(cloudFormationIds());
  expect(terraformAddresses(true)).toEqual(terraformAddresses());
});

test('in a stack group, the same logical ids, in the group\'s stack', () => {
  expect(cloudFormationIds(false, true)).toEqual([
    'AWS::ElastiCache::ReplicationGroup acme-prod-data sessions6DDB0D3F',
    'AWS::KMS::Key acme-prod logsKeyFF2E0E26',
    'AWS::KMS::Key acme-prod-data sessionsKey0F845BC2',
    'AWS::KMS::Key acme-prod-data uploadsKeyB985487E',
    'AWS::S3::Bucket acme-prod s3accesslogsC35262A1',
    'AWS::S3::Bucket acme-prod-data uploads1270CD90',
    'AWS::SQS::Queue acme-prod-data jobs852CD251',
    'AWS::SQS::Queue acme-prod-data jobsDeadLetterQueue072F45FB',
    'AWS::SecretsManager::Secret acme-prod-data sessionsEndpointFAA293DD',
    'AWS::SecretsManager::Secret acme-prod-data sessionsToken34E3B847',
  ]);
  expect(cloudFormationIds(true, true)).toEqual(cloudFormationIds(false, true));
});

test('a PRODUCTION database keeps its logical ids in a stack of its own and in a stack group', () => {
  const ids = (grouped: boolean) => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    Platform.acknowledgeWarning(new ManagedPostgres(env, 'orders-db', { stackGroup: grouped ? new StackGroup(env, 'data') : undefined }), 'RS315', 'test');
    platform.render();
    return env.stacks.slice(1).flatMap(stack => Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
      .filter(([, r]) => ['AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup'].includes(r.Type))
      .map(([id, r]) => `${r.Type} ${stack.stackName} ${id}`)).sort();
  };
  expect(ids(false)).toEqual([
    'AWS::KMS::Key acme-prod-orders-db ordersdbKeyAD8EFF10',
    'AWS::Logs::LogGroup acme-prod-orders-db ordersdbLogspostgresql8B8353D1',
    'AWS::Logs::LogGroup acme-prod-orders-db ordersdbLogsupgradeE8AF7EBF',
    'AWS::RDS::DBInstance acme-prod-orders-db ordersdb26513815',
    'AWS::SecretsManager::Secret acme-prod-orders-db acmeprodordersdbSecret4FF4D1033fdaad7efa858a3daf9490cf0a702aeb',
  ]);
  expect(ids(true)).toEqual(ids(false).map(line => line.replace(' acme-prod-orders-db ', ' acme-prod-data ')));
});

test('the environment\'s enhanced-monitoring role keeps its logical id and address (a named role: a new id could never be created beside the old)', () => {
  const roles = (engine: CloudEngine) => {
    const { platform, env } = prodEnvironment(engine);
    ['orders-db', 'ledger-db'].forEach(id => Platform.acknowledgeWarning(new ManagedPostgres(env, id), 'RS315', 'test'));
    platform.render();
    return env;
  };
  const foundation = Template.fromStack(roles(CloudEngine.CLOUDFORMATION).stack).toJSON().Resources as Record<string, any>;
  expect(Object.entries(foundation).filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'acme-prod-rds-monitoring-role')
    .map(([id]) => id)).toEqual(['ServiceRolesrdsenhancedmonitoring2FA490D7']);
  const json = terraformJson(roles(CloudEngine.TERRAFORM));
  expect(Object.entries<any>(json.resource.aws_iam_role).filter(([, r]) => r.name === 'acme-prod-rds-monitoring-role')
    .map(([name]) => `aws_iam_role.${name}`)).toEqual(['aws_iam_role.ServiceRoles_rds-enhanced-monitoring_2FA490D7']);
});
