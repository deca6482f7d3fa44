import { Tier } from '../../core/tier';
import { addTierTableRows, yesNo } from '../../core/tier-table';

/**
 * The defaults a tier chooses for `ObjectStore`. Every value can be
 * overridden by the prop it feeds.
 */
export interface ObjectStoreTierDefaults {
  /** Object versioning. */
  readonly versioned: boolean;
  /** Days a replaced or deleted version is kept (with versioning). */
  readonly noncurrentVersionDays: number;
}

const PRESETS: Record<Tier, ObjectStoreTierDefaults> = {
  [Tier.DEVELOPMENT]: { versioned: false, noncurrentVersionDays: 7 },
  [Tier.STAGING]: { versioned: true, noncurrentVersionDays: 30 },
  [Tier.PRODUCTION]: { versioned: true, noncurrentVersionDays: 90 },
};

/**
 * The tier preset table of `ObjectStore`.
 */
export class ObjectStoreTierPresets {
  /** The defaults of `tier`. */
  public static of(tier: Tier): ObjectStoreTierDefaults {
    return PRESETS[tier];
  }

  private constructor() {}
}

addTierTableRows([
  { label: 'Bucket versioning', value: t => yesNo(PRESETS[t].versioned) },
  { label: 'Bucket noncurrent versions kept (days)', value: t => (PRESETS[t].versioned ? String(PRESETS[t].noncurrentVersionDays) : '–') },
]);
