import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ARGO_CD_APPS_WAVE, ARGO_CD_SKIP_DRY_RUN } from './conventions';
import { HostedPostgres } from './hosted-postgres';
import { ClusterManifests, ManifestLayer } from './manifests';
import { IWorkloadRuntime, RuntimeGap } from '../../core/connections';
import { Environment } from '../../core/environment';
import { checkUniqueId, findAncestor, rendered, RenderPhase, requestedId } from '../../core/graph';
import { IHostedPostgres, InClusterPostgresSpec, IServiceHost } from '../../core/in-cluster';
import { metadataOf } from '../../core/metadata';
import { checkId, physicalName } from '../../core/naming';
import { cloudWatchRetention, CLUSTER_SECRETS_KEY_REMOVAL, NODE_DISK_GIB, NODE_LAUNCH } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { WorkloadRuntimeConstruct } from '../../core/workload-runtime';
import { AddonIntent, ClusterHandle, NodeGroupIntent } from '../../engines/engine';
import { clusterBasicAddons, DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from '../../private/catalog';

/**
 * The cluster's managed node group.
 */
export interface NodeGroupOptions {
  /**
   * Instance types of the nodes.
   *
   * @default - t3.large in DEVELOPMENT, m6i.large in STAGING, m6i.xlarge in PRODUCTION
   */
  readonly instanceTypes?: string[];
  /**
   * Minimum number of nodes.
   *
   * @default - 1 in DEVELOPMENT, 2 in STAGING, 3 in PRODUCTION
   */
  readonly minSize?: number;
  /**
   * Desired number of nodes at creation.
   *
   * @default - 2 in DEVELOPMENT, 3 in STAGING and PRODUCTION
   */
  readonly desiredSize?: number;
  /**
   * Maximum number of nodes.
   *
   * @default - 3 in DEVELOPMENT, 6 in STAGING, 12 in PRODUCTION
   */
  readonly maxSize?: number;
  /**
   * Size of each node's root volume (gp3, encrypted), in GiB (20 to 16384).
   *
   * @default 50
   */
  readonly diskSize?: number;
  /**
   * CloudWatch detailed monitoring of the nodes (1-minute EC2 metrics,
   * charged per instance).
   *
   * @default - false in DEVELOPMENT and STAGING, true in PRODUCTION
   */
  readonly detailedMonitoring?: boolean;
}

/**
 * Access to the cluster's API endpoint.
 */
export interface EndpointOptions {
  /**
   * Whether the endpoint is reachable from the internet as well as from
   * the VPC.
   *
   * @default - true in DEVELOPMENT and STAGING, false in PRODUCTION
   */
  readonly public?: boolean;
  /**
   * CIDRs allowed to reach a public endpoint.
   *
   * @default ['0.0.0.0/0']
   */
  readonly publicAccessCidrs?: string[];
}

/**
 * An existing EKS cluster: only the Kubernetes side and IAM are produced.
 */
export interface ExistingClusterAttributes {
  /** Name of the EKS cluster. */
  readonly clusterName: string;
  /**
   * The cluster security group (the one EKS attaches to nodes), for
   * database security-group rules.
   *
   * @default - none: databases in the environment cannot admit the cluster by security group
   */
  readonly clusterSecurityGroupId?: string;
}

/**
 * Properties of a `KubernetesCluster`.
 */
export interface KubernetesClusterProps {
  /**
   * Kubernetes version of a new cluster (`1.33` to `1.37`).
   *
   * @default '1.36'
   */
  readonly version?: string;
  /**
   * The managed node group.
   *
   * @default - tier defaults
   */
  readonly nodes?: NodeGroupOptions;
  /**
   * API endpoint access.
   *
   * @default - tier defaults
   */
  readonly endpoint?: EndpointOptions;
  /**
   * IAM principals (role ARNs) that get cluster-admin through EKS access
   * entries. The identity that deploys the stack gets no implicit access.
   *
   * @default - none
   */
  readonly adminRoleArns?: string[];
  /**
   * EKS add-on versions to use instead of the library's pinned ones, by
   * add-on name, e.g. `{ 'vpc-cni': 'v1.21.1-eksbuild.1' }` (list them with
   * `aws eks describe-addon-versions --kubernetes-version 1.36`).
   *
   * @default - the versions pinned in the library's catalog
   */
  readonly addonVersions?: { [name: string]: string };
  /**
   * Use an existing EKS cluster instead of creating one.
   *
   * @default - a new cluster
   */
  readonly existing?: ExistingClusterAttributes;
}

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * A Kubernetes cluster: a new Amazon EKS cluster (KMS-encrypted secrets,
 * all control-plane logs, a managed node group, Pod Identity, managed
 * add-ons) or an existing one. Workloads and support services are created
 * inside it; its Kubernetes YAML goes to `<environment>/<cluster>/`.
 */
export class KubernetesCluster extends WorkloadRuntimeConstruct implements IWorkloadRuntime, IServiceHost {
  /** The cluster `scope` belongs to. */
  public static of(scope: IConstruct): KubernetesCluster {
    const cluster = findAncestor(scope, KubernetesCluster);
    if (!cluster) {
      throw new Error(`${scope.node.path} is not inside a KubernetesCluster.`);
    }
    return cluster;
  }

  /**
   * An existing EKS cluster. Only its Kubernetes objects and the IAM pieces
   * of its workloads (roles, Pod Identity associations) are produced.
   */
  public static fromClusterAttributes(environment: Environment, id: string, attrs: ExistingClusterAttributes): KubernetesCluster {
    return new KubernetesCluster(environment, id, { existing: attrs });
  }

  /** The environment. */
  public readonly environment: Environment;
  /** Name of the EKS cluster (deterministic: `<platform>-<environment>-<id>`). */
  public readonly clusterName: string;
  /** Whether the cluster already exists (imported). */
  public readonly imported: boolean;
  /** Kubernetes version (of a new cluster). */
  public readonly version: string;

  private readonly props: KubernetesClusterProps;
  private readonly settings: ClusterSettings;
  private readonly extraAddons: AddonIntent[] = [];
  private readonly scaledQueues: string[] = [];
  private supportServices?: IConstruct;
  private handle?: ClusterHandle;
  private manifestSet?: ClusterManifests;

  constructor(environment: Environment, id: string, props: KubernetesClusterProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.imported = props.existing !== undefined;
    this.clusterName = props.existing?.clusterName ?? physicalName([environment.qualifiedName, id], 100);
    this.version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    this.settings = resolveSettings(props, environment, this.clusterName);
    this._registerElement(RenderPhase.CLUSTER, {
      validate: problems => this.validate(problems),
      render: () => this.render(),
      describe: () => ({ kind: 'KubernetesCluster', role: 'runtime', detail: this.imported ? 'existing' : `EKS ${this.version}` }),
    });
  }

  /** The cluster's id. */
  public get id(): string {
    return this.node.id;
  }

  /**
   * The cluster's support services, if any.
   * @internal
   */
  public get _supportServices(): IConstruct | undefined {
    return this.supportServices;
  }

  /**
   * Registers the cluster's support services (one per cluster).
   * @internal
   */
  public _setSupportServices(s: IConstruct): boolean {
    if (this.supportServices) return false;
    this.supportServices = s;
    return true;
  }

  /**
   * Why AWS targets (databases) cannot admit this cluster's pods by
   * security group: an existing cluster given without its security group.
   */
  public get securityGroupGap(): RuntimeGap | undefined {
    if (!this.imported || this.props.existing?.clusterSecurityGroupId) return undefined;
    return {
      problem: `existing cluster ${this.node.path} has no clusterSecurityGroupId`,
      fix: 'give existing.clusterSecurityGroupId (the security group EKS attaches to the nodes) to the KubernetesCluster',
    };
  }

  /**
   * Why this cluster cannot run an in-cluster database: it has no
   * SupportServices (they install the CloudNativePG operator).
   */
  public get postgresHostingGap(): RuntimeGap | undefined {
    if (this.supportServices) return undefined;
    return {
      problem: `cluster ${this.node.path} has no SupportServices, which install the CloudNativePG operator that runs in-cluster databases`,
      fix: `add new SupportServices(cluster, 'support', { ... }) to ${this.node.path}`,
    };
  }

  /**
   * Runs a PostgreSQL database inside the cluster with CloudNativePG: the
   * hook an in-cluster `ManagedPostgres` calls once, when it renders (after
   * the cluster); not for programs to call. See docs/managed-postgres.md,
   * "In the cluster".
   */
  public hostPostgres(spec: InClusterPostgresSpec): IHostedPostgres {
    // The custom resources come with the CRDs SupportServices install: with
    // Argo CD, after them (sync wave 10) and without a dry run while the
    // CRDs are missing, as SupportServices' own custom resources are.
    return new HostedPostgres(this._manifests, spec, this.environment.defaults.dataRemoval !== 'destroy', this._afterCrds());
  }

  /**
   * Annotations of an app's or in-cluster service's custom resource whose
   * CRD SupportServices install (an ExternalSecret, HTTPRoute, ScaledObject,
   * monitor, database): with Argo CD, not dry-run while the CRD is still
   * missing, so the first sync of a new cluster does not fail on them (their
   * sync wave is the one of all app objects, `ARGO_CD_APPS_WAVE`). Flux (and
   * no SupportServices) needs none.
   * @internal
   */
  public _afterCrds(): Record<string, string> {
    return this.argoCdDelivers() ? { ...ARGO_CD_SKIP_DRY_RUN } : {};
  }

  private argoCdDelivers(): boolean {
    const delivery = (this.supportServices as { delivery?: string } | undefined)?.delivery;
    return this.supportServices !== undefined && delivery !== 'flux';
  }

  /**
   * Records the ARN of a queue a workload of this cluster scales on (KEDA
   * reads its depth).
   * @internal
   */
  public _addScaledQueue(queueArn: string): void {
    if (!this.scaledQueues.includes(queueArn)) this.scaledQueues.push(queueArn);
  }

  /**
   * The queues workloads of this cluster scale on (after the workloads rendered).
   * @internal
   */
  public get _scaledQueues(): string[] {
    return [...this.scaledQueues];
  }

  /**
   * Adds an EKS managed add-on to a cluster this library creates (support
   * services call it from their constructor, before the cluster renders).
   * Ignored for an existing cluster.
   * @internal
   */
  public _addAddon(addon: AddonIntent): void {
    if (!this.extraAddons.some(a => a.name === addon.name)) {
      this.extraAddons.push(addon);
    }
  }

  /**
   * The cluster's Kubernetes objects (after render).
   * @internal
   */
  public get _manifests(): ClusterManifests {
    return rendered(this, this.manifestSet);
  }

  /**
   * The rendered cluster (after render).
   * @internal
   */
  public get _handle(): ClusterHandle {
    return rendered(this, this.handle);
  }

  /**
   * The Kubernetes objects of this cluster, in apply order (renders the
   * platform first).
   */
  public manifests(): any[] {
    this.environment.platform.render();
    return this._manifests.objects();
  }

  private render(): void {
    const env = this.environment;
    const engine = env._engine();
    this.manifestSet = env.platform._addManifests(new ClusterManifests(`${env.id}/${this.id}`));
    // With Argo CD, in-cluster services and apps sync after the support services' custom resources.
    this.manifestSet.annotateLayers([ManifestLayer.SERVICES, ManifestLayer.APPS], () => (this.argoCdDelivers() ? ARGO_CD_APPS_WAVE : {}));
    // The platform's labels and annotations on everything (a workload's own win: registered later).
    this.manifestSet.addMetadata(() => true, metadataOf(env.platform));
    if (this.props.existing) {
      this.handle = engine.importedCluster({
        scopeId: this.id,
        name: this.clusterName,
        securityGroupId: this.props.existing.clusterSecurityGroupId,
      });
      return;
    }
    const c = this.settings;
    this.handle = engine.cluster({
      scopeId: this.id,
      name: this.clusterName,
      version: this.version,
      publicEndpoint: c.publicEndpoint,
      publicAccessCidrs: c.publicAccessCidrs,
      nodeGroup: c.nodeGroup,
      logTypes: LOG_TYPES,
      logRetentionDays: cloudWatchRetention(env.defaults.logRetentionDays),
      secretsKeyRemoval: CLUSTER_SECRETS_KEY_REMOVAL,
      adminPrincipalArns: this.props.adminRoleArns ?? [],
      addons: this.addons.map(a => ({ ...a, version: this.props.addonVersions?.[a.name] ?? a.version })),
    }, env._network());
  }

  /** The cluster's EKS managed add-ons, with the catalog's versions. */
  private get addons(): AddonIntent[] {
    return [...clusterBasicAddons(this.version), ...this.extraAddons];
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'KubernetesCluster');
    if (!this.supportServices) {
      for (const n of this.needs) {
        problems.error(n.requester, 'RS030', n.need,
          `needs ${n.need}${n.host ? ` for ${n.host}` : ''} but cluster ${this.node.path} has no SupportServices`,
          `add new SupportServices(cluster, 'support', { ... }) to ${this.node.path}`);
      }
    }
    checkId(this, problems, 'KubernetesCluster', 20, requestedId(this));
    const p = this.props;
    if (p.existing) {
      for (const key of ['version', 'nodes', 'endpoint', 'adminRoleArns', 'addonVersions'] as const) {
        if (p[key] !== undefined) {
          problems.error(this, 'RS020', key, `${key} is set on an existing cluster`, `remove ${key}: it only applies to a cluster this library creates`);
        }
      }
      if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(p.existing.clusterName)) {
        problems.error(this, 'RS021', 'existing.clusterName', `"${p.existing.clusterName}" is not an EKS cluster name`, 'give the name as `aws eks list-clusters` shows it');
      }
      return;
    }
    const names = this.addons.map(a => a.name);
    for (const [name, version] of Object.entries(p.addonVersions ?? {})) {
      if (!names.includes(name)) {
        problems.error(this, 'RS031', `addonVersions.${name}`, `the cluster has no add-on "${name}"`, `name one of its add-ons: ${names.join(', ')}`);
      } else if (!/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
        problems.error(this, 'RS032', `addonVersions.${name}`, `"${version}" is not an EKS add-on version`, 'give a version as EKS lists it, e.g. "v1.21.1-eksbuild.1"');
      }
    }
    if (!SUPPORTED_KUBERNETES_VERSIONS.includes(this.version)) {
      problems.error(this, 'RS022', 'version', `Kubernetes ${this.version} is not supported`, `use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
    }
    const n = p.nodes ?? {};
    const { minSize: min, desiredSize: desired, maxSize: max } = this.settings.nodeGroup;
    for (const [key, value] of [['nodes.minSize', n.minSize], ['nodes.desiredSize', n.desiredSize], ['nodes.maxSize', n.maxSize]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        problems.error(this, 'RS023', key, `${value} is not a whole number of nodes`, 'give a whole number, 0 or more');
      }
    }
    if (max < 1) {
      problems.error(this, 'RS024', 'nodes.maxSize', 'the node group can never have a node', 'set maxSize to 1 or more');
    }
    if (!(min <= desired && desired <= max)) {
      problems.error(this, 'RS025', 'nodes', `sizes must satisfy minSize <= desiredSize <= maxSize (got ${min}, ${desired}, ${max})`, 'adjust minSize, desiredSize and maxSize');
    }
    if (n.diskSize !== undefined && !cdk.Token.isUnresolved(n.diskSize) && (!Number.isInteger(n.diskSize) || n.diskSize < 20 || n.diskSize > 16384)) {
      problems.error(this, 'RS033', 'nodes.diskSize', `${n.diskSize} GiB is not a whole number from 20 to 16384`,
        'give the root volume size in GiB: at least 20 (the EKS-optimized AMI needs it), at most 16384 (gp3)');
    }
    for (const t of n.instanceTypes ?? []) {
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t)) {
        problems.error(this, 'RS026', 'nodes.instanceTypes', `"${t}" is not an EC2 instance type`, 'use a type such as "m6i.large"');
      }
    }
    if (n.instanceTypes && n.instanceTypes.length === 0) {
      problems.error(this, 'RS026', 'nodes.instanceTypes', 'no instance type given', 'name at least one instance type or leave the prop out');
    }
    for (const c of p.endpoint?.publicAccessCidrs ?? []) {
      if (!/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(c)) {
        problems.error(this, 'RS027', 'endpoint.publicAccessCidrs', `"${c}" is not an IPv4 CIDR`, 'give CIDRs such as "203.0.113.0/24"');
      }
    }
    if (p.endpoint?.publicAccessCidrs && p.endpoint.public === false) {
      problems.error(this, 'RS028', 'endpoint.publicAccessCidrs', 'CIDRs given for a private endpoint', 'set endpoint.public to true, or remove publicAccessCidrs');
    }
    for (const arn of p.adminRoleArns ?? []) {
      if (!cdk.Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) {
        problems.error(this, 'RS029', 'adminRoleArns', `"${arn}" is not an IAM role ARN`, 'give ARNs such as "arn:aws:iam::111111111111:role/platform-admin"');
      }
    }
  }
}

/** What a new cluster is, once the props and the tier are put together (resolved once, read by validation and rendering). */
interface ClusterSettings {
  readonly nodeGroup: NodeGroupIntent;
  readonly publicEndpoint: boolean;
  readonly publicAccessCidrs: string[];
}

function resolveSettings(props: KubernetesClusterProps, env: Environment, clusterName: string): ClusterSettings {
  const d = env.defaults;
  const n = props.nodes ?? {};
  return {
    nodeGroup: {
      // "-lt": the group built from a launch template. Node groups created
      // without one (before it existed) cannot take one: the new name makes
      // both engines bring the new group up before the old one drains.
      name: physicalName([clusterName, 'nodes', 'lt'], 63),
      instanceTypes: n.instanceTypes ?? [d.nodeInstanceType],
      minSize: n.minSize ?? d.nodesMin,
      desiredSize: n.desiredSize ?? Math.max(d.nodesDesired, n.minSize ?? 0),
      maxSize: n.maxSize ?? Math.max(d.nodesMax, n.minSize ?? 0, n.desiredSize ?? 0),
      launchTemplate: {
        name: physicalName([clusterName, 'nodes'], 128),
        httpTokens: NODE_LAUNCH.httpTokens,
        hopLimit: NODE_LAUNCH.hopLimit,
        rootDevice: NODE_LAUNCH.rootDevice,
        rootVolumeGiB: n.diskSize ?? NODE_DISK_GIB,
        rootVolumeType: NODE_LAUNCH.rootVolumeType,
        detailedMonitoring: n.detailedMonitoring ?? d.nodeDetailedMonitoring,
      },
    },
    publicEndpoint: props.endpoint?.public ?? d.publicEndpoint,
    publicAccessCidrs: props.endpoint?.publicAccessCidrs ?? ['0.0.0.0/0'],
  };
}
