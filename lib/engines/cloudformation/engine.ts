import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { CloudFormationContext, CloudFormationNetwork, guardKeyGrants, removalPolicyOf, retentionDaysOf } from './context';
import { acknowledge, managedPolicyFinding as managed } from './nag';
import { cloudWatchLogsKeyStatement } from '../../core/policy';
import { Problem, ProblemCollector, RuntimeStackValidationError, Severity } from '../../core/problems';
import { ownStackName } from '../../core/stack-layout';
import { linkTree, scratchDirectory } from '../../private/scratch';
import {
  ClusterHandle, ClusterIntent, CloudEngineProvider, EngineEnvironment, EngineHost, ExistingNetworkIntent, ICloudEngine,
  ImportedClusterIntent, LogGroupIntent, LogsKeyIntent, NetworkHandle, NetworkIntent, PolicyStatementIntent, RecordedIntent, RoleHandle,
  ServiceIntentBase, ServiceRenderers, ServiceRoleIntent, WorkloadRoleIntent,
} from '../engine';
import { ServiceRoles } from '../service-roles';

/** Resources CloudFormation accepts in one stack. */
export const CLOUDFORMATION_MAX_RESOURCES = 500;
/** Outputs CloudFormation accepts in one stack. */
export const CLOUDFORMATION_MAX_OUTPUTS = 200;
/** Parameters CloudFormation accepts in one stack. */
export const CLOUDFORMATION_MAX_PARAMETERS = 200;
/** Bytes of a template CloudFormation accepts (uploaded through S3, as the CDK does past 50 KB). */
export const CLOUDFORMATION_MAX_TEMPLATE_BYTES = 1_000_000;

interface CfnCluster extends ClusterHandle {
  readonly cluster?: eks.Cluster;
}

/** One CDK app per platform, shared by its CloudFormation environments. */
const apps = new WeakMap<EngineHost, cdk.App>();
/** Per app: the construct path of the environment each stack belongs to, by stack name. */
const environmentPaths = new WeakMap<cdk.App, Map<string, string>>();
/** Per CDK app: the stack group of each group's stack, by stack name (for the size check). */
const groupOfStack = new WeakMap<cdk.App, Map<string, string>>();

/** The fix of a stack group over a CloudFormation limit: nothing deployed moves. */
const GROUP_FIX = 'put the services you add into another StackGroup, or let them have stacks of their own (no stackGroup); '
  + 'a service already deployed keeps its group: moving it to another stack replaces its resources';

/**
 * CloudFormation takes a template of at most 1 MB (through S3, as the CDK
 * uploads any over 50 KB). Sizes are known once the templates are
 * synthesized, which happens in a scratch folder before anything is
 * written: an oversized template stops the synth there, with the others.
 */
function checkTemplateSizes(assembly: cxapi.CloudAssembly, paths: Map<string, string>, groups: Map<string, string>): void {
  const problems: Problem[] = [];
  for (const stack of assembly.stacks) {
    const bytes = fs.statSync(stack.templateFullPath).size;
    if (bytes > CLOUDFORMATION_MAX_TEMPLATE_BYTES) {
      const group = groups.get(stack.stackName);
      problems.push({
        path: paths.get(stack.stackName) ?? stack.stackName,
        code: 'RS019',
        prop: group ?? 'engine',
        message: `its CloudFormation stack ${stack.stackName}${group ? ` (stack group "${group}")` : ''} has a template of ${bytes} bytes, `
          + `more than the ${CLOUDFORMATION_MAX_TEMPLATE_BYTES} CloudFormation allows`,
        fix: group ? GROUP_FIX : 'split what the stack holds into more services (each has a stack of its own), or use engine: CloudEngine.TERRAFORM, which has no such limit',
        severity: Severity.ERROR,
      });
    }
  }
  if (problems.length > 0) throw new RuntimeStackValidationError(problems);
}

function cloudFormationApp(host: EngineHost): cdk.App {
  let app = apps.get(host);
  if (!app) {
    const root = scratchDirectory('cfn');
    const outdir = path.join(root, 'assembly');
    const created = new cdk.App({
      outdir,
      analyticsReporting: false,
      builtinCloudFormationValidation: host.cloudFormationValidation,
      // tree.json (the construct tree for the AWS console's view of an app)
      // is read by no CLI step and costs about 5% of a large synth.
      treeMetadata: false,
      // Stack traces differ between call sites and machines; the output must not.
      context: {
        'aws:cdk:disable-stack-trace': true,
        'aws:cdk:disable-creation-stack-traces': true,
        // Access-log buckets keep ACLs off (BucketOwnerEnforced): grant log
        // delivery through the bucket policy, as AWS recommends.
        '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
        // Every environment has an explicit region, so ARNs can name their
        // partition: the same templates whether the program runs directly or
        // under `cdk synth` (a cdk.json may still set it otherwise).
        '@aws-cdk/core:enablePartitionLiterals': true,
        // The stack layout relies on CloudFormation exports between the
        // foundation and the service stacks (and pins them, see
        // core/stack-layout.ts): say so, instead of aws-cdk-lib's warning
        // about an unset default.
        '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      },
    });
    app = created;
    // The first output gets hard links to the files aws-cdk-lib wrote (see
    // write()). A forced re-synth (an escape hatch, a test) rewrites every
    // file of the assembly, its stack metadata doubled: it first moves the
    // linked files aside, so it never writes through a link into an output
    // (and puts them back if the synth fails, so the cached assembly aws-cdk-lib
    // keeps then still has its files).
    let linked = false;
    let detached = 0;
    const synthesize = created.synth.bind(created);
    created.synth = (options?: cdk.StageSynthesisOptions) => {
      if (!options?.force || !linked) return synthesize(options);
      const aside = path.join(root, `linked-${++detached}`);
      fs.renameSync(outdir, aside);
      fs.mkdirSync(outdir);
      // Assets are staged when their construct is created, not by synth,
      // and never rewritten (their folder is named by their hash): keep them.
      linkTree(aside, outdir, { only: name => name.startsWith('asset.') });
      try {
        const assembly = synthesize(options);
        linked = false;
        return assembly;
      } catch (e) {
        fs.rmSync(outdir, { recursive: true, force: true });
        fs.renameSync(aside, outdir);
        throw e;
      }
    };
    apps.set(host, created);
    environmentPaths.set(created, new Map());
    groupOfStack.set(created, new Map());
    host._addOutputBackend({
      output: 'cloudAssembly',
      write(staging: string) {
        // aws-cdk-lib synthesizes once (the App caches the assembly, which
        // aws-cdk-lib's assertions read afterwards, so its files stay).
        const assembly = created.synth();
        checkTemplateSizes(assembly, environmentPaths.get(created)!, groupOfStack.get(created)!);
        // Hard links, not copies: a large platform writes thousands of
        // files. Only the first output links; a later synth of the same
        // platform (tests, tools) gets copies, so no two outputs share a file.
        linkTree(outdir, staging, { copy: linked });
        linked = true;
      },
    });
  }
  return app;
}

/**
 * The library's stacks: aws-cdk-lib's, with each element's logical id
 * allocated once. aws-cdk-lib allocates it again (a hash of the element's
 * path) every time a reference to the element or the element itself is
 * resolved, and a large platform resolves a few hundred thousand; a
 * construct's path never changes, so neither does its id.
 */
class RuntimeStack extends cdk.Stack {
  private readonly allocated = new WeakMap<cdk.CfnElement, string>();

  protected allocateLogicalId(element: cdk.CfnElement): string {
    let id = this.allocated.get(element);
    if (id === undefined) {
      id = super.allocateLogicalId(element);
      this.allocated.set(element, id);
    }
    return id;
  }
}

/** The CloudFormation engine as `Environment` sees it: no options of its own. */
export const CLOUDFORMATION_PROVIDER: CloudEngineProvider = {
  validate() {},
  create: (host, env) => new CloudFormationEngine(cloudFormationApp(host), env),
};

/**
 * The CDK app holding the CloudFormation stacks of a platform (tests and
 * tools reach the cloud assembly through it).
 */
export function cloudFormationAppOf(host: EngineHost): cdk.App | undefined {
  return apps.get(host);
}

/**
 * Renders an environment's cloud intents with aws-cdk-lib's typed
 * constructs, as a foundation stack and a stack per managed service and
 * per workload identity (the layout is `lib/core/stack-layout.ts`).
 */
export class CloudFormationEngine implements ICloudEngine {
  public readonly kind = 'cloudformation';
  public readonly intents: RecordedIntent[] = [];
  /** The foundation stack (named like the environment). */
  public readonly stack: cdk.Stack;
  private readonly app: cdk.App;
  private readonly env: EngineEnvironment;
  private readonly partition: string;
  private readonly account: string;
  private readonly logsKeyIntent: LogsKeyIntent;
  private logsKeyResource?: kms.Key;
  /** The environment's service roles, by key. */
  private readonly serviceRoles: ServiceRoles<iam.CfnRole>;
  /**
   * Stacks of their own, in creation order, by owner: `element:<scope id>`
   * for an element's own stack, `group:<id>` for a stack group's.
   */
  private readonly ownStacks = new Map<string, OwnStack>();
  /** The stack of its own each element rendered into, by scope id. */
  private readonly stackOfElement = new Map<string, cdk.Stack>();
  /** What the services of a kind share in the environment, by key (see `CloudFormationContext.shared`). */
  private readonly sharedParts = new Map<string, unknown>();
  /** Foundation values that stacks of their own may import: exported whether or not one does. */
  private readonly pinned: string[] = [];
  /** Own stacks whose name another stack of the platform already has. */
  private readonly nameClashes: Array<{ owner: string; other?: string; name: string }> = [];

  constructor(app: cdk.App, env: EngineEnvironment) {
    this.app = app;
    this.env = env;
    this.logsKeyIntent = env.logsKey;
    this.partition = env.partition;
    this.account = env.account;
    this.serviceRoles = new ServiceRoles(env.path);
    this.stack = this.newStack(env.stackName, env.description);
  }

  private newStack(name: string, description: string): cdk.Stack {
    const env = this.env;
    environmentPaths.get(this.app)?.set(name, env.path);
    const stack = new RuntimeStack(this.app, name, {
      stackName: name,
      env: { account: env.account, region: env.region },
      description,
      tags: env.tags,
      analyticsReporting: false,
    });
    // ec2.Vpc checks the zones it is given against the stack's zones, which
    // would be a context lookup (an AWS call). Answer it from the library's
    // region table instead, so synth stays hermetic.
    stack.node.setContext(
      `availability-zones:account=${env.account}:region=${env.region}`,
      env.regionZones,
    );
    return stack;
  }

  public get cloudFormationStack(): cdk.Stack {
    return this.stack;
  }

  public get cloudFormationStacks(): cdk.Stack[] {
    return [this.stack, ...[...this.ownStacks.values()].map(s => s.stack)];
  }

  /**
   * The stack of an element of its own, or of the stack group `group` the
   * element is in (created with the first resource in it). It deploys after
   * the foundation, whose values it imports.
   */
  public ownStack(scopeId: string, group?: string): cdk.Stack {
    const key = group ? `group:${group}` : `element:${scopeId}`;
    let own = this.ownStacks.get(key);
    if (!own) {
      const owner = group ? `stack group "${group}"` : `element "${scopeId}"`;
      let name = ownStackName(this.env.stackName, group ?? scopeId);
      if (this.app.node.tryFindChild(name)) {
        // Reported by checkLimits before anything is written; a stand-in id
        // keeps rendering going so every problem is found at once.
        const other = [...this.ownStacks.values()].find(s => s.stack.node.id === name);
        this.nameClashes.push({ owner, other: other?.owner, name });
        name = `${name}-clash-${this.nameClashes.length}`;
      }
      const stack = this.newStack(name, `${this.env.description}: ${group ?? scopeId}`);
      stack.addStackDependency(this.stack, 'its elements live in the environment the foundation stack makes');
      if (group) groupOfStack.get(this.app)?.set(name, group);
      own = { stack, id: group ?? scopeId, group: group !== undefined, owner };
      this.ownStacks.set(key, own);
    }
    this.stackOfElement.set(scopeId, own.stack);
    return own.stack;
  }

  public record(type: string, intent: unknown): void {
    this.intents.push({ type, intent });
  }

  public service<I extends ServiceIntentBase, H>(renderers: ServiceRenderers<I, H>, intent: I, network?: NetworkHandle): H {
    this.record(renderers.type, intent);
    const stack = renderers.grain === 'foundation' ? this.stack : this.ownStack(intent.scopeId, intent.stackGroup);
    const ctx: CloudFormationContext = {
      stack,
      partition: this.partition,
      account: this.account,
      region: this.env.region,
      foundationStackName: this.stack.node.id,
      scope: id => scopeIn(stack, id),
      logsKey: () => this.logsKey(),
      serviceRoleArn: role => this.serviceRoleArn(role, stack),
      shared: (key, make) => this.shared(key, make),
      pin: value => this.pin(value),
      deployAfter: (scopeId, reason) => {
        const other = this.stackOfElement.get(scopeId);
        if (other && other !== stack) stack.addStackDependency(other, reason);
      },
    };
    return renderers.cloudFormation()(ctx, intent, network as CloudFormationNetwork | undefined);
  }

  /**
   * The environment's key for log groups, created with the first log
   * group: CloudWatch Logs of this account and region may use it.
   */
  public logsKey(): kms.Key {
    if (!this.logsKeyResource) {
      const intent = this.logsKeyIntent;
      const key = guardKeyGrants(new kms.Key(this.scope('logs'), 'Key', {
        description: `Encryption of the CloudWatch Logs groups of ${this.stack.stackName}`,
        alias: intent.alias,
        enableKeyRotation: true,
        removalPolicy: removalPolicyOf(intent.removal),
      }));
      key.addToResourcePolicy(iam.PolicyStatement.fromJson(
        cloudWatchLogsKeyStatement(this.partition, this.stack.region, this.account)));
      this.logsKeyResource = key;
      this.pin(key.keyArn);
    }
    return this.logsKeyResource;
  }

  /**
   * The ARN of the service role `intent` for a resource of `stack`: the
   * role is made once per environment, in the foundation (an L1 role under
   * `ServiceRoles/<key>`, a scope no element id can take, its AWS managed
   * policies in the role itself). Another stack gets the ARN from the
   * role's name, no export; every stack of its own deploys after the
   * foundation (`ownStack`).
   */
  private serviceRoleArn(intent: ServiceRoleIntent, stack: cdk.Stack): string {
    const role = this.serviceRoles.get(intent, () => {
      const scope = new Construct(this.scope('ServiceRoles'), intent.key);
      const made = new iam.CfnRole(scope, 'Resource', {
        assumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: intent.servicePrincipal } }],
          Version: '2012-10-17',
        },
        description: intent.description,
        managedPolicyArns: intent.managedPolicies.map(p => iam.ManagedPolicy.fromAwsManagedPolicyName(p.name).managedPolicyArn),
        roleName: intent.roleName,
      });
      acknowledge(scope, intent.managedPolicies.map(p => managed(p.name, p.reason)));
      return made;
    });
    return stack === this.stack ? role.attrArn : `arn:${this.partition}:iam::${this.account}:role/${intent.roleName}`;
  }

  /** What the services of a kind share, made once in the foundation under `Shared/<key>`. */
  private shared<T>(key: string, make: (scope: Construct) => T): T {
    if (!this.sharedParts.has(key)) {
      this.sharedParts.set(key, make(new Construct(this.scope('Shared'), key)));
    }
    return this.sharedParts.get(key) as T;
  }

  /** Exports a foundation value whether or not a stack of its own imports it now (see `finalize`). */
  private pin(value: string): void {
    this.pinned.push(value);
  }

  /**
   * Completes the stacks once every element rendered:
   *
   * - The foundation exports every value a stack of its own may import
   *   (the VPC, its private subnets, the clusters' security groups, the
   *   logs key), used or not. CloudFormation refuses to remove an export
   *   another stack imports; with the exports pinned, removing a service
   *   from the program never changes the foundation, whichever of the two
   *   stacks is deployed or deleted first.
   * - CloudFormation rejects a template without resources ("Resources
   *   section must exist and be non-empty"), which an environment that
   *   needs nothing from AWS (an existing cluster, nothing connected) would
   *   write. Such a stack gets one `AWS::CloudFormation::WaitConditionHandle`,
   *   which creates nothing in the account and costs nothing, so that
   *   `cdk deploy` of every stack of the platform keeps working and the
   *   stack is there, under its name, when the environment grows.
   */
  public finalize(): void {
    for (const value of this.pinned) {
      this.stack.exportValue(value);
    }
    for (const stack of this.cloudFormationStacks) {
      if (!stack.node.findAll().some(c => cdk.CfnResource.isCfnResource(c) && cdk.Stack.of(c) === stack)) {
        new cdk.CfnWaitConditionHandle(stack, 'Placeholder');
      }
    }
  }

  public stacks(): Array<{ name: string; resources: number }> {
    return this.cloudFormationStacks.map(stack => ({ name: stack.stackName, resources: resourceCount(stack) }));
  }

  /**
   * CloudFormation's limits per stack, checked before anything is written:
   * 500 resources, 200 outputs, 200 parameters (the 1 MB template is
   * checked on the synthesized templates, `checkTemplates`). And a stack
   * name two stacks would share.
   */
  public checkLimits(scope: IConstruct, problems: ProblemCollector): void {
    const subject = (owner: string) => owner.startsWith('element ') ? owner.slice('element '.length) : owner;
    for (const clash of this.nameClashes) {
      problems.error(scope, 'RS034', 'id',
        clash.other
          ? `the stack of its ${clash.owner} would be named ${clash.name}, which the stack of its ${clash.other} already is`
          : `the stack of its ${clash.owner} would be named ${clash.name}, which another stack of the platform already is`,
        clash.other
          ? `give ${subject(clash.owner)} or ${subject(clash.other)} another id`
          : `give ${subject(clash.owner)} or the environment with the stack ${clash.name} another id`);
    }
    for (const stack of this.cloudFormationStacks) {
      const counts = { resources: 0, outputs: 0, parameters: 0 };
      for (const c of stack.node.findAll()) {
        if (cdk.Stack.of(c) !== stack) continue;
        if (cdk.CfnResource.isCfnResource(c)) counts.resources++;
        else if (c instanceof cdk.CfnOutput) counts.outputs++;
        else if (c instanceof cdk.CfnParameter) counts.parameters++;
      }
      const over = (what: keyof typeof counts, max: number) => {
        if (counts[what] <= max) return;
        const own = [...this.ownStacks.values()].find(s => s.stack === stack);
        problems.error(scope, 'RS019', own ? own.id : 'engine',
          `its CloudFormation stack ${stack.stackName}${own?.group ? ` (stack group "${own.id}")` : ''} would hold ${counts[what]} ${what}, more than the ${max} CloudFormation allows`,
          !own
            ? 'split its clusters across more environments, or use engine: CloudEngine.TERRAFORM, which has no such limit'
            : own.group
              ? GROUP_FIX
              : `split "${own.id}" into several services (each has a stack of its own), or use engine: CloudEngine.TERRAFORM, which has no such limit`);
      };
      over('resources', CLOUDFORMATION_MAX_RESOURCES);
      over('outputs', CLOUDFORMATION_MAX_OUTPUTS);
      over('parameters', CLOUDFORMATION_MAX_PARAMETERS);
    }
  }

  /** The construct under which an element's resources live in the foundation; its id is the element's graph id. */
  public scope(scopeId: string): Construct {
    return scopeIn(this.stack, scopeId);
  }

  public network(intent: NetworkIntent): NetworkHandle {
    this.record('network', intent);
    const scope = this.scope('network');
    const vpc = new ec2.Vpc(scope, 'Resource', {
      vpcName: intent.name,
      ipAddresses: ec2.IpAddresses.cidr(intent.cidr),
      availabilityZones: intent.availabilityZones,
      natGateways: intent.natGateways,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: intent.publicSubnetsAssignPublicIp },
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
      retention: retentionDaysOf(intent.flowLogRetentionDays),
      encryptionKey: this.logsKey(),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.pin(vpc.vpcId);
    vpc.privateSubnets.forEach(subnet => this.pin(subnet.subnetId));
    const handle: CloudFormationNetwork = {
      vpc,
      cidr: intent.cidr,
      privateSubnetCidrs: vpc.privateSubnets.map(s => s.ipv4CidrBlock),
      rotationSecurityGroupId: this.rotationSecurityGroup(scope, vpc),
    };
    return handle;
  }

  public existingNetwork(intent: ExistingNetworkIntent): NetworkHandle {
    this.record('existing-network', intent);
    const vpc = ec2.Vpc.fromVpcAttributes(this.scope('network'), 'Resource', {
      vpcId: intent.vpcId,
      vpcCidrBlock: intent.cidr,
      availabilityZones: intent.availabilityZones,
      privateSubnetIds: intent.privateSubnetIds,
      privateSubnetIpv4CidrBlocks: intent.privateSubnetCidrs,
    });
    const handle: CloudFormationNetwork = {
      vpc,
      cidr: intent.cidr,
      privateSubnetCidrs: intent.privateSubnetCidrs,
      existing: true,
      rotationSecurityGroupId: this.rotationSecurityGroup(this.scope('network'), vpc),
    };
    return handle;
  }

  /**
   * The network's security group for the functions that rotate the
   * environment's secrets (see `CloudFormationNetwork`), pinned: made with
   * the network, whether or not a function uses it yet, so that the rules
   * of the databases that admit it import an export that stays while the
   * network does. A security group without members costs nothing.
   */
  private rotationSecurityGroup(scope: Construct, vpc: ec2.IVpc): string {
    const group = new ec2.CfnSecurityGroup(scope, 'RotationSecurityGroup', {
      groupDescription: `Secret rotation functions of ${this.stack.stackName}: out to Secrets Manager (HTTPS) and to the databases that admit them`,
      vpcId: vpc.vpcId,
      // Open, as aws-cdk-lib's SecretRotation leaves its group: the Secrets
      // Manager endpoint (through the NAT gateway) and every database rotated.
      securityGroupEgress: [{ cidrIp: '0.0.0.0/0', ipProtocol: '-1', description: 'Allow all outbound traffic by default' }],
    });
    this.pin(group.attrGroupId);
    return group.attrGroupId;
  }

  public cluster(intent: ClusterIntent, network: NetworkHandle): ClusterHandle {
    this.record('cluster', intent);
    const scope = this.scope(intent.scopeId);
    const { vpc } = network as CloudFormationNetwork;

    const key = guardKeyGrants(new kms.Key(scope, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${intent.name}`,
      enableKeyRotation: true,
      removalPolicy: removalPolicyOf(intent.secretsKeyRemoval),
    }));
    // EKS creates this group itself, with no retention; own it to set one.
    const controlPlaneLogs = new logs.LogGroup(scope, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${intent.name}/cluster`,
      retention: retentionDaysOf(intent.logRetentionDays),
      encryptionKey: this.logsKey(),
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

    // Every node starts from this template: IMDSv2 only with hop limit 1,
    // an encrypted gp3 root volume, detailed monitoring as the tier says.
    // (No AMI and no user data: EKS supplies both for the node group's AMI type.)
    const lt = intent.nodeGroup.launchTemplate;
    const launchTemplate = new ec2.CfnLaunchTemplate(scope, 'NodesLaunchTemplate', {
      launchTemplateName: lt.name,
      launchTemplateData: {
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: lt.httpTokens, httpPutResponseHopLimit: lt.hopLimit },
        blockDeviceMappings: [{
          deviceName: lt.rootDevice,
          ebs: { volumeSize: lt.rootVolumeGiB, volumeType: lt.rootVolumeType, encrypted: true, deleteOnTermination: true },
        }],
        monitoring: { enabled: lt.detailedMonitoring },
      },
    });
    const nodes = cluster.addNodegroupCapacity('Nodes', {
      launchTemplateSpec: { id: launchTemplate.ref, version: launchTemplate.attrLatestVersionNumber },
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
      this.record('addon', addon);
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

    this.pin(cluster.clusterSecurityGroupId);
    const handle: CfnCluster = { name: intent.name, imported: false, cluster, securityGroupId: cluster.clusterSecurityGroupId };
    return handle;
  }

  public importedCluster(intent: ImportedClusterIntent): ClusterHandle {
    this.record('imported-cluster', intent);
    const handle: CfnCluster = { name: intent.name, imported: true, securityGroupId: intent.securityGroupId };
    return handle;
  }

  public workloadRole(intent: WorkloadRoleIntent, cluster: ClusterHandle): RoleHandle {
    this.record('workload-role', intent);
    const scope = intent.grain === 'own' ? scopeIn(this.ownStack(intent.scopeId), intent.scopeId) : this.scope(intent.scopeId);
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
      roleArn: `arn:${this.partition}:iam::${this.account}:role/${intent.roleName}`,
    };
  }

  public logGroup(intent: LogGroupIntent): void {
    this.record('log-group', intent);
    new logs.LogGroup(this.scope(intent.scopeId), 'LogGroup', {
      logGroupName: intent.name,
      retention: retentionDaysOf(intent.retentionDays),
      encryptionKey: this.logsKey(),
      removalPolicy: removalPolicyOf(intent.removal),
    });
  }
}

/** A stack of its own: of one element, or of a stack group. */
interface OwnStack {
  readonly stack: cdk.Stack;
  /** The element's scope id, or the group's id. */
  readonly id: string;
  readonly group: boolean;
  /** `element "<scope id>"` or `stack group "<id>"`, for messages. */
  readonly owner: string;
}

/** The construct with this id directly below `stack`, made on first use. */
function scopeIn(stack: cdk.Stack, scopeId: string): Construct {
  const existing = stack.node.tryFindChild(scopeId);
  return (existing as Construct | undefined) ?? new Construct(stack, scopeId);
}

function resourceCount(stack: cdk.Stack): number {
  return stack.node.findAll().filter(c => cdk.CfnResource.isCfnResource(c) && cdk.Stack.of(c) === stack).length;
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
