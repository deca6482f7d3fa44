/**
 * The Terraform renderer of `ManagedPostgres` (@cdktf/provider-aws by
 * submodule). Loaded only by the Terraform engine.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ServerlessapplicationrepositoryCloudformationStack } from '@cdktf/provider-aws/lib/serverlessapplicationrepository-cloudformation-stack';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { NetworkSourceIntent, PostgresHandle, PostgresIntent, PostgresRotationFunctionIntent } from './intent';
import { dnsSuffixOf, KEY_DELETION_WINDOW_DAYS } from '../../core/policy';
import type { TerraformContext, TerraformNetwork } from '../../engines/terraform/context';
import { keyPolicy } from '../../engines/terraform/key-policy';
import { RandomPassword } from '../../engines/terraform/random-password';
import { TERRAFORM_RANDOM_PROVIDER_VERSION } from '../../private/catalog';

/**
 * A private, encrypted RDS PostgreSQL instance.
 *
 * Credentials as the CloudFormation engine delivers them: the password
 * is generated (`random_password`, the same length and characters as the
 * CloudFormation secret), set on the instance and written with the
 * connection details into the Secrets Manager secret `intent.secretName`
 * (AWS-managed key `aws/secretsmanager`), with the keys the CloudFormation
 * secret has: engine, host, port, dbname, username, password,
 * dbInstanceIdentifier. The JSON holds only references
 * (`random_password.<name>.result`); the value lives in the Terraform
 * state, which the S3 backend encrypts.
 *
 * What CloudFormation retains (orphans), Terraform refuses to destroy
 * (`prevent_destroy`), except log groups, which it leaves behind
 * (`skip_destroy`).
 */
export function renderPostgres(ctx: TerraformContext, intent: PostgresIntent, network?: TerraformNetwork): PostgresHandle {
  const scope = ctx.scope(intent.scopeId);
  const net = network!;
  const major = intent.engineVersion.split('.')[0];
  const removal = intent.removal;
  const keep = (r: string) => r === 'retain' ? { preventDestroy: true } : undefined;
  const rotate = intent.rotation !== undefined;

  const key = new KmsKey(scope, 'Key', {
    description: `Storage, snapshots and Performance Insights of RDS instance ${intent.identifier}`,
    enableKeyRotation: true,
    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
    policy: keyPolicy(ctx.partition, ctx.account),
    lifecycle: keep(removal.key),
  });
  const subnets = new DbSubnetGroup(scope, 'SubnetGroup', {
    name: intent.identifier,
    description: `Private subnets of RDS instance ${intent.identifier}`,
    subnetIds: net.privateSubnetIds,
  });
  const securityGroup = new SecurityGroup(scope, 'SecurityGroup', {
    name: intent.identifier,
    description: `RDS instance ${intent.identifier}: PostgreSQL from allowed clusters only`,
    vpcId: net.vpcId,
    // No rules inline: ingress comes from admit(), and Terraform removes
    // AWS's default allow-all egress.
    revokeRulesOnDelete: true,
  });
  const parameters = new DbParameterGroup(scope, 'ParameterGroup', {
    name: intent.identifier,
    family: `postgres${major}`,
    description: `Parameters of RDS instance ${intent.identifier}`,
    parameter: Object.entries(intent.parameters).map(([name, value]) => ({ name, value, applyMethod: 'pending-reboot' })),
  });
  // RDS creates these groups with no retention; own them to set one.
  const logGroups = intent.logExports.map(type => new CloudwatchLogGroup(scope, `Logs-${type}`, {
    name: `/aws/rds/instance/${intent.identifier}/${type}`,
    retentionInDays: intent.logRetentionDays,
    kmsKeyId: ctx.logsKeyArn(),
    skipDestroy: removal.logs === 'retain' ? true : undefined,
  }));

  // Database passwords come from the random provider (no configuration),
  // pinned like the AWS provider.
  ctx.requireProvider('random', 'hashicorp/random', TERRAFORM_RANDOM_PROVIDER_VERSION);
  const password = new RandomPassword(scope, 'Password', {
    length: intent.password.length,
    excludeCharacters: intent.password.excludeCharacters,
  });

  // Enhanced monitoring publishes through the environment's role for it.
  // RDS checks the role's permissions when it creates the instance: after its policies.
  const monitoringRole = intent.monitoring ? ctx.serviceRole(intent.monitoring.role) : undefined;

  const protect = removal.resource === 'retain' || intent.deletionProtection;
  const db = new DbInstance(scope, 'Resource', {
    identifier: intent.identifier,
    engine: 'postgres',
    engineVersion: intent.engineVersion,
    instanceClass: `db.${intent.instanceType}`,
    dbName: intent.databaseName,
    port: intent.port,
    iamDatabaseAuthenticationEnabled: intent.iamAuthentication,
    monitoringInterval: intent.monitoring?.intervalSeconds,
    monitoringRoleArn: monitoringRole?.arn,
    username: intent.masterUsername,
    password: password.result,
    allocatedStorage: intent.allocatedStorageGiB,
    // Storage autoscaling only when the ceiling is above the start size.
    maxAllocatedStorage: intent.maxAllocatedStorageGiB > intent.allocatedStorageGiB ? intent.maxAllocatedStorageGiB : undefined,
    storageType: intent.storageType,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    publiclyAccessible: false,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [securityGroup.id],
    parameterGroupName: parameters.name,
    multiAz: intent.multiAz,
    backupRetentionPeriod: intent.backupRetentionDays,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: removal.resource === 'destroy',
    deletionProtection: intent.deletionProtection,
    skipFinalSnapshot: intent.finalSnapshotIdentifier === undefined,
    finalSnapshotIdentifier: intent.finalSnapshotIdentifier,
    autoMinorVersionUpgrade: true,
    enabledCloudwatchLogsExports: intent.logExports,
    performanceInsightsEnabled: intent.performanceInsights,
    performanceInsightsKmsKeyId: intent.performanceInsights ? key.arn : undefined,
    performanceInsightsRetentionPeriod: intent.performanceInsights ? intent.performanceInsightsRetentionDays : undefined,
    dependsOn: [...logGroups, ...monitoringRole?.dependsOn ?? []],
    lifecycle: protect || rotate ? {
      preventDestroy: protect ? true : undefined,
      // Once rotation owns the password, Terraform never sets it again.
      ignoreChanges: rotate ? ['password'] : undefined,
    } : undefined,
  });
  // The connection secret, with the keys of the CloudFormation engine's
  // generated secret (and its AWS-managed key, which the External Secrets
  // role may use without a key grant).
  const secret = new SecretsmanagerSecret(scope, 'Secret', {
    name: intent.secretName,
    description: `Credentials and connection details of RDS instance ${intent.identifier}`,
    recoveryWindowInDays: intent.secretRecoveryDays,
    lifecycle: keep(removal.secret),
  });
  new SecretsmanagerSecretVersion(scope, 'SecretValue', {
    secretId: secret.id,
    secretString: Fn.jsonencode({
      engine: 'postgres',
      host: db.address,
      port: intent.port,
      dbname: intent.databaseName,
      username: intent.masterUsername,
      password: password.result,
      dbInstanceIdentifier: db.identifier,
    }),
    // Rotation writes new versions of the secret; Terraform must not put
    // its own (by then stale) password back.
    lifecycle: rotate ? { ignoreChanges: ['secret_string'] } : undefined,
  });
  if (rotate) {
    rotation(ctx, scope, intent, net, securityGroup, secret);
  }

  return {
    identifier: intent.identifier,
    secretName: intent.secretName,
    port: intent.port,
    admit(source: NetworkSourceIntent) {
      new VpcSecurityGroupIngressRule(scope, `From-${source.key}`, {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: source.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: intent.port,
        toPort: intent.port,
        description: `PostgreSQL from ${source.description}`,
      });
    },
  };
}

/**
 * Rotation of the connection secret by the environment's rotation
 * function (`sharedRotationFunction`): its security group may reach the
 * database, which admits it, and the secret rotates every `days`.
 */
function rotation(
  ctx: TerraformContext, scope: Construct, intent: PostgresIntent, net: TerraformNetwork,
  dbSecurityGroup: SecurityGroup, secret: SecretsmanagerSecret,
): void {
  const r = intent.rotation!;
  const fn = ctx.shared(r.function.key, shared => sharedRotationFunction(ctx, shared, r.function, net));
  const toDatabase = new VpcSecurityGroupEgressRule(scope, 'RotationToDatabase', {
    securityGroupId: fn.securityGroupId,
    referencedSecurityGroupId: dbSecurityGroup.id,
    ipProtocol: 'tcp',
    fromPort: intent.port,
    toPort: intent.port,
    description: `PostgreSQL to RDS instance ${intent.identifier}`,
  });
  const fromRotation = new VpcSecurityGroupIngressRule(scope, 'FromRotation', {
    securityGroupId: dbSecurityGroup.id,
    referencedSecurityGroupId: fn.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: intent.port,
    toPort: intent.port,
    description: `PostgreSQL from the secret rotation function ${r.function.functionName}`,
  });
  new SecretsmanagerSecretRotation(scope, 'SecretRotation', {
    secretId: secret.id,
    rotationLambdaArn: fn.functionArn,
    rotationRules: { automaticallyAfterDays: r.days },
    // The first rotation runs when rotation is set up: once the function may connect.
    dependsOn: [toDatabase, fromRotation],
  });
}

/**
 * The environment's function that rotates PostgreSQL credentials, made
 * with the first rotated database, as the CloudFormation engine makes it:
 * AWS's rotation application for PostgreSQL (single user) from the
 * Serverless Application Repository, deployed as a CloudFormation stack,
 * in the private subnets with a security group of its own: out to the
 * Secrets Manager endpoint and, rule by rule, to the databases it rotates.
 */
function sharedRotationFunction(
  ctx: TerraformContext, scope: Construct, fn: PostgresRotationFunctionIntent, net: TerraformNetwork,
): { functionArn: string; securityGroupId: string } {
  const securityGroup = new SecurityGroup(scope, 'SecurityGroup', {
    // A security group's name is unique in its VPC, and a database's is
    // its identifier (`<platform>-<environment>-<id>`): a dot, which no
    // identifier has, keeps a database named `postgres-rotation` apart.
    name: `${fn.functionName}.function`,
    description: fn.description,
    vpcId: net.vpcId,
    revokeRulesOnDelete: true,
  });
  new VpcSecurityGroupEgressRule(scope, 'ToSecretsManager', {
    securityGroupId: securityGroup.id,
    cidrIpv4: '0.0.0.0/0',
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    description: 'HTTPS to the Secrets Manager endpoint (through the NAT gateway)',
  });
  const stack = new ServerlessapplicationrepositoryCloudformationStack(scope, 'Resource', {
    name: fn.functionName,
    applicationId: fn.applicationId,
    semanticVersion: fn.semanticVersion,
    capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'],
    parameters: {
      endpoint: `https://secretsmanager.${ctx.region}.${dnsSuffixOf(ctx.partition)}`,
      functionName: fn.functionName,
      vpcSubnetIds: Fn.join(',', net.privateSubnetIds),
      vpcSecurityGroupIds: securityGroup.id,
      excludeCharacters: fn.excludeCharacters,
    },
  });
  return { functionArn: stack.outputs.lookup('RotationLambdaARN'), securityGroupId: securityGroup.id };
}
