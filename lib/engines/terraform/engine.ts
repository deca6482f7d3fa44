/**
 * The Terraform engine: renders an environment's cloud intents as one
 * Terraform stack (JSON) with cdktf and @cdktf/provider-aws.
 *
 * This folder is the only place that imports cdktf; `lib/cloud/factory.ts`
 * requires it lazily, so CloudFormation-only programs never load cdktf.
 * Provider resources are imported by submodule path only (the package root
 * loads every AWS resource type).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, LocalBackend, S3Backend, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { TerraformContext, TerraformNetwork, TerraformServiceRole } from './context';
import { keyPolicy } from './key-policy';
import { subnetLayout } from './network-layout';
import type { TerraformOptions } from './options';
import { physicalName } from '../../core/naming';
import { cloudWatchLogsKeyStatement, KEY_DELETION_WINDOW_DAYS } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import {
  TERRAFORM_AWS_PROVIDER_VERSION, TERRAFORM_REQUIRED_VERSION,
} from '../../private/catalog';
import { scratchDirectory } from '../../private/scratch';
import {
  ClusterHandle, ClusterIntent, EngineEnvironment, EngineHost, ExistingNetworkIntent, ICloudEngine, ImportedClusterIntent,
  LogGroupIntent, LogsKeyIntent, NetworkHandle, NetworkIntent, PolicyStatementIntent, RecordedIntent, RoleHandle, ServiceIntentBase, ServiceRenderers,
  ServiceRoleIntent, WorkloadRoleIntent,
} from '../engine';
import { ServiceRoles } from '../service-roles';

/** S3 state backend, resolved (no defaults left). */
export interface TerraformBackendConfig {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly useLockfile: boolean;
  readonly dynamodbTable?: string;
  readonly kmsKeyId?: string;
}

/** What the Terraform engine needs to know about its environment. */
export interface TerraformEnvironment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly tags: Record<string, string>;
  readonly backend?: TerraformBackendConfig;
  readonly logsKey: LogsKeyIntent;
}

interface TfCluster extends ClusterHandle {
  /** The cluster's name as a reference (so dependents wait for the cluster), or the plain name. */
  readonly nameRef: string;
  readonly securityGroupId?: string;
  /** What the cluster's dependents must wait for (add-ons, node group). */
  readonly ready: Construct[];
}

/** One cdktf App per platform, shared by its Terraform environments. */
const apps = new WeakMap<EngineHost, App>();

/** Local-state backends, whose path is set when the output folder is known. */
const localBackends = new WeakMap<App, Array<{ stackName: string; backend: LocalBackend }>>();

function terraformApp(host: EngineHost): App {
  let app = apps.get(host);
  if (!app) {
    const outdir = scratchDirectory('tf');
    const created = new App({ outdir, stackTraces: false, hclOutput: false });
    app = created;
    apps.set(host, created);
    localBackends.set(created, []);
    host._addOutputBackend({
      output: 'terraform',
      write(staging: string) {
        const target = targetOf(staging);
        for (const { stackName, backend } of localBackends.get(created) ?? []) {
          // The state file stays beside the program, as with plain cdktf, but
          // named relative to the stack's working folder so the JSON holds no
          // absolute path of this machine.
          const stackDir = path.join(target, 'stacks', stackName);
          backend.addOverride('path', path.relative(stackDir, path.resolve(`terraform.${stackName}.tfstate`)).split(path.sep).join('/'));
        }
        created.synth();
        // The layout `cdktf synth` / `cdktf deploy` read: manifest.json and stacks/<name>/cdk.tf.json.
        for (const entry of fs.readdirSync(created.outdir).sort()) {
          fs.cpSync(path.join(created.outdir, entry), path.join(staging, entry), { recursive: true });
        }
        keepCliFiles(target, staging);
      },
    });
  }
  return app;
}

/**
 * The folder a staging folder will replace (`<parent>/.<name>.staging-<host>-<pid>-XXXXXX`
 * → `<parent>/<name>`, see `StagedDirectory`).
 */
function targetOf(staging: string): string {
  const name = path.basename(staging).replace(/^\./, '').replace(/\.staging-[^.]*$/, '');
  return path.join(path.dirname(staging), name);
}

/**
 * `cdktf deploy` runs Terraform in `stacks/<name>/` and leaves its files
 * there (`.terraform/`, `.terraform.lock.hcl`, plans). The staged output
 * replaces the `stacks` folder as a whole, so carry those files over for
 * every stack that is still synthesized (cdktf itself drops the folders of
 * stacks that are gone).
 */
function keepCliFiles(target: string, staging: string): void {
  const stacks = path.join(target, 'stacks');
  if (!fs.existsSync(stacks)) return;
  for (const stack of fs.readdirSync(stacks).sort()) {
    const to = path.join(staging, 'stacks', stack);
    if (!fs.existsSync(to)) continue;
    for (const entry of fs.readdirSync(path.join(stacks, stack)).sort()) {
      if (!fs.existsSync(path.join(to, entry))) {
        fs.cpSync(path.join(stacks, stack, entry), path.join(to, entry), { recursive: true, verbatimSymlinks: true });
      }
    }
  }
}

/** Creates the Terraform engine of an environment (called by the provider in `./provider.ts`). */
export function createTerraformEngine(host: EngineHost, env: EngineEnvironment, options?: TerraformOptions): ICloudEngine {
  const s3 = options?.s3Backend;
  return new TerraformEngine(terraformApp(host), {
    stackName: env.stackName,
    account: env.account,
    region: env.region,
    partition: env.partition,
    tags: env.tags,
    logsKey: env.logsKey,
    backend: s3 ? {
      bucket: s3.bucket,
      key: s3.key ?? `${env.path}/terraform.tfstate`,
      region: s3.region ?? env.region,
      useLockfile: s3.useLockfile ?? true,
      dynamodbTable: s3.dynamodbTable,
      kmsKeyId: s3.kmsKeyId,
    } : undefined,
  });
}

/**
 * Renders an environment's cloud intents as one Terraform stack with
 * @cdktf/provider-aws resources.
 */
export class TerraformEngine implements ICloudEngine {
  public readonly kind = 'terraform';
  public readonly intents: RecordedIntent[] = [];
  /** The environment's Terraform stack (for `Testing.synth` and escape hatches). */
  public readonly terraformStack: TerraformStack;
  private readonly partition: string;
  private readonly account: string;
  private readonly region: string;
  private readonly logsKeyIntent: LogsKeyIntent;
  private logsKeyResource?: KmsKey;
  /** The environment's service roles, by key. */
  private readonly serviceRoles: ServiceRoles<TerraformServiceRole>;
  /** What the services of a kind share in the environment, by key (see `TerraformContext.shared`). */
  private readonly sharedParts = new Map<string, unknown>();

  constructor(app: App, env: TerraformEnvironment) {
    this.logsKeyIntent = env.logsKey;
    this.partition = env.partition;
    this.account = env.account;
    this.region = env.region;
    this.serviceRoles = new ServiceRoles(env.stackName);
    this.terraformStack = new TerraformStack(app, env.stackName);
    new AwsProvider(this.terraformStack, 'aws', {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: env.tags }],
    });
    this.terraformStack.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    this.terraformStack.addOverride('terraform.required_providers.aws', {
      source: 'hashicorp/aws',
      version: TERRAFORM_AWS_PROVIDER_VERSION,
    });
    if (!env.backend) {
      // Path set at write time (see terraformApp).
      localBackends.get(app)?.push({ stackName: env.stackName, backend: new LocalBackend(this.terraformStack, { path: `terraform.${env.stackName}.tfstate` }) });
    } else {
      const backend = new S3Backend(this.terraformStack, {
        bucket: env.backend.bucket,
        key: env.backend.key,
        region: env.backend.region,
        encrypt: true,
        kmsKeyId: env.backend.kmsKeyId,
        dynamodbTable: env.backend.dynamodbTable,
      });
      if (env.backend.useLockfile) {
        // cdktf 0.21's S3Backend predates Terraform 1.10's lock file.
        backend.addOverride('use_lockfile', true);
      }
    }
  }

  /** The construct under which an element's resources live; its id is the element's graph id. */
  public scope(scopeId: string): Construct {
    const existing = this.terraformStack.node.tryFindChild(scopeId);
    return (existing as Construct | undefined) ?? new Construct(this.terraformStack, scopeId);
  }

  public record(type: string, intent: unknown): void {
    this.intents.push({ type, intent });
  }

  public service<I extends ServiceIntentBase, H>(renderers: ServiceRenderers<I, H>, intent: I, network?: NetworkHandle): H {
    assertPlain(intent, renderers.type);
    this.record(renderers.type, intent);
    const ctx: TerraformContext = {
      stack: this.terraformStack,
      partition: this.partition,
      account: this.account,
      region: this.region,
      scope: id => this.scope(id),
      requireProvider: (name, source, version) => this.terraformStack.addOverride(`terraform.required_providers.${name}`, { source, version }),
      logsKeyArn: () => this.logsKeyArn(),
      serviceRole: role => this.serviceRole(role),
      shared: (key, make) => this.shared(key, make),
    };
    return renderers.terraform()(ctx, intent, network as TerraformNetwork | undefined);
  }

  /**
   * The environment's service role `intent`, made once per environment
   * under `ServiceRoles/<key>` (a scope no element id can take), with its
   * AWS managed policies attached.
   */
  public serviceRole(intent: ServiceRoleIntent): TerraformServiceRole {
    return this.serviceRoles.get(intent, () => {
      const scope = new Construct(this.scope('ServiceRoles'), intent.key);
      const role = new IamRole(scope, 'Resource', {
        name: intent.roleName,
        description: intent.description,
        assumeRolePolicy: trustPolicy(intent.servicePrincipal, ['sts:AssumeRole']),
      });
      const attachments = intent.managedPolicies.map((p, i) => new IamRolePolicyAttachment(scope, `Policy${i}`, {
        role: role.name,
        policyArn: this.managedPolicy(p.name),
      }));
      return { arn: role.arn, dependsOn: attachments };
    });
  }

  /** What the services of a kind share, made once under `Shared/<key>`. */
  private shared<T>(key: string, make: (scope: Construct) => T): T {
    if (!this.sharedParts.has(key)) {
      this.sharedParts.set(key, make(new Construct(this.scope('Shared'), key)));
    }
    return this.sharedParts.get(key) as T;
  }

  /**
   * ARN of the environment's key for log groups, created with the first
   * log group: CloudWatch Logs of this account and region may use it.
   */
  public logsKeyArn(): string {
    if (!this.logsKeyResource) {
      const scope = this.scope('logs');
      const intent = this.logsKeyIntent;
      this.logsKeyResource = new KmsKey(scope, 'Key', {
        description: `Encryption of the CloudWatch Logs groups of ${this.terraformStack.node.id}`,
        enableKeyRotation: true,
        deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
        policy: keyPolicy(this.partition, this.account, [cloudWatchLogsKeyStatement(this.partition, this.region, this.account)]),
        lifecycle: intent.removal === 'retain' ? { preventDestroy: true } : undefined,
      });
      new KmsAlias(scope, 'Alias', { name: intent.alias, targetKeyId: this.logsKeyResource.keyId });
    }
    return this.logsKeyResource.arn;
  }

  /** Terraform accepts a configuration without resources: nothing to complete. */
  public finalize(): void {}

  /** Terraform has no per-stack resource limit. */
  public checkLimits(_scope: IConstruct, _problems: ProblemCollector): void {}

  public stacks(): Array<{ name: string; resources: number }> {
    const resources = this.terraformStack.node.findAll().filter(c => TerraformResource.isTerraformResource(c)).length;
    return [{ name: this.terraformStack.node.id, resources }];
  }

  public network(intent: NetworkIntent): NetworkHandle {
    assertPlain(intent, 'network');
    this.record('network', intent);
    const scope = this.scope('network');
    const layout = subnetLayout(intent.cidr, intent.availabilityZones, [24, 20]);
    const vpc = new Vpc(scope, 'Resource', {
      cidrBlock: intent.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: intent.name },
    });
    const igw = new InternetGateway(scope, 'InternetGateway', {
      vpcId: vpc.id,
      tags: { Name: intent.name },
    });
    const publicSubnets = intent.availabilityZones.map((az, i) => {
      const subnet = new Subnet(scope, `PublicSubnet${i + 1}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: layout[0][i],
        mapPublicIpOnLaunch: intent.publicSubnetsAssignPublicIp,
        tags: { 'Name': `${intent.name}-public-${az}`, 'kubernetes.io/role/elb': '1' },
      });
      const table = new RouteTable(scope, `PublicRouteTable${i + 1}`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
        tags: { Name: `${intent.name}-public-${az}` },
      });
      new RouteTableAssociation(scope, `PublicRouteTableAssociation${i + 1}`, { subnetId: subnet.id, routeTableId: table.id });
      return subnet;
    });
    // NAT gateways in the first zones, as aws-cdk-lib's ec2.Vpc places them.
    const nats = publicSubnets.slice(0, intent.natGateways).map((subnet, i) => {
      const eip = new Eip(scope, `NatEip${i + 1}`, {
        domain: 'vpc',
        tags: { Name: `${intent.name}-nat-${intent.availabilityZones[i]}` },
      });
      return new NatGateway(scope, `NatGateway${i + 1}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${intent.name}-nat-${intent.availabilityZones[i]}` },
        dependsOn: [igw],
      });
    });
    const privateRouteTables: string[] = [];
    const privateSubnets = intent.availabilityZones.map((az, i) => {
      const subnet = new Subnet(scope, `PrivateSubnet${i + 1}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: layout[1][i],
        mapPublicIpOnLaunch: false,
        tags: { 'Name': `${intent.name}-private-${az}`, 'kubernetes.io/role/internal-elb': '1' },
      });
      // The NAT gateway of the same zone, else the first one.
      const nat = nats[i] ?? nats[0];
      const table = new RouteTable(scope, `PrivateRouteTable${i + 1}`, {
        vpcId: vpc.id,
        route: nat ? [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }] : [],
        tags: { Name: `${intent.name}-private-${az}` },
      });
      new RouteTableAssociation(scope, `PrivateRouteTableAssociation${i + 1}`, { subnetId: subnet.id, routeTableId: table.id });
      privateRouteTables.push(table.id);
      return subnet;
    });

    const flowLogGroup = new CloudwatchLogGroup(scope, 'FlowLogs', {
      name: `/vpc/${intent.name}/flow-logs`,
      retentionInDays: intent.flowLogRetentionDays,
      kmsKeyId: this.logsKeyArn(),
    });
    const flowLogRole = new IamRole(scope, 'FlowLogRole', {
      name: physicalName([intent.name, 'flow-logs'], 64),
      description: `VPC flow logs of ${intent.name} to CloudWatch Logs`,
      assumeRolePolicy: trustPolicy('vpc-flow-logs.amazonaws.com', ['sts:AssumeRole']),
    });
    new IamRolePolicy(scope, 'FlowLogPolicy', {
      name: 'flow-logs',
      role: flowLogRole.id,
      policy: policyDocument([{
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`${flowLogGroup.arn}:*`],
      }]),
    });
    new FlowLog(scope, 'FlowLog', {
      vpcId: vpc.id,
      trafficType: 'REJECT',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      tags: { Name: `${intent.name}-flow-log` },
    });

    const handle: TerraformNetwork = {
      cidr: intent.cidr,
      privateSubnetCidrs: layout[1],
      vpcId: vpc.id,
      privateSubnetIds: privateSubnets.map(s => s.id),
      privateRouteTableIds: privateRouteTables,
    };
    return handle;
  }

  public existingNetwork(intent: ExistingNetworkIntent): NetworkHandle {
    assertPlain(intent, 'existing network');
    this.record('existing-network', intent);
    const handle: TerraformNetwork = {
      cidr: intent.cidr,
      privateSubnetCidrs: intent.privateSubnetCidrs,
      vpcId: intent.vpcId,
      privateSubnetIds: intent.privateSubnetIds,
      existing: true,
    };
    return handle;
  }

  public cluster(intent: ClusterIntent, network: NetworkHandle): ClusterHandle {
    assertPlain(intent, 'cluster');
    this.record('cluster', intent);
    const scope = this.scope(intent.scopeId);
    const net = network as TerraformNetwork;

    const key = new KmsKey(scope, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${intent.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: keyPolicy(this.partition, this.account),
      lifecycle: intent.secretsKeyRemoval === 'retain' ? { preventDestroy: true } : undefined,
    });
    // EKS creates this group itself, with no retention; own it to set one.
    const controlPlaneLogs = new CloudwatchLogGroup(scope, 'ControlPlaneLogs', {
      name: `/aws/eks/${intent.name}/cluster`,
      retentionInDays: intent.logRetentionDays,
      kmsKeyId: this.logsKeyArn(),
    });

    const clusterRole = new IamRole(scope, 'ClusterRole', {
      name: physicalName([intent.name, 'cluster'], 64),
      description: `Service role of EKS cluster ${intent.name}`,
      assumeRolePolicy: trustPolicy('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
    });
    const clusterPolicy = new IamRolePolicyAttachment(scope, 'ClusterRolePolicy', {
      role: clusterRole.name,
      policyArn: this.managedPolicy('AmazonEKSClusterPolicy'),
    });

    const cluster = new EksCluster(scope, 'Resource', {
      name: intent.name,
      version: intent.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: net.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: intent.publicEndpoint,
        publicAccessCidrs: intent.publicEndpoint ? intent.publicAccessCidrs : undefined,
      },
      encryptionConfig: {
        resources: ['secrets'],
        provider: { keyArn: key.arn },
      },
      enabledClusterLogTypes: intent.logTypes,
      // Admins come from access entries (adminPrincipalArns), not from
      // whoever happened to apply the stack.
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: false,
      },
      // Managed add-ons below replace the self-managed defaults.
      bootstrapSelfManagedAddons: false,
      dependsOn: [controlPlaneLogs, clusterPolicy],
    });

    const nodeRole = new IamRole(scope, 'NodeRole', {
      name: physicalName([intent.name, 'nodes'], 64),
      description: `Worker nodes of EKS cluster ${intent.name}`,
      assumeRolePolicy: trustPolicy('ec2.amazonaws.com', ['sts:AssumeRole']),
    });
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'].map(p =>
      new IamRolePolicyAttachment(scope, `NodeRole-${p}`, { role: nodeRole.name, policyArn: this.managedPolicy(p) }));
    // Every node starts from this template: IMDSv2 only with hop limit 1,
    // an encrypted gp3 root volume, detailed monitoring as the tier says.
    // (No AMI and no user data: EKS supplies both for the node group's AMI type.)
    const lt = intent.nodeGroup.launchTemplate;
    const launchTemplate = new LaunchTemplate(scope, 'NodesLaunchTemplate', {
      name: lt.name,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: lt.httpTokens, httpPutResponseHopLimit: lt.hopLimit },
      blockDeviceMappings: [{
        deviceName: lt.rootDevice,
        ebs: { volumeSize: lt.rootVolumeGiB, volumeType: lt.rootVolumeType, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      monitoring: { enabled: lt.detailedMonitoring },
    });
    const nodes = new EksNodeGroup(scope, 'Nodes', {
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      // A new name replaces the group: the new one comes up before the old one drains.
      lifecycle: { createBeforeDestroy: true },
      clusterName: cluster.name,
      nodeGroupName: intent.nodeGroup.name,
      nodeRoleArn: nodeRole.arn,
      subnetIds: net.privateSubnetIds,
      instanceTypes: intent.nodeGroup.instanceTypes,
      amiType: 'AL2023_x86_64_STANDARD',
      scalingConfig: {
        minSize: intent.nodeGroup.minSize,
        desiredSize: intent.nodeGroup.desiredSize,
        maxSize: intent.nodeGroup.maxSize,
      },
      dependsOn: nodePolicies,
    });

    for (const [i, principal] of intent.adminPrincipalArns.entries()) {
      const entry = new EksAccessEntry(scope, `Admin${i}`, {
        clusterName: cluster.name,
        principalArn: principal,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(scope, `Admin${i}Policy`, {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${this.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    }

    const ready: Construct[] = [nodes];
    for (const addon of intent.addons) {
      this.record('addon', addon);
      ready.push(new EksAddon(scope, `Addon-${addon.name}`, {
        clusterName: cluster.name,
        addonName: addon.name,
        addonVersion: addon.version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        configurationValues: addon.configuration ? JSON.stringify(addon.configuration) : undefined,
        dependsOn: [nodes],
      }));
    }

    const handle: TfCluster = {
      name: intent.name,
      imported: false,
      nameRef: cluster.name,
      securityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      ready,
    };
    return handle;
  }

  public importedCluster(intent: ImportedClusterIntent): ClusterHandle {
    assertPlain(intent, 'imported cluster');
    this.record('imported-cluster', intent);
    const handle: TfCluster = {
      name: intent.name,
      imported: true,
      nameRef: intent.name,
      securityGroupId: intent.securityGroupId,
      ready: [],
    };
    return handle;
  }

  public workloadRole(intent: WorkloadRoleIntent, cluster: ClusterHandle): RoleHandle {
    assertPlain(intent, 'workload role');
    this.record('workload-role', intent);
    const scope = this.scope(intent.scopeId);
    const tfCluster = cluster as TfCluster;
    const role = new IamRole(scope, 'Role', {
      name: intent.roleName,
      description: intent.description,
      assumeRolePolicy: trustPolicy('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
    });
    if (intent.statements.length > 0) {
      new IamRolePolicy(scope, 'Policy', {
        name: physicalName([intent.roleName, 'policy'], 128),
        role: role.id,
        policy: policyDocument(intent.statements),
      });
    }
    new EksPodIdentityAssociation(scope, 'PodIdentity', {
      clusterName: tfCluster.nameRef ?? cluster.name,
      namespace: intent.namespace,
      serviceAccount: intent.serviceAccount,
      roleArn: role.arn,
      // The pod identity agent is an add-on: associate once it runs.
      dependsOn: tfCluster.ready?.filter(r => r instanceof EksAddon) as EksAddon[] | undefined,
    });
    return {
      roleName: intent.roleName,
      roleArn: `arn:${this.partition}:iam::${this.account}:role/${intent.roleName}`,
    };
  }

  public logGroup(intent: LogGroupIntent): void {
    assertPlain(intent, 'log group');
    this.record('log-group', intent);
    new CloudwatchLogGroup(this.scope(intent.scopeId), 'LogGroup', {
      name: intent.name,
      retentionInDays: intent.retentionDays,
      kmsKeyId: this.logsKeyArn(),
      // Retained groups stay in the account when they leave the stack.
      skipDestroy: intent.removal === 'retain' ? true : undefined,
    });
  }

  private managedPolicy(name: string): string {
    return `arn:${this.partition}:iam::aws:policy/${name}`;
  }
}

/** An IAM trust policy for an AWS service. */
function trustPolicy(service: string, actions: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: actions }],
  });
}

/** An IAM policy document (always `Allow`). */
function policyDocument(statements: PolicyStatementIntent[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map(s => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: 'Allow',
      Action: s.actions,
      Resource: s.resources,
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/**
 * Intents are plain data. An aws-cdk-lib token (for example `Aws.PARTITION`)
 * would render as garbage in Terraform JSON, so refuse it loudly.
 */
function assertPlain(value: unknown, what: string, at = ''): void {
  if (typeof value === 'string') {
    if (value.includes('${Token[')) {
      throw new Error(`Terraform engine: the ${what} intent has an unresolved aws-cdk-lib token at ${at || 'its value'} ("${value}"); intents given to the Terraform engine must be plain strings.`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlain(v, what, `${at}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assertPlain(v, what, at ? `${at}.${k}` : k);
    }
  }
}
