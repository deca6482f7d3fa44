import { Tier } from '../../core/tier';
import { addTierTableRows, yesNo } from '../../core/tier-table';

/** What a tier chooses for workloads on a `FargateRuntime`. */
export interface FargateTierDefaults {
  /**
   * The task size where a workload gives no `cpuLimit` / `memoryLimit`:
   * the smallest Fargate size at or above the tier's requests (the
   * Kubernetes limits, 500m / 256Mi in DEVELOPMENT, are no Fargate size).
   */
  readonly cpuLimit: string;
  readonly memoryLimit: string;
  /** Deletion protection of the runtime's load balancer. */
  readonly loadBalancerDeletionProtection: boolean;
  /** Versioning of the load balancer's access-log bucket (as the environment's S3 access-log bucket). */
  readonly accessLogsVersioned: boolean;
}

const PRESETS: Record<Tier, FargateTierDefaults> = {
  [Tier.DEVELOPMENT]: { cpuLimit: '250m', memoryLimit: '512Mi', loadBalancerDeletionProtection: false, accessLogsVersioned: false },
  [Tier.STAGING]: { cpuLimit: '500m', memoryLimit: '1Gi', loadBalancerDeletionProtection: false, accessLogsVersioned: true },
  [Tier.PRODUCTION]: { cpuLimit: '1', memoryLimit: '2Gi', loadBalancerDeletionProtection: true, accessLogsVersioned: true },
};

/** The defaults of `tier` on Fargate. */
export function fargateDefaults(tier: Tier): FargateTierDefaults {
  return PRESETS[tier];
}

addTierTableRows([
  { label: 'Fargate task size (CPU / memory)', value: t => `${PRESETS[t].cpuLimit} / ${PRESETS[t].memoryLimit}` },
  { label: 'Fargate load balancer deletion protection', value: t => yesNo(PRESETS[t].loadBalancerDeletionProtection) },
]);
