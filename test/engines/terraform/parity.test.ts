import { Template } from 'aws-cdk-lib/assertions';
import { fullQuickstart, resource, resources, terraformJson } from './fixtures';
import { CloudEngine } from '../../../lib';
import { RecordedIntent, WorkloadRoleIntent } from '../../../lib/engines/engine';
import { POSTGRES_ROTATION_APPLICATION } from '../../../lib/private/catalog';
import { PostgresIntent } from '../../../lib/services/postgres/intent';
import { environmentTemplate } from '../../util/templates';

// GIVEN the whole quickstart (SupportServices, a ManagedPostgres, a WebApp
// with a public host connected to it) rendered with each engine — once for
// the whole file (synthesizing the EKS stack takes seconds).
const cfn = fullQuickstart(CloudEngine.CLOUDFORMATION);
const tf = fullQuickstart(CloudEngine.TERRAFORM);
cfn.platform.render();
tf.platform.render();
const cfnIntents = cfn.prod._engine().intents;
const tfIntents = tf.prod._engine().intents;
let cfnTemplate: Template | undefined;
const template = () => cfnTemplate ??= environmentTemplate(cfn.prod);
const tfJson = terraformJson(tf.prod);

/**
 * The keys Secrets Manager's target attachment adds to an RDS DB instance's
 * secret (AWS::SecretsManager::SecretTargetAttachment, TargetType
 * AWS::RDS::DBInstance).
 */
const ATTACHMENT_KEYS = ['dbInstanceIdentifier', 'engine', 'host', 'port'];

function countByType(intents: RecordedIntent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of intents) counts[i.type] = (counts[i.type] ?? 0) + 1;
  return counts;
}

function actionsPerRole(intents: RecordedIntent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of intents.filter(x => x.type === 'workload-role')) {
    const role = i.intent as WorkloadRoleIntent;
    out[role.roleName] = role.statements.flatMap(s => s.actions).sort();
  }
  return out;
}

/** The one CloudFormation resource of `type`. */
function cfnResource(type: string): any {
  const found = Object.values(template().findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('parity of the CloudFormation and Terraform engines (the full quickstart)', () => {
  test('the engines are the ones asked for', () => {
    expect(cfn.prod._engine().kind).toBe('cloudformation');
    expect(tf.prod._engine().kind).toBe('terraform');
  });

  test('the same intents, by type and count, in the same order, with the same data', () => {
    expect(countByType(tfIntents)).toEqual(countByType(cfnIntents));
    expect(countByType(tfIntents)).toEqual({
      'network': 1, 'cluster': 1, 'addon': 5, 'postgres': 1, 'database-access': 1, 'workload-role': 5, 'log-group': 1,
    });
    expect(tfIntents.map(i => i.type)).toEqual(cfnIntents.map(i => i.type));
    expect(tfIntents).toEqual(cfnIntents);
    expect(tfIntents.find(i => i.type === 'database-access')?.intent).toEqual({ identifier: 'acme-prod-orders-db', source: 'acme-prod-main', port: 5432 });
  });

  test('the same IAM actions per role', () => {
    expect(actionsPerRole(tfIntents)).toEqual(actionsPerRole(cfnIntents));
    expect(Object.keys(actionsPerRole(tfIntents))).toHaveLength(5);
  });

  test('the same private subnet CIDRs, so network policies are the same', () => {
    const cfnNet = cfn.prod._network();
    const tfNet = tf.prod._network();
    expect(tfNet.privateSubnetCidrs).toEqual(cfnNet.privateSubnetCidrs);
    expect(tfNet.privateSubnetCidrs).toEqual(['10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20']);
    // and the same public subnets as CloudFormation's template
    const cfnPublic = Object.values(template().findResources('AWS::EC2::Subnet'))
      .map((r: any) => r.Properties).filter(p => p.Tags.some((t: any) => t.Key === 'kubernetes.io/role/elb')).map(p => p.CidrBlock);
    const tfPublic = resources(tfJson, 'aws_subnet').filter(s => s.tags['kubernetes.io/role/elb'] === '1').map(s => s.cidr_block);
    expect(cfnPublic).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(tfPublic).toEqual(cfnPublic);
    // and neither assigns public IPs on launch
    expect(Object.values(template().findResources('AWS::EC2::Subnet')).map((r: any) => r.Properties.MapPublicIpOnLaunch)).toEqual([false, false, false, false, false, false]);
    expect(resources(tfJson, 'aws_subnet').map(s => s.map_public_ip_on_launch)).toEqual([false, false, false, false, false, false]);
  });

  test('the same resources in both outputs: cluster, node group, add-ons, Pod Identity, log groups, flow log, database', () => {
    const t = template();
    const count = (type: string) => Object.keys(t.findResources(type)).length;
    expect(resources(tfJson, 'aws_eks_cluster')).toHaveLength(1);
    expect(count('AWS::EKS::Nodegroup')).toBe(resources(tfJson, 'aws_eks_node_group').length);
    expect(count('AWS::EKS::Addon')).toBe(resources(tfJson, 'aws_eks_addon').length);
    expect(count('AWS::EKS::PodIdentityAssociation')).toBe(resources(tfJson, 'aws_eks_pod_identity_association').length);
    expect(count('AWS::Logs::LogGroup')).toBe(resources(tfJson, 'aws_cloudwatch_log_group').length);
    expect(count('AWS::EC2::NatGateway')).toBe(resources(tfJson, 'aws_nat_gateway').length);
    expect(count('AWS::EC2::Subnet')).toBe(resources(tfJson, 'aws_subnet').length);
    expect(count('AWS::EC2::FlowLog')).toBe(resources(tfJson, 'aws_flow_log').length);
    expect(count('AWS::RDS::DBInstance')).toBe(resources(tfJson, 'aws_db_instance').length);
    expect(count('AWS::RDS::DBInstance')).toBe(1);
    // Same log group names and retentions.
    const cfnGroups = Object.values(t.findResources('AWS::Logs::LogGroup')).map((r: any) => [r.Properties.LogGroupName, r.Properties.RetentionInDays]).sort();
    const tfGroups = resources(tfJson, 'aws_cloudwatch_log_group').map(g => [g.name, g.retention_in_days]).sort();
    expect(tfGroups).toEqual(cfnGroups);
  });

  test('the same data-safety settings of the database: deletion protection, Multi-AZ, backups, removal', () => {
    const intent = tfIntents.find(i => i.type === 'postgres')!.intent as PostgresIntent;
    const cfnDb = cfnResource('AWS::RDS::DBInstance');
    const tfDb = resource(tfJson, 'aws_db_instance', 'orders-db/Resource');
    const cfnView = {
      identifier: cfnDb.Properties.DBInstanceIdentifier,
      deletionProtection: cfnDb.Properties.DeletionProtection,
      multiAz: cfnDb.Properties.MultiAZ,
      backupDays: cfnDb.Properties.BackupRetentionPeriod,
      encrypted: cfnDb.Properties.StorageEncrypted,
      public: cfnDb.Properties.PubliclyAccessible,
      // A final snapshot on delete and on replacement.
      finalSnapshot: cfnDb.DeletionPolicy === 'Snapshot' || cfnDb.DeletionPolicy === 'Retain',
      kept: cfnDb.DeletionPolicy === 'Retain',
    };
    const tfView = {
      identifier: tfDb.identifier,
      deletionProtection: tfDb.deletion_protection,
      multiAz: tfDb.multi_az,
      backupDays: tfDb.backup_retention_period,
      encrypted: tfDb.storage_encrypted,
      public: tfDb.publicly_accessible,
      finalSnapshot: tfDb.skip_final_snapshot === false && tfDb.final_snapshot_identifier !== undefined,
      kept: intent.removal.resource === 'retain',
    };
    expect(tfView).toEqual(cfnView);
    expect(tfView).toEqual({
      identifier: 'acme-prod-orders-db',
      deletionProtection: true,
      multiAz: true,
      backupDays: 14,
      encrypted: true,
      public: false,
      finalSnapshot: true,
      kept: intent.removal.resource === 'retain',
    });
    // Terraform has no DeletionPolicy: a protected database cannot be destroyed by a plan.
    expect(tfDb.lifecycle.prevent_destroy).toBe(true);
  });

  test('the same credentials secret: name, AWS-managed key, JSON keys; nothing secret in either output', () => {
    // CloudFormation: the generated secret (template keys + the generated key) completed by its target attachment.
    const cfnSecret = cfnResource('AWS::SecretsManager::Secret');
    const generate = cfnSecret.Properties.GenerateSecretString;
    const attachment = cfnResource('AWS::SecretsManager::SecretTargetAttachment');
    expect(attachment.Properties.TargetType).toBe('AWS::RDS::DBInstance');
    const cfnKeys = [...Object.keys(JSON.parse(generate.SecretStringTemplate)), generate.GenerateStringKey, ...ATTACHMENT_KEYS].sort();
    // Terraform: the keys of the jsonencode() the secret version writes.
    const tfSecret = resource(tfJson, 'aws_secretsmanager_secret', 'orders-db/Secret');
    const tfValue = resource(tfJson, 'aws_secretsmanager_secret_version', 'orders-db/SecretValue').secret_string as string;
    const tfKeys = [...tfValue.matchAll(/"(\w+)" = /g)].map(m => m[1]).sort();

    expect(tfKeys).toEqual(cfnKeys);
    expect(tfKeys).toEqual(['dbInstanceIdentifier', 'dbname', 'engine', 'host', 'password', 'port', 'username']);
    expect(tfSecret.name).toBe(cfnSecret.Properties.Name);
    expect(tfSecret.name).toBe('acme/prod/orders-db');
    // Both on the AWS-managed key aws/secretsmanager: the External Secrets role needs no key grant.
    expect(cfnSecret.Properties.KmsKeyId).toBeUndefined();
    expect(tfSecret.kms_key_id).toBeUndefined();
    // The same literal (non-secret) values.
    expect(JSON.parse(generate.SecretStringTemplate)).toEqual({ username: 'dbadmin', dbname: 'orders' });
    expect(tfValue).toContain('"username" = "dbadmin"');
    expect(tfValue).toContain('"dbname" = "orders"');
    // No password in either output: generated by Secrets Manager, or a random_password reference.
    expect(cfnSecret.Properties.SecretString).toBeUndefined();
    expect(tfValue).toMatch(/"password" = random_password\.[\w-]+\.result[,}]/);
  });

  test('every key the ExternalSecret reads is in the secret of both engines', () => {
    const docs = Object.values(tf.platform.manifests()).flat() as any[];
    const externalSecrets = docs.filter(d => d.kind === 'ExternalSecret' && d.spec.data?.some((x: any) => x.remoteRef.key === 'acme/prod/orders-db'));
    expect(externalSecrets).toHaveLength(1);
    const read = externalSecrets[0].spec.data.map((x: any) => x.remoteRef.property).sort();
    const tfValue = resource(tfJson, 'aws_secretsmanager_secret_version', 'orders-db/SecretValue').secret_string as string;
    for (const key of read) {
      expect(tfValue).toContain(`"${key}" = `);
    }
    const generate = cfnResource('AWS::SecretsManager::Secret').Properties.GenerateSecretString;
    const cfnKeys = [...Object.keys(JSON.parse(generate.SecretStringTemplate)), generate.GenerateStringKey, ...ATTACHMENT_KEYS];
    expect(cfnKeys).toEqual(expect.arrayContaining(read));
  });

  test('the same rotation in PRODUCTION: the environment\'s one function, the same SAR application and version, every 30 days', () => {
    const cfnApp = cfnResource('AWS::Serverless::Application');
    const tfApp = resource(tfJson, 'aws_serverlessapplicationrepository_cloudformation_stack', 'Shared/postgres-rotation/Resource');
    expect(cfnApp.Properties.Location).toEqual({
      ApplicationId: POSTGRES_ROTATION_APPLICATION.aws.applicationId,
      SemanticVersion: POSTGRES_ROTATION_APPLICATION.aws.semanticVersion,
    });
    expect({ applicationId: tfApp.application_id, semanticVersion: tfApp.semantic_version }).toEqual(POSTGRES_ROTATION_APPLICATION.aws);
    expect(cfnApp.Properties.Parameters.excludeCharacters).toBe(tfApp.parameters.excludeCharacters);
    expect(cfnApp.Properties.Parameters.functionName).toBe('acme-prod-postgres-rotation');
    expect(tfApp.parameters.functionName).toBe(cfnApp.Properties.Parameters.functionName);
    const schedule = cfnResource('AWS::SecretsManager::RotationSchedule');
    const tfRotation = resources(tfJson, 'aws_secretsmanager_secret_rotation');
    expect(tfRotation).toHaveLength(1);
    expect(schedule.Properties.RotationRules.ScheduleExpression).toBe(`rate(${tfRotation[0].rotation_rules.automatically_after_days} days)`);
  });

  test('identical Kubernetes YAML', () => {
    expect(tf.platform.manifests()).toEqual(cfn.platform.manifests());
    expect(Object.keys(tf.platform.manifests())).toEqual(['prod/main']);
    const kinds = Object.values(tf.platform.manifests()).flat().map((d: any) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ExternalSecret', 'Deployment', 'HTTPRoute', 'NetworkPolicy']));
  });
});
