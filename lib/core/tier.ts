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
 * The defaults a tier chooses. One table, printed in the README, read by
 * every construct; no construct keeps a second copy of these numbers.
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
  /** Databases: Multi-AZ standby. */
  readonly multiAz: boolean;
  /** Databases and clusters: deletion protection. */
  readonly deletionProtection: boolean;
  /** Stateful resources: what happens on removal. */
  readonly dataRemoval: DataRemoval;
  /** Databases: automated backup retention in days. */
  readonly backupRetentionDays: number;
  /** Databases: instance class (without the `db.` prefix). */
  readonly databaseInstanceType: string;
  /** Databases: allocated storage in GiB. */
  readonly databaseStorageGiB: number;
  /** Databases: the ceiling of storage autoscaling in GiB. */
  readonly databaseMaxStorageGiB: number;
  /** Databases: Performance Insights (7 days, KMS-encrypted). */
  readonly databasePerformanceInsights: boolean;
  /** Databases: automatic rotation of the credentials (every 30 days). */
  readonly databaseCredentialRotation: boolean;
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
    multiAz: false,
    deletionProtection: false,
    dataRemoval: DataRemoval.DESTROY,
    backupRetentionDays: 1,
    databaseInstanceType: 't4g.micro',
    databaseStorageGiB: 20,
    databaseMaxStorageGiB: 100,
    databasePerformanceInsights: false,
    databaseCredentialRotation: false,
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
    multiAz: false,
    deletionProtection: false,
    dataRemoval: DataRemoval.SNAPSHOT,
    backupRetentionDays: 7,
    databaseInstanceType: 't4g.medium',
    databaseStorageGiB: 50,
    databaseMaxStorageGiB: 250,
    databasePerformanceInsights: true,
    databaseCredentialRotation: false,
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
    multiAz: true,
    deletionProtection: true,
    dataRemoval: DataRemoval.RETAIN,
    backupRetentionDays: 14,
    databaseInstanceType: 'm7g.large',
    databaseStorageGiB: 100,
    databaseMaxStorageGiB: 1000,
    databasePerformanceInsights: true,
    databaseCredentialRotation: true,
    logRetentionDays: 90,
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
