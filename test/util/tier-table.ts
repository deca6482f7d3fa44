import { Tier } from '../../lib';
import { tierTableRows } from '../../lib/core/tier-table';

/** The tier table, as the README prints it, made from the preset tables (the platform's and each service's). */
export function tierTable(): string {
  const tiers = [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION];
  return [
    '| Default | DEVELOPMENT | STAGING | PRODUCTION |',
    '|---|---|---|---|',
    ...tierTableRows().map(row => `| ${row.label} | ${tiers.map(t => row.value(t)).join(' | ')} |`),
  ].join('\n');
}
