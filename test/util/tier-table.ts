import { Tier, TierDefaults, TierPresets } from '../../lib';

const ROWS: Array<[keyof TierDefaults, string]> = [
  ['replicas', 'Replicas per workload'],
  ['podDisruptionBudget', 'PodDisruptionBudget'],
  ['zoneSpread', 'Spread pods across zones'],
  ['availabilityZones', 'Availability zones (VPC)'],
  ['natGateways', 'NAT gateways'],
  ['nodeInstanceType', 'Node instance type'],
  ['nodesMin', 'Nodes min'],
  ['nodesDesired', 'Nodes desired'],
  ['nodesMax', 'Nodes max'],
  ['publicEndpoint', 'Public EKS API endpoint'],
  ['multiAz', 'Database Multi-AZ'],
  ['deletionProtection', 'Deletion protection'],
  ['dataRemoval', 'Stateful data on removal'],
  ['backupRetentionDays', 'Backup retention (days)'],
  ['databaseInstanceType', 'Database instance class'],
  ['databaseStorageGiB', 'Database storage (GiB)'],
  ['databaseMaxStorageGiB', 'Database storage autoscaling up to (GiB)'],
  ['databasePerformanceInsights', 'Database Performance Insights'],
  ['databaseCredentialRotation', 'Database credential rotation'],
  ['logRetentionDays', 'Log retention (days)'],
  ['cpuRequest', 'CPU request / limit'],
  ['memoryRequest', 'Memory request / limit'],
  ['requirePinnedImages', 'Pinned images required'],
];

/** The tier table, as the README prints it, made from the one preset table. */
export function tierTable(): string {
  const tiers = [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION];
  const fmt = (tier: Tier, key: keyof TierDefaults): string => {
    const d = TierPresets.of(tier);
    if (key === 'cpuRequest') return `${d.cpuRequest} / ${d.cpuLimit}`;
    if (key === 'memoryRequest') return `${d.memoryRequest} / ${d.memoryLimit}`;
    if (key === 'databaseInstanceType') return `db.${d.databaseInstanceType}`;
    const v = d[key];
    return typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
  };
  return [
    '| Default | DEVELOPMENT | STAGING | PRODUCTION |',
    '|---|---|---|---|',
    ...ROWS.map(([key, label]) => `| ${label} | ${tiers.map(t => fmt(t, key)).join(' | ')} |`),
  ].join('\n');
}
