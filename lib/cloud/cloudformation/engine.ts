import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, managedPolicyFindings } from './nag';
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
}

interface CfnNetwork extends NetworkHandle {
  readonly vpc: ec2.IVpc;
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
      ...managedPolicyFindings(['AmazonEKSClusterPolicy'],
        'The EKS service role needs the AWS managed AmazonEKSClusterPolicy; EKS documents no customer-managed equivalent.'),
      ...(intent.publicEndpoint ? [[
        'AwsSolutions-EKS1',
        'This tier keeps a public API endpoint (limited by publicAccessCidrs) so pipelines outside the VPC can deploy; PRODUCTION defaults to a private endpoint.',
      ] as [string, string]] : []),
    ]);
    acknowledge(nodes, [
      ...managedPolicyFindings(['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'],
        'Worker nodes need the AWS managed AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy and AmazonEC2ContainerRegistryReadOnly, as EKS documents.'),
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

  public postgres(_intent: PostgresIntent, _network: NetworkHandle): PostgresHandle {
    throw new Error('ManagedPostgres: not implemented in the CloudFormation engine yet');
  }

  public allowDatabaseAccess(_db: PostgresHandle, _cluster: ClusterHandle): void {
    throw new Error('ManagedPostgres: not implemented in the CloudFormation engine yet');
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
