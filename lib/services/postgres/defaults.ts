import { Tier } from '../../core/tier';
import { addTierTableRows, yesNo } from '../../core/tier-table';

/**
 * The defaults a tier chooses for `ManagedPostgres`. Every value can be
 * overridden by the prop it feeds.
 */
export interface PostgresTierDefaults {
  /** A standby instance in another availability zone. */
  readonly multiAz: boolean;
  /** Automated backup retention in days. */
  readonly backupRetentionDays: number;
  /** Instance class (without the `db.` prefix). */
  readonly instanceType: string;
  /** Allocated storage in GiB. */
  readonly storageGiB: number;
  /** The ceiling of storage autoscaling in GiB. */
  readonly maxStorageGiB: number;
  /** Performance Insights (7 days, KMS-encrypted). */
  readonly performanceInsights: boolean;
  /** Automatic rotation of the credentials (every 30 days). */
  readonly credentialRotation: boolean;
  /** Enhanced monitoring: seconds between OS metrics (0: off). */
  readonly monitoringIntervalSeconds: number;
}

const PRESETS: Record<Tier, PostgresTierDefaults> = {
  [Tier.DEVELOPMENT]: {
    multiAz: false,
    backupRetentionDays: 1,
    instanceType: 't4g.micro',
    storageGiB: 20,
    maxStorageGiB: 100,
    performanceInsights: false,
    credentialRotation: false,
    monitoringIntervalSeconds: 0,
  },
  [Tier.STAGING]: {
    multiAz: false,
    backupRetentionDays: 7,
    instanceType: 't4g.medium',
    storageGiB: 50,
    maxStorageGiB: 250,
    performanceInsights: true,
    credentialRotation: false,
    monitoringIntervalSeconds: 60,
  },
  [Tier.PRODUCTION]: {
    multiAz: true,
    backupRetentionDays: 14,
    instanceType: 'm7g.large',
    storageGiB: 100,
    maxStorageGiB: 1000,
    performanceInsights: true,
    credentialRotation: true,
    monitoringIntervalSeconds: 60,
  },
};

/**
 * The tier preset table of `ManagedPostgres`.
 */
export class PostgresTierPresets {
  /** The defaults of `tier`. */
  public static of(tier: Tier): PostgresTierDefaults {
    return PRESETS[tier];
  }

  private constructor() {}
}

addTierTableRows([
  { label: 'Database Multi-AZ', value: t => yesNo(PRESETS[t].multiAz) },
  { label: 'Database backup retention (days)', value: t => String(PRESETS[t].backupRetentionDays) },
  { label: 'Database instance class', value: t => `db.${PRESETS[t].instanceType}` },
  { label: 'Database storage (GiB)', value: t => String(PRESETS[t].storageGiB) },
  { label: 'Database storage autoscaling up to (GiB)', value: t => String(PRESETS[t].maxStorageGiB) },
  { label: 'Database Performance Insights', value: t => yesNo(PRESETS[t].performanceInsights) },
  { label: 'Database credential rotation', value: t => yesNo(PRESETS[t].credentialRotation) },
  { label: 'Database enhanced monitoring (seconds)', value: t => (PRESETS[t].monitoringIntervalSeconds ? String(PRESETS[t].monitoringIntervalSeconds) : '–') },
]);
