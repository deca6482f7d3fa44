import { Tier, TierDefaults, TierPresets } from './tier';

/** One row of the tier table: a label and its value per tier, as printed. */
export interface TierTableRow {
  readonly label: string;
  readonly value: (tier: Tier) => string;
}

/**
 * The rows of the README's tier table: the platform's, then each
 * service's, which a service adds when its module loads.
 */
const TIER_TABLE: TierTableRow[] = [];

/** Adds rows to the tier table the README prints (rows already there are kept). */
export function addTierTableRows(rows: TierTableRow[]): void {
  for (const row of rows) {
    if (!TIER_TABLE.some(r => r.label === row.label)) TIER_TABLE.push(row);
  }
}

/** The tier table's rows, in order. */
export function tierTableRows(): TierTableRow[] {
  return [...TIER_TABLE];
}

/** A boolean as the table prints it. */
export const yesNo = (v: boolean): string => (v ? 'yes' : 'no');
const platformRow = (label: string, value: (d: TierDefaults) => string | number | boolean) => ({
  label,
  value: (tier: Tier) => {
    const v = value(TierPresets.of(tier));
    return typeof v === 'boolean' ? yesNo(v) : String(v);
  },
});

addTierTableRows([
  platformRow('Replicas per workload', d => d.replicas),
  platformRow('PodDisruptionBudget', d => d.podDisruptionBudget),
  platformRow('Spread pods across zones', d => d.zoneSpread),
  platformRow('Availability zones (VPC)', d => d.availabilityZones),
  platformRow('NAT gateways', d => d.natGateways),
  platformRow('Node instance type', d => d.nodeInstanceType),
  platformRow('Nodes min', d => d.nodesMin),
  platformRow('Nodes desired', d => d.nodesDesired),
  platformRow('Nodes max', d => d.nodesMax),
  platformRow('Node detailed monitoring', d => d.nodeDetailedMonitoring),
  platformRow('Public EKS API endpoint', d => d.publicEndpoint),
  platformRow('Deletion protection', d => d.deletionProtection),
  platformRow('Stateful data on removal', d => d.dataRemoval),
  platformRow('Log retention (days)', d => d.logRetentionDays),
  platformRow('CPU request / limit', d => `${d.cpuRequest} / ${d.cpuLimit}`),
  platformRow('Memory request / limit', d => `${d.memoryRequest} / ${d.memoryLimit}`),
  platformRow('Pinned images required', d => d.requirePinnedImages),
]);
