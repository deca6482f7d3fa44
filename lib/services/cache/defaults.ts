import { Tier } from '../../core/tier';
import { addTierTableRows, yesNo } from '../../core/tier-table';

/**
 * The defaults a tier chooses for `Cache`. Every value can be overridden by
 * the prop it feeds.
 */
export interface CacheTierDefaults {
  /** Node type. */
  readonly nodeType: string;
  /** Nodes of the replication group (a primary and its replicas); Multi-AZ with automatic failover from 2. */
  readonly nodes: number;
  /** Days automatic snapshots are kept (0: none). */
  readonly snapshotRetentionDays: number;
}

const PRESETS: Record<Tier, CacheTierDefaults> = {
  [Tier.DEVELOPMENT]: { nodeType: 'cache.t4g.micro', nodes: 1, snapshotRetentionDays: 0 },
  [Tier.STAGING]: { nodeType: 'cache.t4g.medium', nodes: 1, snapshotRetentionDays: 1 },
  [Tier.PRODUCTION]: { nodeType: 'cache.m7g.large', nodes: 2, snapshotRetentionDays: 7 },
};

/**
 * The tier preset table of `Cache`.
 */
export class CacheTierPresets {
  /** The defaults of `tier`. */
  public static of(tier: Tier): CacheTierDefaults {
    return PRESETS[tier];
  }

  private constructor() {}
}

addTierTableRows([
  { label: 'Cache node type', value: t => PRESETS[t].nodeType },
  { label: 'Cache nodes', value: t => String(PRESETS[t].nodes) },
  { label: 'Cache Multi-AZ with automatic failover', value: t => yesNo(PRESETS[t].nodes >= 2) },
  { label: 'Cache snapshot retention (days)', value: t => String(PRESETS[t].snapshotRetentionDays) },
]);
