/**
 * The environment's tier: chooses safe defaults for everything below it.
 *
 * Every default can be overridden by the prop it feeds; the prop's
 * documentation gives its default per tier.
 */
export enum Tier {
  /** Cheap and disposable: one replica, one NAT gateway, data may be destroyed. */
  DEVELOPMENT = 'development',
  /** Production-shaped at lower cost: disruption budgets, snapshots on removal. */
  STAGING = 'staging',
  /** Highly available and protected: Multi-AZ, zone spread, deletion protection, retained data. */
  PRODUCTION = 'production',
}

/**
 * What to do with a stateful resource when it leaves the stack.
 */
export enum DataRemoval {
  /** Delete it with its data. */
  DESTROY = 'destroy',
  /** Take a final snapshot, then delete it. */
  SNAPSHOT = 'snapshot',
  /** Keep it (orphan it) in the account. */
  RETAIN = 'retain',
}

/**
 * The platform-wide defaults a tier chooses: workloads, clusters, network,
 * data safety, logs. One table, read by every construct; no construct keeps
 * a second copy of these numbers. Each managed service keeps its own
 * defaults in its folder (e.g. `PostgresTierPresets`); the README prints
 * them all in one table.
 */
export interface TierDefaults {
  /** Replicas of a long-running workload. */
  readonly replicas: number;
  /** Whether workloads get a PodDisruptionBudget. */
  readonly podDisruptionBudget: boolean;
  /** Whether workload pods are spread across availability zones (topology spread constraint). */
  readonly zoneSpread: boolean;
  /** Availability zones the cluster's VPC spans. */
  readonly availabilityZones: number;
  /** NAT gateways in the VPC (one per zone in production). */
  readonly natGateways: number;
  /** Cluster nodes: minimum size of the managed node group. */
  readonly nodesMin: number;
  /** Cluster nodes: desired size of the managed node group. */
  readonly nodesDesired: number;
  /** Cluster nodes: maximum size of the managed node group. */
  readonly nodesMax: number;
  /** Instance type of the managed node group. */
  readonly nodeInstanceType: string;
  /** Cluster nodes: CloudWatch detailed monitoring (1-minute EC2 metrics, charged per instance). */
  readonly nodeDetailedMonitoring: boolean;
  /** Stateful resources that support it (databases): deletion protection. */
  readonly deletionProtection: boolean;
  /** Stateful resources: what happens on removal. */
  readonly dataRemoval: DataRemoval;
  /** Log groups: retention in days. */
  readonly logRetentionDays: number;
  /** Workload containers: CPU request. */
  readonly cpuRequest: string;
  /** Workload containers: CPU limit. */
  readonly cpuLimit: string;
  /** Workload containers: memory request. */
  readonly memoryRequest: string;
  /** Workload containers: memory limit. */
  readonly memoryLimit: string;
  /** Whether images must be pinned (a tag other than `latest`, or a digest). */
  readonly requirePinnedImages: boolean;
  /** Whether the EKS API endpoint is reachable from the internet (as well as from the VPC). */
  readonly publicEndpoint: boolean;
}

const PRESETS: Record<Tier, TierDefaults> = {
  [Tier.DEVELOPMENT]: {
    replicas: 1,
    podDisruptionBudget: false,
    zoneSpread: false,
    availabilityZones: 2,
    natGateways: 1,
    nodesMin: 1,
    nodesDesired: 2,
    nodesMax: 3,
    nodeInstanceType: 't3.large',
    nodeDetailedMonitoring: false,
    deletionProtection: false,
    dataRemoval: DataRemoval.DESTROY,
    logRetentionDays: 7,
    cpuRequest: '100m',
    cpuLimit: '500m',
    memoryRequest: '128Mi',
    memoryLimit: '256Mi',
    requirePinnedImages: false,
    publicEndpoint: true,
  },
  [Tier.STAGING]: {
    replicas: 2,
    podDisruptionBudget: true,
    zoneSpread: false,
    availabilityZones: 3,
    natGateways: 1,
    nodesMin: 2,
    nodesDesired: 3,
    nodesMax: 6,
    nodeInstanceType: 'm6i.large',
    nodeDetailedMonitoring: false,
    deletionProtection: false,
    dataRemoval: DataRemoval.SNAPSHOT,
    logRetentionDays: 30,
    cpuRequest: '250m',
    cpuLimit: '1',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
    requirePinnedImages: false,
    publicEndpoint: true,
  },
  [Tier.PRODUCTION]: {
    replicas: 3,
    podDisruptionBudget: true,
    zoneSpread: true,
    availabilityZones: 3,
    natGateways: 3,
    nodesMin: 3,
    nodesDesired: 3,
    nodesMax: 12,
    nodeInstanceType: 'm6i.xlarge',
    nodeDetailedMonitoring: true,
    deletionProtection: true,
    dataRemoval: DataRemoval.RETAIN,
    logRetentionDays: 365,
    cpuRequest: '500m',
    cpuLimit: '1',
    memoryRequest: '512Mi',
    memoryLimit: '1Gi',
    requirePinnedImages: true,
    publicEndpoint: false,
  },
};

/**
 * The tier preset table.
 */
export class TierPresets {
  /** The defaults of `tier`. */
  public static of(tier: Tier): TierDefaults {
    return PRESETS[tier];
  }

  private constructor() {}
}
