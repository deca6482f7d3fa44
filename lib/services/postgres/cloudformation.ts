import { createHash } from 'crypto';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { NetworkSourceIntent, PostgresHandle, PostgresIntent } from './intent';
import { KEY_GRANTS_FOR_AWS_ONLY } from '../../core/policy';
import { ownStackName } from '../../core/stack-layout';
import {
  CloudFormationContext, CloudFormationNetwork, removalPolicyOf, uniqueIdInFoundation, uniqueIdInStack,
} from '../../engines/cloudformation/context';
import { acknowledge, managedPolicyFinding } from '../../engines/cloudformation/nag';

/** The CloudFormation handle of a database: its resources, for escape hatches. */
export interface CloudFormationPostgres extends PostgresHandle {
  readonly instance: rds.CfnDBInstance;
  readonly secret: secretsmanager.ISecret;
  readonly connections: ec2.Connections;
}

/**
 * A PostgreSQL instance with aws-cdk-lib. Construct ids under the
 * database's scope are part of the logical ids of stateful resources:
 * `Resource/Resource` (the instance), `Resource/Secret` (its secret) and
 * `Key/Resource` (its KMS key) must never change.
 *
 * L1 resources under the ids and in the order aws-cdk-lib's
 * `DatabaseInstance` gave them (the same template, byte for byte), with
 * L2s only where they add behaviour: the security group (its rules and
 * `connections`), the generated secret and its attachment (the `ISecret`
 * users grant from), and the rotation (the AWS application of the
 * partition). The L2s built and resolved 20 constructs and their lazy
 * values per database, a third of a 600-database synth.
 */
export function renderPostgres(ctx: CloudFormationContext, intent: PostgresIntent, network?: CloudFormationNetwork): CloudFormationPostgres {
  const scope = ctx.scope(intent.scopeId);
  const vpc = network!.vpc;

  const key = new kms.CfnKey(new Construct(scope, 'Key'), 'Resource', {
    description: `Encryption of PostgreSQL instance ${intent.identifier} (storage, snapshots, Performance Insights)`,
    enableKeyRotation: true,
    keyPolicy: {
      Statement: [
        { Action: 'kms:*', Effect: 'Allow', Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.account}:root` }, Resource: '*' },
        iam.PolicyStatement.fromJson(KEY_GRANTS_FOR_AWS_ONLY).toStatementJson(),
      ],
      Version: '2012-10-17',
    },
  });
  key.applyRemovalPolicy(removalPolicyOf(intent.removal.key));

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `PostgreSQL instance ${intent.identifier}: admits connected clusters on port ${intent.port}`,
    allowAllOutbound: false,
  });

  const engine = rds.DatabaseInstanceEngine.postgres({ version: postgresVersion(intent.engineVersion) });
  const parameterGroup = new rds.CfnDBParameterGroup(new Construct(scope, 'Parameters'), 'Resource', {
    description: `Parameters of PostgreSQL instance ${intent.identifier}`,
    family: engine.parameterGroupFamily!,
    parameters: intent.parameters,
  });

  // RDS creates these groups itself, with no retention; own them to set one.
  const logGroups = intent.logExports.map(type => {
    const group = new logs.CfnLogGroup(new Construct(scope, `Logs-${type}`), 'Resource', {
      kmsKeyId: ctx.logsKey().keyArn,
      logGroupName: `/aws/rds/instance/${intent.identifier}/${type}`,
      retentionInDays: intent.logRetentionDays === logs.RetentionDays.INFINITE ? undefined : intent.logRetentionDays,
    });
    group.applyRemovalPolicy(removalPolicyOf(intent.removal.logs));
    return group;
  });

  // Enhanced monitoring publishes through a role of the database's own.
  let monitoringRole: iam.CfnRole | undefined;
  if (intent.monitoring) {
    const roleScope = new Construct(scope, 'MonitoringRole');
    monitoringRole = new iam.CfnRole(roleScope, 'Resource', {
      assumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' } }],
        Version: '2012-10-17',
      },
      description: `Enhanced monitoring of RDS instance ${intent.identifier}`,
      managedPolicyArns: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole').managedPolicyArn],
      roleName: intent.monitoring.roleName,
    });
    acknowledge(roleScope, [managedPolicyFinding('service-role/AmazonRDSEnhancedMonitoringRole',
      'RDS enhanced monitoring requires this AWS managed policy on its role (it writes only to the RDSOSMetrics log group); AWS documents it as the way to grant the permissions.')]);
  }

  const instanceScope = new Construct(scope, 'Resource');
  const instanceRemoval = removalPolicyOf(intent.removal.resource);
  const subnetGroup = new rds.CfnDBSubnetGroup(new Construct(instanceScope, 'SubnetGroup'), 'Default', {
    dbSubnetGroupDescription: 'Subnet group for Resource database',
    subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
  });
  // Kept only with a retained instance (a snapshot needs no subnet group).
  if (instanceRemoval === cdk.RemovalPolicy.RETAIN) subnetGroup.applyRemovalPolicy(instanceRemoval);

  // The master credentials: generated into a secret, with every key a
  // client reads (the attachment adds engine, host, port and
  // dbInstanceIdentifier; the database name is here).
  const generatedSecret = new secretsmanager.Secret(instanceScope, 'Secret', {
    description: `Generated by the CDK for stack: ${cdk.Aws.STACK_NAME}`,
    secretName: intent.secretName,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ username: intent.masterUsername, dbname: intent.databaseName }),
      generateStringKey: 'password',
      passwordLength: intent.password.length,
      excludeCharacters: intent.password.excludeCharacters,
    },
  });
  generatedSecret.applyRemovalPolicy(removalPolicyOf(intent.removal.secret));
  // Named like aws-cdk-lib's DatabaseSecret names it, after its path in the
  // foundation stack plus a hash of the password criteria: the secret is
  // never replaced because the database has a stack of its own.
  const secretResource = generatedSecret.node.defaultChild as secretsmanager.CfnSecret;
  const criteria = createHash('md5').update(JSON.stringify({ excludeCharacters: intent.password.excludeCharacters })).digest('hex');
  secretResource.overrideLogicalId(`${uniqueIdInFoundation(ctx, generatedSecret)}${criteria}`.slice(-255));

  const cfnInstance = new rds.CfnDBInstance(instanceScope, 'Resource', {
    allocatedStorage: String(intent.allocatedStorageGiB),
    autoMinorVersionUpgrade: true,
    backupRetentionPeriod: intent.backupRetentionDays,
    caCertificateIdentifier: rds.CaCertificate.RDS_CA_RSA2048_G1.toString(),
    copyTagsToSnapshot: true,
    dbInstanceClass: `db.${intent.instanceType}`,
    dbInstanceIdentifier: intent.identifier.toLowerCase(),
    dbName: intent.databaseName,
    dbParameterGroupName: parameterGroup.ref,
    dbSubnetGroupName: subnetGroup.ref,
    deletionProtection: intent.deletionProtection,
    enableCloudwatchLogsExports: intent.logExports.length > 0 ? intent.logExports : undefined,
    enableIamDatabaseAuthentication: intent.iamAuthentication,
    enablePerformanceInsights: intent.performanceInsights,
    engine: 'postgres',
    engineVersion: engine.engineVersion!.fullVersion,
    kmsKeyId: key.attrArn,
    masterUsername: intent.masterUsername,
    masterUserPassword: generatedSecret.secretValueFromJson('password').unsafeUnwrap(),
    maxAllocatedStorage: intent.maxAllocatedStorageGiB,
    monitoringInterval: intent.monitoring?.intervalSeconds,
    monitoringRoleArn: monitoringRole?.attrArn,
    multiAz: intent.multiAz,
    performanceInsightsKmsKeyId: intent.performanceInsights ? key.attrArn : undefined,
    performanceInsightsRetentionPeriod: intent.performanceInsights ? intent.performanceInsightsRetentionDays : undefined,
    port: String(intent.port),
    publiclyAccessible: false,
    storageEncrypted: true,
    storageType: intent.storageType,
    vpcSecurityGroups: [securityGroup.securityGroupId],
  });
  cfnInstance.applyRemovalPolicy(instanceRemoval);
  logGroups.forEach(g => cfnInstance.node.addDependency(g));
  const connections = new ec2.Connections({
    securityGroups: [securityGroup],
    defaultPort: ec2.Port.tcp(cdk.Token.asNumber(cfnInstance.attrEndpointPort)),
  });

  // The attachment is the secret clients read: its ARN, with the instance's address.
  const secret = generatedSecret.attach({
    asSecretAttachmentTarget: () => ({ targetId: cfnInstance.ref, targetType: secretsmanager.AttachmentTargetType.RDS_DB_INSTANCE }),
  });

  if (intent.rotation) {
    const port = connections.defaultPort!;
    const rotation = new secretsmanager.SecretRotation(instanceScope, 'RotationSingleUser', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret,
      // Connections without security groups: the rule that admits the function is made below.
      target: { connections: new ec2.Connections({ defaultPort: port }) },
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      automaticallyAfter: cdk.Duration.days(intent.rotation.days),
      excludeCharacters: intent.password.excludeCharacters,
    });
    // aws-cdk-lib names the rotation function, its security group's
    // description and the rule admitting that group (construct id and
    // description) after their paths, which hold the stack's construct id.
    // Named as in the database's own stack, they are the same in a stack
    // group's (a move between the two changes no definition).
    const ownStack = ownStackName(ctx.foundationStackName, intent.scopeId);
    const rotationGroup = rotation.node.findChild('SecurityGroup') as ec2.SecurityGroup;
    (rotationGroup.node.defaultChild as ec2.CfnSecurityGroup).groupDescription =
      [ownStack, ...rotationGroup.node.scopes.slice(2).map(c => c.node.id)].join('/');
    const rule = `from ${uniqueIdInStack(ownStack, rotationGroup)}:${port}`;
    new ec2.CfnSecurityGroupIngress(securityGroup, rule, {
      ...port.toRuleJson(),
      groupId: securityGroup.securityGroupId,
      sourceSecurityGroupId: rotationGroup.securityGroupId,
      description: rule,
    });
    const functionName = uniqueIdInStack(ownStack, rotation);
    (rotation.node.findChild('Resource') as cdk.CfnResource)
      .addPropertyOverride('Parameters.functionName', functionName.substring(Math.max(functionName.length - 64, 0)));
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
    instance: cfnInstance,
    secret,
    connections,
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
