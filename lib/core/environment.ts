import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RuntimeStackConstruct } from './element';
import { checkUniqueId, findAncestor, rendered, RenderPhase } from './graph';
import { checkId, physicalName } from './naming';
import { DatabasePlacement } from './placement';
import { Platform } from './platform';
import { cloudWatchRetention, partitionOf, statefulRemoval } from './policy';
import { ProblemCollector } from './problems';
import { defaultAvailabilityZones, isKnownRegion, suggestRegion } from './regions';
import { Tier, TierDefaults, TierPresets } from './tier';
import { CloudEngine } from '../engines/cloud-engine';
import { ICloudEngine, NetworkHandle } from '../engines/engine';
import { engineProvider, engineProviders } from '../engines/registry';
import type { TerraformOptions } from '../engines/terraform/options';

/**
 * An existing VPC for the environment (no lookups: every value is given).
 */
export interface ExistingNetworkAttributes {
  /** The VPC id. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** The zones of the private subnets, in the same order. */
  readonly availabilityZones: string[];
  /** Private subnets (with egress) for nodes and databases. */
  readonly privateSubnetIds: string[];
  /** CIDRs of those subnets, in the same order (for network policies). */
  readonly privateSubnetCidrs: string[];
}

/**
 * The environment's network.
 */
export interface NetworkOptions {
  /**
   * IPv4 CIDR of the new VPC.
   *
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;

  /**
   * Availability zones of the new VPC. Synth never looks zones up.
   *
   * @default - the first zones of the region known to the library: 2 in DEVELOPMENT, 3 in STAGING and PRODUCTION
   */
  readonly availabilityZones?: string[];

  /**
   * NAT gateways of the new VPC.
   *
   * @default - 1 in DEVELOPMENT and STAGING, one per zone in PRODUCTION
   */
  readonly natGateways?: number;

  /**
   * Use an existing VPC instead of creating one.
   *
   * @default - a new VPC
   */
  readonly existing?: ExistingNetworkAttributes;
}

/**
 * Properties of an `Environment`.
 */
export interface EnvironmentProps {
  /** The tier: chooses the defaults of everything in the environment. */
  readonly tier: Tier;

  /** The AWS account id (12 digits). */
  readonly account: string;

  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;

  /**
   * The engine for the environment's AWS resources.
   *
   * @default CloudEngine.CLOUDFORMATION
   */
  readonly engine?: CloudEngine;

  /**
   * Terraform settings (only with `engine: CloudEngine.TERRAFORM`).
   *
   * @default - local state, provider default tags from `tags`
   */
  readonly terraform?: TerraformOptions;

  /**
   * The environment's network.
   *
   * @default - a new VPC with tier defaults
   */
  readonly network?: NetworkOptions;

  /**
   * Tags applied to every AWS resource of the environment (besides
   * `runtime-stack:platform`, `runtime-stack:environment` and `runtime-stack:tier`).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Where the environment's `ManagedPostgres` databases run unless they
   * say otherwise (`placement`). `DatabasePlacement.IN_CLUSTER` puts them
   * into the environment's Kubernetes cluster (CloudNativePG), e.g.
   * `databasePlacement: tier === Tier.DEVELOPMENT ? DatabasePlacement.IN_CLUSTER : DatabasePlacement.RDS`.
   *
   * RDS stays the default in every tier, DEVELOPMENT included: a library
   * default that moved development databases into the cluster would
   * replace every existing development RDS instance with an empty one.
   *
   * @default DatabasePlacement.RDS
   */
  readonly databasePlacement?: DatabasePlacement;
}

/**
 * One AWS account and region, with a tier. Holds clusters and managed
 * services; renders to one CloudFormation stack (or Terraform stack).
 */
export class Environment extends RuntimeStackConstruct {
  /** The environment `scope` belongs to. */
  public static of(scope: IConstruct): Environment {
    const env = findAncestor(scope, Environment);
    if (!env) {
      throw new Error(`${scope.node.path} is not inside an Environment.`);
    }
    return env;
  }

  /** The platform. */
  public readonly platform: Platform;
  /** The tier. */
  public readonly tier: Tier;
  /** The AWS account id. */
  public readonly account: string;
  /** The AWS region. */
  public readonly region: string;
  /** The engine of the AWS side. */
  public readonly engine: CloudEngine;
  /** Where databases run unless they say otherwise. */
  public readonly databasePlacement: DatabasePlacement;
  /** The tier's defaults. */
  public readonly defaults: TierDefaults;
  /** `<platform>-<environment>`: the stem of this environment's physical names. */
  public readonly qualifiedName: string;
  /**
   * Prefix of every Secrets Manager secret of this environment:
   * `<platform>/<environment>/`.
   */
  public readonly secretPrefix: string;
  /** Name of the CloudFormation stack (or Terraform stack). */
  public readonly stackName: string;
  /** Terraform settings (Terraform environments only). */
  public readonly terraform?: TerraformOptions;

  private readonly props: EnvironmentProps;
  private cloudEngine?: ICloudEngine;
  private networkHandle?: NetworkHandle;

  constructor(platform: Platform, id: string, props: EnvironmentProps) {
    super(platform, id);
    this.platform = platform;
    this.props = props;
    this.tier = props.tier;
    this.account = props.account;
    this.region = props.region;
    this.engine = props.engine ?? CloudEngine.CLOUDFORMATION;
    this.databasePlacement = props.databasePlacement ?? DatabasePlacement.RDS;
    this.terraform = props.terraform;
    // An unknown tier (from JavaScript) is error RS010; the DEVELOPMENT
    // defaults only let the rest of the graph be checked too.
    this.defaults = TierPresets.of(props.tier) ?? TierPresets.of(Tier.DEVELOPMENT);
    this.qualifiedName = `${platform.name}-${id}`;
    this.secretPrefix = `${platform.name}/${id}/`;
    this.stackName = physicalName([platform.name, id], 128);

    this._registerElement(RenderPhase.ENVIRONMENT, {
      validate: problems => this.validate(problems),
      render: () => {
        const provider = engineProvider(this.engine)!;
        const options = provider.optionsProp ? (props as unknown as Record<string, unknown>)[provider.optionsProp] : undefined;
        this.cloudEngine = provider.create(platform, {
          path: `${platform.name}/${id}`,
          stackName: this.stackName,
          account: this.account,
          region: this.region,
          partition: this.partition,
          description: `cdk-runtime-stack: ${platform.name}/${id} (${this.tier})`,
          tags: this.tags,
          regionZones: defaultAvailabilityZones(this.region, 26),
          // Log groups outlive a stack only when data is kept: so does their key.
          logsKey: { alias: `alias/${platform.name}/${id}/logs`, removal: statefulRemoval(this.defaults.dataRemoval).key },
        }, options);
      },
      checkRendered: problems => this.cloudEngine?.checkLimits(this, problems),
      describe: () => ({ kind: 'Environment', role: 'environment', detail: `${this.tier}, ${this.account} ${this.region}, ${this.engine}` }),
    });
    this._registerElement(RenderPhase.FINALIZE, {
      validate: () => undefined,
      render: () => this._engine().finalize(),
    });
  }

  /** The environment's id. */
  public get id(): string {
    return this.node.id;
  }

  /**
   * The foundation CloudFormation stack of this environment (after
   * `platform.render()` or `platform.synth()`), for Template assertions and
   * escape hatches: its network, clusters, keys and support services' roles.
   * Managed services (alone or in a `StackGroup`) and workload identities
   * have stacks of their own (`stacks`).
   */
  public get stack(): cdk.Stack {
    const engine = this._engine();
    if (!engine.cloudFormationStack) {
      throw new Error(`${this.node.path} uses the ${engine.kind} engine: it has no CloudFormation stack.`);
    }
    return engine.cloudFormationStack;
  }

  /**
   * Every CloudFormation stack of this environment (after
   * `platform.render()` or `platform.synth()`): the foundation (`stack`)
   * first, then a stack of their own for each managed service (or
   * `StackGroup` it is in) and each workload identity, in the order they
   * rendered. See the stack layout in the README.
   */
  public get stacks(): cdk.Stack[] {
    const engine = this._engine();
    if (!engine.cloudFormationStacks) {
      throw new Error(`${this.node.path} uses the ${engine.kind} engine: it has no CloudFormation stacks.`);
    }
    return engine.cloudFormationStacks;
  }

  /** The AWS partition of the environment's region (`aws`, `aws-cn`, `aws-us-gov`). */
  public get partition(): string {
    return partitionOf(this.region ?? '');
  }

  /**
   * Tags of every AWS resource in this environment.
   */
  public get tags(): Record<string, string> {
    return {
      'runtime-stack:platform': this.platform.name,
      'runtime-stack:environment': this.id,
      'runtime-stack:tier': this.tier,
      ...(this.props.tags ?? {}),
    };
  }

  /**
   * The cloud engine (after render).
   * @internal
   */
  public _engine(): ICloudEngine {
    return rendered(this, this.cloudEngine);
  }

  /**
   * The environment's network, created on first use (only environments
   * with a new cluster or a database get one).
   * @internal
   */
  public _network(): NetworkHandle {
    if (!this.networkHandle) {
      const engine = this._engine();
      const existing = this.props.network?.existing;
      this.networkHandle = existing
        ? engine.existingNetwork({
          vpcId: existing.vpcId,
          cidr: existing.vpcCidr,
          availabilityZones: existing.availabilityZones,
          privateSubnetIds: existing.privateSubnetIds,
          privateSubnetCidrs: existing.privateSubnetCidrs,
        })
        : engine.network({
          name: this.qualifiedName,
          cidr: this.props.network?.vpcCidr ?? '10.0.0.0/16',
          availabilityZones: this.availabilityZones,
          natGateways: this.props.network?.natGateways ?? Math.min(this.defaults.natGateways, this.availabilityZones.length),
          publicSubnetsAssignPublicIp: false,
          flowLogRetentionDays: cloudWatchRetention(this.defaults.logRetentionDays),
        });
    }
    return this.networkHandle;
  }

  /**
   * Whether the environment uses an existing VPC (given with its private subnets only).
   * @internal
   */
  public get _existingNetwork(): boolean {
    return this.props.network?.existing !== undefined;
  }

  /**
   * The environment's network if it has one (something created it, or an
   * existing VPC is given), without creating one.
   * @internal
   */
  public _networkIfAny(): NetworkHandle | undefined {
    return this.networkHandle ?? (this.props.network?.existing ? this._network() : undefined);
  }

  /** The zones of the environment's network. */
  public get availabilityZones(): string[] {
    return this.props.network?.existing?.availabilityZones
      ?? this.props.network?.availabilityZones
      ?? defaultAvailabilityZones(this.region, this.defaults.availabilityZones);
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'Environment');
    checkId(this, problems, 'Environment', 20, this.node.id.replace(/~\d+$/, ''));
    const p = this.props;
    if (!Object.values(Tier).includes(p.tier)) {
      problems.error(this, 'RS010', 'tier', `"${p.tier}" is not a tier`, 'use Tier.DEVELOPMENT, Tier.STAGING or Tier.PRODUCTION');
    }
    if (p.databasePlacement !== undefined && !Object.values(DatabasePlacement).includes(p.databasePlacement)) {
      problems.error(this, 'RS018', 'databasePlacement', `"${p.databasePlacement}" is not a database placement`,
        'use DatabasePlacement.RDS or DatabasePlacement.IN_CLUSTER');
    }
    if (!cdk.Token.isUnresolved(p.account) && !/^\d{12}$/.test(p.account ?? '')) {
      problems.error(this, 'RS011', 'account', `"${p.account}" is not an AWS account id`, 'give the 12-digit account id, e.g. "111111111111"');
    }
    if (!cdk.Token.isUnresolved(p.region) && !isKnownRegion(p.region ?? '')) {
      const hint = suggestRegion(p.region ?? '');
      problems.error(this, 'RS012', 'region', `"${p.region}" is not an AWS region this library knows`,
        hint ? `did you mean "${hint}"?` : 'give a region such as "eu-west-1" or "us-east-1"');
    }
    const net = p.network;
    if (net?.vpcCidr && !/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/.test(net.vpcCidr)) {
      problems.error(this, 'RS013', 'network.vpcCidr', `"${net.vpcCidr}" is not an IPv4 CIDR from /16 to /24`, 'give a private range such as "10.0.0.0/16"');
    }
    if (net?.availabilityZones) {
      const bad = net.availabilityZones.filter(z => !z.startsWith(p.region) || !/^[a-z]$/.test(z.slice(p.region.length)));
      if (bad.length > 0) {
        problems.error(this, 'RS014', 'network.availabilityZones', `${bad.join(', ')} ${bad.length === 1 ? 'is not a zone' : 'are not zones'} of ${p.region}`, `name zones of ${p.region}, e.g. ${p.region}a`);
      }
      if (net.availabilityZones.length < 2) {
        problems.error(this, 'RS015', 'network.availabilityZones', 'fewer than 2 zones', 'EKS and RDS need subnets in at least 2 zones: name 2 or more');
      }
    }
    if (net?.natGateways !== undefined && (net.natGateways < 1 || !Number.isInteger(net.natGateways))) {
      problems.error(this, 'RS016', 'network.natGateways', `${net.natGateways} NAT gateways`, 'private subnets need at least 1 NAT gateway for egress');
    }
    this.validateEngine(problems);
    if (net?.existing && (net.existing.privateSubnetIds.length !== net.existing.availabilityZones.length
      || net.existing.privateSubnetCidrs.length !== net.existing.privateSubnetIds.length)) {
      problems.error(this, 'RS017', 'network.existing', 'availabilityZones, privateSubnetIds and privateSubnetCidrs differ in length', 'give one zone and one CIDR per private subnet, in the same order');
    }
  }

  /** The engine exists; its options are given only to it and pass its checks. */
  private validateEngine(problems: ProblemCollector): void {
    const p = this.props as unknown as Record<string, unknown>;
    const provider = engineProvider(this.engine);
    if (!provider) {
      problems.error(this, 'RS609', 'engine', `"${this.engine}" is not a cloud engine`,
        `use ${Object.keys(CloudEngine).map(k => `CloudEngine.${k}`).join(' or ')}`);
      return;
    }
    for (const [kind, other] of engineProviders()) {
      if (other !== provider && other.optionsProp && p[other.optionsProp] !== undefined) {
        const key = Object.entries(CloudEngine).find(([, v]) => v === kind)![0];
        problems.error(this, 'RS601', other.optionsProp, `${other.optionsProp} settings are given but the environment uses the ${this.engine} engine`,
          `set engine: CloudEngine.${key}, or remove the ${other.optionsProp} prop`);
      }
    }
    provider.validate(this, problems, { tier: this.tier, options: provider.optionsProp ? p[provider.optionsProp] : undefined });
  }
}
