import { Tier } from '../../core/tier';
import { addTierTableRows } from '../../core/tier-table';

/**
 * The defaults a tier chooses for `Queue`. Every value can be overridden by
 * the prop it feeds.
 */
export interface QueueTierDefaults {
  /** How long a message is kept, in days. */
  readonly retentionDays: number;
  /** Receives of one message before it moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

const PRESETS: Record<Tier, QueueTierDefaults> = {
  [Tier.DEVELOPMENT]: { retentionDays: 1, maxReceiveCount: 3 },
  [Tier.STAGING]: { retentionDays: 4, maxReceiveCount: 5 },
  [Tier.PRODUCTION]: { retentionDays: 14, maxReceiveCount: 10 },
};

/**
 * The tier preset table of `Queue`.
 */
export class QueueTierPresets {
  /** The defaults of `tier`. */
  public static of(tier: Tier): QueueTierDefaults {
    return PRESETS[tier];
  }

  private constructor() {}
}

addTierTableRows([
  { label: 'Queue message retention (days)', value: t => String(PRESETS[t].retentionDays) },
  { label: 'Queue receives before the dead-letter queue', value: t => String(PRESETS[t].maxReceiveCount) },
]);
