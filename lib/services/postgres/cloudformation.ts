import { createHash } from 'crypto';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { NetworkSourceIntent, PostgresHandle, PostgresIntent } from './intent';
import { CloudFormationContext, CloudFormationNetwork, guardKeyGrants, removalPolicyOf, retentionDaysOf, uniqueIdInFoundation } from '../../engines/cloudformation/context';
import { acknowledge, managedPolicyFinding } from '../../engines/cloudformation/nag';

/** The CloudFormation handle of a database: the L2 constructs, for escape hatches. */
export interface CloudFormationPostgres extends PostgresHandle {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly key: kms.Key;
}

/**
 * A PostgreSQL instance with aws-cdk-lib. Construct ids under the
 * database's scope are part of the logical ids of stateful resources:
 * `Resource` (the instance), `Resource/Secret` (its secret) and `Key` (its
 * KMS key) must never change.
 */
export function renderPostgres(ctx: CloudFormationContext, intent: PostgresIntent, network?: CloudFormationNetwork): CloudFormationPostgres {
  const scope = ctx.scope(intent.scopeId);
  const vpc = network!.vpc;

  const key = guardKeyGrants(new kms.Key(scope, 'Key', {
    description: `Encryption of PostgreSQL instance ${intent.identifier} (storage, snapshots, Performance Insights)`,
    enableKeyRotation: true,
    removalPolicy: removalPolicyOf(intent.removal.key),
  }));

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `PostgreSQL instance ${intent.identifier}: admits connected clusters on port ${intent.port}`,
    allowAllOutbound: false,
  });

  const engine = rds.DatabaseInstanceEngine.postgres({ version: postgresVersion(intent.engineVersion) });
  const parameterGroup = new rds.ParameterGroup(scope, 'Parameters', {
    engine,
    description: `Parameters of PostgreSQL instance ${intent.identifier}`,
    parameters: intent.parameters,
  });

  // RDS creates these groups itself, with no retention; own them to set one.
  const logGroups = intent.logExports.map(type => new logs.LogGroup(scope, `Logs-${type}`, {
    logGroupName: `/aws/rds/instance/${intent.identifier}/${type}`,
    retention: retentionDaysOf(intent.logRetentionDays),
    encryptionKey: ctx.logsKey(),
    removalPolicy: removalPolicyOf(intent.removal.logs),
  }));

  // Enhanced monitoring publishes through a role of the database's own.
  const monitoringRole = intent.monitoring ? new iam.Role(scope, 'MonitoringRole', {
    roleName: intent.monitoring.roleName,
    description: `Enhanced monitoring of RDS instance ${intent.identifier}`,
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
  }) : undefined;
  if (monitoringRole) {
    acknowledge(monitoringRole, [managedPolicyFinding('service-role/AmazonRDSEnhancedMonitoringRole',
      'RDS enhanced monitoring requires this AWS managed policy on its role (it writes only to the RDSOSMetrics log group); AWS documents it as the way to grant the permissions.')]);
  }

  const instance = new rds.DatabaseInstance(scope, 'Resource', {
    instanceIdentifier: intent.identifier,
    engine,
    instanceType: new ec2.InstanceType(intent.instanceType),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [securityGroup],
    publiclyAccessible: false,
    port: intent.port,
    iamAuthentication: intent.iamAuthentication,
    monitoringInterval: intent.monitoring ? cdk.Duration.seconds(intent.monitoring.intervalSeconds) : undefined,
    monitoringRole,
    databaseName: intent.databaseName,
    credentials: rds.Credentials.fromGeneratedSecret(intent.masterUsername, {
      secretName: intent.secretName,
      excludeCharacters: intent.password.excludeCharacters,
    }),
    storageType: intent.storageType as rds.StorageType,
    allocatedStorage: intent.allocatedStorageGiB,
    maxAllocatedStorage: intent.maxAllocatedStorageGiB,
    storageEncrypted: true,
    storageEncryptionKey: key,
    multiAz: intent.multiAz,
    deletionProtection: intent.deletionProtection,
    backupRetention: cdk.Duration.days(intent.backupRetentionDays),
    copyTagsToSnapshot: true,
    removalPolicy: removalPolicyOf(intent.removal.resource),
    parameterGroup,
    cloudwatchLogsExports: intent.logExports,
    enablePerformanceInsights: intent.performanceInsights,
    performanceInsightEncryptionKey: intent.performanceInsights ? key : undefined,
    autoMinorVersionUpgrade: true,
    caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
  });
  const cfnInstance = instance.node.defaultChild as rds.CfnDBInstance;
  logGroups.forEach(g => cfnInstance.node.addDependency(g));
  // `instance.secret` is the attachment; the generated secret itself is `Resource/Secret`.
  const secret = instance.secret!;
  const generatedSecret = instance.node.findChild('Secret') as secretsmanager.Secret;
  generatedSecret.applyRemovalPolicy(removalPolicyOf(intent.removal.secret));
  // The secret's attachment adds engine, host, port and
  // dbInstanceIdentifier to the generated username and password, but not
  // the database name: put it in the template (the logical id does not
  // depend on it), so the secret has every key a client reads.
  const secretResource = generatedSecret.node.defaultChild as secretsmanager.CfnSecret;
  // aws-cdk-lib names the generated secret after its full construct path,
  // stack included, plus a hash of the password criteria: keep the id it
  // has in the foundation stack, so the secret is never replaced because
  // the database has a stack of its own.
  const criteria = createHash('md5').update(JSON.stringify({ excludeCharacters: intent.password.excludeCharacters })).digest('hex');
  secretResource.overrideLogicalId(`${uniqueIdInFoundation(ctx, generatedSecret)}${criteria}`.slice(-255));
  secretResource.addPropertyOverride(
    'GenerateSecretString.SecretStringTemplate',
    JSON.stringify({ username: intent.masterUsername, dbname: intent.databaseName }),
  );
  secretResource.addPropertyOverride('GenerateSecretString.PasswordLength', intent.password.length);

  if (intent.rotation) {
    instance.addRotationSingleUser({ automaticallyAfter: cdk.Duration.days(intent.rotation.days) });
  }

  acknowledge(cfnInstance, [
    ...(!intent.multiAz ? [['AwsSolutions-RDS3', 'Multi-AZ is off in this tier (DEVELOPMENT/STAGING default) to halve the cost; PRODUCTION defaults to a Multi-AZ standby.'] as [string, string]] : []),
    ...(!intent.deletionProtection ? [['AwsSolutions-RDS10', 'Deletion protection is off in this tier (DEVELOPMENT/STAGING default) so the environment can be torn down; PRODUCTION defaults to deletion protection.'] as [string, string]] : []),
    ...(intent.port === 5432 ? [['AwsSolutions-RDS11', 'The well-known port is kept: the security group admits only connected clusters, TLS is enforced, and a different port hides nothing from a peer that can already reach the subnet. Set port to use another.'] as [string, string]] : []),
  ]);
  if (!intent.rotation) {
    acknowledge(generatedSecret, [['AwsSolutions-SMG4', 'Rotation is off in this tier (DEVELOPMENT/STAGING default) because pods read the credentials at start; PRODUCTION defaults to 30-day rotation.']]);
  }

  return {
    identifier: intent.identifier,
    secretName: intent.secretName,
    port: intent.port,
    instance,
    secret,
    securityGroup,
    key,
    admit(source: NetworkSourceIntent) {
      securityGroup.addIngressRule(ec2.Peer.securityGroupId(source.securityGroupId), ec2.Port.tcp(intent.port), `PostgreSQL from ${source.description}`);
    },
  };
}

/** aws-cdk-lib's typed version (`VER_17_9`) of a full PostgreSQL version. */
function postgresVersion(full: string): rds.PostgresEngineVersion {
  const typed = (rds.PostgresEngineVersion as unknown as Record<string, rds.PostgresEngineVersion | undefined>)[`VER_${full.replace(/\./g, '_')}`];
  return typed ?? rds.PostgresEngineVersion.of(full, full.split('.')[0]);
}
