/**
 * Every log group of an environment is encrypted with one KMS key the
 * environment owns, whose policy lets CloudWatch Logs of that account and
 * region (and no other) use it: AWS Control Tower CT.CLOUDWATCH.PR.3 and
 * CT.KMS.PR.3, the same in both engines.
 */
import { Cache, CloudEngine, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Tier } from '../../lib';
import { resource, resources, terraformJson } from './terraform/fixtures';
import { environmentTemplate } from '../util/templates';

function program(engine: CloudEngine, tier: Tier, region = 'eu-west-1') {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', {
    tier,
    account: '111111111111',
    region,
    engine,
    ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
  });
  new KubernetesCluster(env, 'main');
  new ManagedPostgres(env, 'orders-db');
  // Their keys too must limit grants.
  new ObjectStore(env, 'uploads');
  new Cache(env, 'sessions');
  platform.render();
  return env;
}

const GRANTS_FOR_AWS_ONLY = {
  Sid: 'DenyGrantsExceptForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

function logsStatement(region: string, suffix = 'amazonaws.com', partition = 'aws') {
  return {
    Sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.${suffix}` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:111111111111:log-group:*` } },
  };
}

describe.each([Tier.DEVELOPMENT, Tier.PRODUCTION])('the logs key in %s', tier => {
  const retained = tier === Tier.PRODUCTION;

  test('CloudFormation: one key, its alias, every log group encrypted with it; kept when the tier keeps data', () => {
    const template = environmentTemplate(program(CloudEngine.CLOUDFORMATION, tier)).toJSON();
    const keys = Object.entries(template.Resources).filter(([id, r]: [string, any]) => r.Type === 'AWS::KMS::Key' && id.startsWith('logsKey')) as [string, any][];
    expect(keys).toHaveLength(1);
    const [[keyId, key]] = keys;
    expect(key.DeletionPolicy).toBe(retained ? 'Retain' : 'Delete');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([GRANTS_FOR_AWS_ONLY, logsStatement('eu-west-1')]));
    const alias = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::KMS::Alias' && r.Properties.AliasName === 'alias/acme/shop/logs') as any;
    expect(alias.Properties.TargetKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const groups = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Logs::LogGroup') as any[];
    expect(groups.map(g => g.Properties.LogGroupName).sort()).toEqual([
      '/aws/eks/acme-shop-main/cluster', '/aws/rds/instance/acme-shop-orders-db/postgresql', '/aws/rds/instance/acme-shop-orders-db/upgrade', '/vpc/acme-shop/flow-logs',
    ]);
    for (const g of groups) expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    // Every other key of the stack limits grants too.
    const allKeys = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::KMS::Key') as any[];
    expect(allKeys).toHaveLength(5); // logs, cluster secrets, database, bucket, cache
    for (const k of allKeys) {
      expect(k.Properties.KeyPolicy.Statement).toContainEqual(GRANTS_FOR_AWS_ONLY);
    }
  });

  test('Terraform: the same key policy, alias and encryption', () => {
    const json = terraformJson(program(CloudEngine.TERRAFORM, tier));
    const key = resource(json, 'aws_kms_key', 'logs/Key');
    expect(key.lifecycle).toEqual(retained ? { prevent_destroy: true } : undefined);
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.parse(key.policy).Statement).toEqual([
      { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
      GRANTS_FOR_AWS_ONLY,
      logsStatement('eu-west-1'),
    ]);
    expect(resource(json, 'aws_kms_alias', 'logs/Alias')).toMatchObject({ name: 'alias/acme/shop/logs' });
    const groups = resources(json, 'aws_cloudwatch_log_group');
    expect(groups).toHaveLength(4);
    for (const g of groups) expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\.logs_Key_\w+\.arn\}$/);
    const keys = resources(json, 'aws_kms_key');
    expect(keys).toHaveLength(5); // logs, cluster secrets, database, bucket, cache
    for (const k of keys) expect(JSON.parse(k.policy).Statement).toContainEqual(GRANTS_FOR_AWS_ONLY);
  });
});

test('in another partition the service principal and the ARN follow it', () => {
  const template = environmentTemplate(program(CloudEngine.CLOUDFORMATION, Tier.DEVELOPMENT, 'cn-north-1')).toJSON();
  const key = Object.entries(template.Resources).find(([id]) => id.startsWith('logsKey'))![1] as any;
  expect(key.Properties.KeyPolicy.Statement).toContainEqual(logsStatement('cn-north-1', 'amazonaws.com.cn', 'aws-cn'));
  const json = terraformJson(program(CloudEngine.TERRAFORM, Tier.DEVELOPMENT, 'cn-north-1'));
  expect(JSON.parse(resource(json, 'aws_kms_key', 'logs/Key').policy).Statement).toContainEqual(logsStatement('cn-north-1', 'amazonaws.com.cn', 'aws-cn'));
});

test('an environment without log groups has no logs key', () => {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
  KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy' });
  platform.render();
  expect(environmentTemplate(env).findResources('AWS::KMS::Key')).toEqual({});
});
