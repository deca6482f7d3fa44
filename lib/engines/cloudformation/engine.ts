import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, managedPolicyFinding as managed } from './nag';
import { POSTGRES_MASTER_USERNAME } from '../../private/catalog';
import {
  ClusterHandle, ClusterIntent, ExistingNetworkIntent, ICloudEngine, ImportedClusterIntent, LogGroupIntent,
  NetworkHandle, NetworkIntent, PolicyStatementIntent, PostgresHandle, PostgresIntent, RecordedIntent, RoleHandle, WorkloadRoleIntent,
} from '../engine';

/** What the CloudFormation engine needs to know about its environment. */
export interface CloudFormationEnvironment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  /** Every zone of the region (the answer to the stack's zone lookup). */
  readonly availabilityZones: string[];
}

interface CfnNetwork extends NetworkHandle {
  readonly vpc: ec2.IVpc;
}

interface CfnPostgres extends PostgresHandle {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly key: kms.Key;
}

interface CfnCluster extends ClusterHandle {
  readonly cluster?: eks.Cluster;
  readonly securityGroupId?: string;
}

/**
 * Renders an environment's cloud intents as one CloudFormation stack with
 * aws-cdk-lib's typed constructs.
 */
export class CloudFormationEngine implements ICloudEngine {
  public readonly kind = 'cloudformation';
  public readonly intents: RecordedIntent[] = [];
  public readonly stack: cdk.Stack;

  constructor(app: cdk.App, env: CloudFormationEnvironment) {
    this.stack = new cdk.Stack(app, env.stackName, {
      stackName: env.stackName,
      env: { account: env.account, region: env.region },
      description: env.description,
      tags: env.tags,
      analyticsReporting: false,
    });
    // ec2.Vpc checks the zones it is given against the stack's zones, which
    // would be a context lookup (an AWS call). Answer it from the library's
    // region table instead, so synth stays hermetic.
    this.stack.node.setContext(
      `availability-zones:account=${env.account}:region=${env.region}`,
      env.availabilityZones,
    );
  }

  /** The construct under which an element's resources live; its id is the element's graph id. */
  public scope(scopeId: string): Construct {
    const existing = this.stack.node.tryFindChild(scopeId);
    return (existing as Construct | undefined) ?? new Construct(this.stack, scopeId);
  }

  public network(intent: NetworkIntent): NetworkHandle {
    this.intents.push({ type: 'network', intent });
    const scope = this.scope('network');
    const vpc = new ec2.Vpc(scope, 'Resource', {
      vpcName: intent.name,
      ipAddresses: ec2.IpAddresses.cidr(intent.cidr),
      availabilityZones: intent.availabilityZones,
      natGateways: intent.natGateways,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    // Tags the AWS load balancer integrations use to find subnets.
    for (const subnet of vpc.publicSubnets) {
      cdk.Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    }
    for (const subnet of vpc.privateSubnets) {
      cdk.Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    }
    const flowLogGroup = new logs.LogGroup(scope, 'FlowLogs', {
      logGroupName: `/vpc/${intent.name}/flow-logs`,
      retention: retentionOf(intent.flowLogRetentionDays),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    const handle: CfnNetwork = {
      vpc,
      cidr: intent.cidr,
      privateSubnetCidrs: vpc.privateSubnets.map(s => s.ipv4CidrBlock),
    };
    return handle;
  }

  public existingNetwork(intent: ExistingNetworkIntent): NetworkHandle {
    this.intents.push({ type: 'existing-network', intent });
    const vpc = ec2.Vpc.fromVpcAttributes(this.scope('network'), 'Resource', {
      vpcId: intent.vpcId,
      vpcCidrBlock: intent.cidr,
      availabilityZones: intent.availabilityZones,
      privateSubnetIds: intent.privateSubnetIds,
      privateSubnetIpv4CidrBlocks: intent.privateSubnetCidrs,
    });
    const handle: CfnNetwork = { vpc, cidr: intent.cidr, privateSubnetCidrs: intent.privateSubnetCidrs };
    return handle;
  }

  public cluster(intent: ClusterIntent, network: NetworkHandle): ClusterHandle {
    this.intents.push({ type: 'cluster', intent });
    const scope = this.scope(intent.scopeId);
    const { vpc } = network as CfnNetwork;

    const key = new kms.Key(scope, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${intent.name}`,
      enableKeyRotation: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    // EKS creates this group itself, with no retention; own it to set one.
    const controlPlaneLogs = new logs.LogGroup(scope, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${intent.name}/cluster`,
      retention: retentionOf(intent.logRetentionDays),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const endpointAccess = intent.publicEndpoint
      ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...intent.publicAccessCidrs)
      : eks.EndpointAccess.PRIVATE;
    const cluster = new eks.Cluster(scope, 'Resource', {
      clusterName: intent.name,
      version: eks.KubernetesVersion.of(intent.version),
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess,
      secretsEncryptionKey: key,
      clusterLogging: intent.logTypes.map(t => t as eks.ClusterLoggingTypes),
      // Admins come from access entries (adminPrincipalArns), not from
      // whoever happened to deploy the stack.
      bootstrapClusterCreatorAdminPermissions: false,
      // Managed add-ons below replace the self-managed defaults.
      bootstrapSelfManagedAddons: false,
    });
    cluster.node.addDependency(controlPlaneLogs);
    cdk.Validations.of(cluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'aws-eks-v2 writes EncryptionConfig.Resources: ["secrets"], the only value EKS accepts; the property is still honoured.',
    });

    const nodes = cluster.addNodegroupCapacity('Nodes', {
      nodegroupName: intent.nodeGroup.name,
      instanceTypes: intent.nodeGroup.instanceTypes.map(t => new ec2.InstanceType(t)),
      minSize: intent.nodeGroup.minSize,
      desiredSize: intent.nodeGroup.desiredSize,
      maxSize: intent.nodeGroup.maxSize,
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    for (const [i, principal] of intent.adminPrincipalArns.entries()) {
      new eks.AccessEntry(scope, `Admin${i}`, {
        cluster,
        principal,
        accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        })],
      });
    }

    for (const addon of intent.addons) {
      this.intents.push({ type: 'addon', intent: addon });
      new eks.CfnAddon(scope, `Addon-${addon.name}`, {
        clusterName: cluster.clusterName,
        addonName: addon.name,
        addonVersion: addon.version,
        resolveConflicts: 'OVERWRITE',
        configurationValues: addon.configuration ? JSON.stringify(addon.configuration) : undefined,
      }).node.addDependency(nodes);
    }

    acknowledge(cluster, [
      managed('AmazonEKSClusterPolicy', 'The EKS cluster service role must carry AmazonEKSClusterPolicy; EKS documents no customer-managed equivalent.'),
    ]);
    acknowledge(nodes, [
      managed('AmazonEKSWorkerNodePolicy', 'EKS managed node groups require AmazonEKSWorkerNodePolicy on the node role.'),
      managed('AmazonEKS_CNI_Policy', 'The VPC CNI on the nodes needs AmazonEKS_CNI_Policy to manage pod ENIs.'),
      managed('AmazonEC2ContainerRegistryReadOnly', 'Nodes pull images (including EKS add-on images) from ECR with this read-only policy.'),
    ]);

    const handle: CfnCluster = { name: intent.name, imported: false, cluster, securityGroupId: cluster.clusterSecurityGroupId };
    return handle;
  }

  public importedCluster(intent: ImportedClusterIntent): ClusterHandle {
    this.intents.push({ type: 'imported-cluster', intent });
    const handle: CfnCluster = { name: intent.name, imported: true, securityGroupId: intent.securityGroupId };
    return handle;
  }

  public workloadRole(intent: WorkloadRoleIntent, cluster: ClusterHandle): RoleHandle {
    this.intents.push({ type: 'workload-role', intent });
    const scope = this.scope(intent.scopeId);
    const role = new iam.Role(scope, 'Role', {
      roleName: intent.roleName,
      description: intent.description,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    });
    if (intent.statements.length > 0) {
      role.attachInlinePolicy(new iam.Policy(scope, 'Policy', {
        statements: intent.statements.map(toPolicyStatement),
      }));
    }
    const association = new eks.CfnPodIdentityAssociation(scope, 'PodIdentity', {
      clusterName: cluster.name,
      namespace: intent.namespace,
      serviceAccount: intent.serviceAccount,
      roleArn: role.roleArn,
    });
    const eksCluster = (cluster as CfnCluster).cluster;
    if (eksCluster) {
      association.node.addDependency(eksCluster);
    }
    acknowledge(scope, (intent.acknowledgements ?? []).map(a => [a.rule, a.reason]));
    return {
      roleName: intent.roleName,
      roleArn: `arn:${cdk.Aws.PARTITION}:iam::${this.stack.account}:role/${intent.roleName}`,
    };
  }

  /**
   * A PostgreSQL instance. Construct ids under the database's scope are
   * part of the logical ids of stateful resources: `Resource` (the
   * instance), `Resource/Secret` (its secret) and `Key` (its KMS key) must
   * never change.
   */
  public postgres(intent: PostgresIntent, network: NetworkHandle): PostgresHandle {
    this.intents.push({ type: 'postgres', intent });
    const scope = this.scope(intent.scopeId);
    const { vpc } = network as CfnNetwork;
    const removalPolicy = removalPolicyOf(intent.removal);
    // The key and the secret must outlive the instance's snapshots.
    const keepPolicy = intent.removal === 'destroy' ? cdk.RemovalPolicy.DESTROY : cdk.RemovalPolicy.RETAIN;

    const key = new kms.Key(scope, 'Key', {
      description: `Encryption of PostgreSQL instance ${intent.identifier} (storage, snapshots, Performance Insights)`,
      enableKeyRotation: true,
      removalPolicy: keepPolicy,
    });

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
      retention: retentionOf(intent.logRetentionDays),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    }));

    const instance = new rds.DatabaseInstance(scope, 'Resource', {
      instanceIdentifier: intent.identifier,
      engine,
      instanceType: new ec2.InstanceType(intent.instanceType),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      port: intent.port,
      databaseName: intent.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(POSTGRES_MASTER_USERNAME, { secretName: intent.secretName }),
      storageType: rds.StorageType.GP3,
      allocatedStorage: intent.allocatedStorageGiB,
      maxAllocatedStorage: intent.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: key,
      multiAz: intent.multiAz,
      deletionProtection: intent.deletionProtection,
      backupRetention: cdk.Duration.days(intent.backupRetentionDays),
      copyTagsToSnapshot: true,
      removalPolicy,
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
    generatedSecret.applyRemovalPolicy(keepPolicy);
    // The secret's attachment adds engine, host, port and
    // dbInstanceIdentifier to the generated username and password, but not
    // the database name: put it in the template (the logical id does not
    // depend on it), so the secret has every key a client reads.
    (generatedSecret.node.defaultChild as secretsmanager.CfnSecret).addPropertyOverride(
      'GenerateSecretString.SecretStringTemplate',
      JSON.stringify({ username: POSTGRES_MASTER_USERNAME, dbname: intent.databaseName }),
    );

    if (intent.rotationDays !== undefined) {
      instance.addRotationSingleUser({ automaticallyAfter: cdk.Duration.days(intent.rotationDays) });
    }

    acknowledge(cfnInstance, [
      ...(!intent.multiAz ? [['AwsSolutions-RDS3', 'Multi-AZ is off in this tier (DEVELOPMENT/STAGING default) to halve the cost; PRODUCTION defaults to a Multi-AZ standby.'] as [string, string]] : []),
      ...(!intent.deletionProtection ? [['AwsSolutions-RDS10', 'Deletion protection is off in this tier (DEVELOPMENT/STAGING default) so the environment can be torn down; PRODUCTION defaults to deletion protection.'] as [string, string]] : []),
      ...(intent.port === 5432 ? [['AwsSolutions-RDS11', 'The well-known port is kept: the security group admits only connected clusters, TLS is enforced, and a different port hides nothing from a peer that can already reach the subnet. Set port to use another.'] as [string, string]] : []),
    ]);
    if (intent.rotationDays === undefined) {
      acknowledge(generatedSecret, [['AwsSolutions-SMG4', 'Rotation is off in this tier (DEVELOPMENT/STAGING default) because pods read the credentials at start; PRODUCTION defaults to 30-day rotation.']]);
    }

    const handle: CfnPostgres = {
      identifier: intent.identifier,
      secretName: intent.secretName,
      port: intent.port,
      instance,
      secret,
      securityGroup,
      key,
    };
    return handle;
  }

  public allowDatabaseAccess(db: PostgresHandle, cluster: ClusterHandle): void {
    this.intents.push({ type: 'database-access', intent: { identifier: db.identifier, cluster: cluster.name, port: db.port } });
    const { securityGroup } = db as CfnPostgres;
    const clusterSecurityGroupId = (cluster as CfnCluster).securityGroupId;
    if (!clusterSecurityGroupId) {
      throw new Error(`database ${db.identifier}: cluster ${cluster.name} has no security group to admit (validation should have reported RS312)`);
    }
    securityGroup.addIngressRule(
      ec2.Peer.securityGroupId(clusterSecurityGroupId),
      ec2.Port.tcp(db.port),
      `PostgreSQL from the pods and nodes of EKS cluster ${cluster.name}`,
    );
  }

  public logGroup(intent: LogGroupIntent): void {
    this.intents.push({ type: 'log-group', intent });
    new logs.LogGroup(this.scope(intent.scopeId), 'LogGroup', {
      logGroupName: intent.name,
      retention: retentionOf(intent.retentionDays),
      removalPolicy: intent.retain ? cdk.RemovalPolicy.RETAIN : cdk.RemovalPolicy.DESTROY,
    });
  }
}

function removalPolicyOf(removal: PostgresIntent['removal']): cdk.RemovalPolicy {
  switch (removal) {
    case 'destroy': return cdk.RemovalPolicy.DESTROY;
    case 'snapshot': return cdk.RemovalPolicy.SNAPSHOT;
    default: return cdk.RemovalPolicy.RETAIN;
  }
}

/** aws-cdk-lib's typed version (`VER_17_9`) of a full PostgreSQL version. */
function postgresVersion(full: string): rds.PostgresEngineVersion {
  const typed = (rds.PostgresEngineVersion as unknown as Record<string, rds.PostgresEngineVersion | undefined>)[`VER_${full.replace(/\./g, '_')}`];
  return typed ?? rds.PostgresEngineVersion.of(full, full.split('.')[0]);
}

function toPolicyStatement(s: PolicyStatementIntent): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: s.sid,
    effect: iam.Effect.ALLOW,
    actions: s.actions,
    resources: s.resources,
    conditions: s.conditions,
  });
}

const RETENTIONS: Array<[number, logs.RetentionDays]> = [
  [1, logs.RetentionDays.ONE_DAY], [3, logs.RetentionDays.THREE_DAYS], [5, logs.RetentionDays.FIVE_DAYS],
  [7, logs.RetentionDays.ONE_WEEK], [14, logs.RetentionDays.TWO_WEEKS], [30, logs.RetentionDays.ONE_MONTH],
  [60, logs.RetentionDays.TWO_MONTHS], [90, logs.RetentionDays.THREE_MONTHS], [120, logs.RetentionDays.FOUR_MONTHS],
  [150, logs.RetentionDays.FIVE_MONTHS], [180, logs.RetentionDays.SIX_MONTHS], [365, logs.RetentionDays.ONE_YEAR],
  [400, logs.RetentionDays.THIRTEEN_MONTHS], [545, logs.RetentionDays.EIGHTEEN_MONTHS], [731, logs.RetentionDays.TWO_YEARS],
  [1827, logs.RetentionDays.FIVE_YEARS], [3653, logs.RetentionDays.TEN_YEARS],
];

/** CloudWatch accepts only some retention values; take the smallest that keeps logs at least `days`. */
export function retentionOf(days: number): logs.RetentionDays {
  for (const [d, r] of RETENTIONS) {
    if (d >= days) return r;
  }
  return logs.RetentionDays.TEN_YEARS;
}
