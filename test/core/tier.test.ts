import * as fs from 'fs';
import * as path from 'path';
import { Tier, TierPresets } from '../../lib';
import { tierTable } from '../util/tier-table';

test('the README prints the tier preset table as the library has it', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = /<!-- tier-table:start -->\n([\s\S]*?)\n<!-- tier-table:end -->/.exec(readme);
  expect(section).not.toBeNull();
  expect(section![1]).toBe(tierTable());
});

test('PRODUCTION is the safest tier on every axis that matters for availability and data', () => {
  const [dev, staging, prod] = [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION].map(t => TierPresets.of(t));
  expect(prod.replicas).toBeGreaterThanOrEqual(2);
  expect(dev.replicas).toBeLessThanOrEqual(staging.replicas);
  expect(staging.replicas).toBeLessThanOrEqual(prod.replicas);
  expect(prod.natGateways).toBe(prod.availabilityZones);
  const safety = [prod.multiAz, prod.deletionProtection, prod.zoneSpread, prod.podDisruptionBudget, prod.requirePinnedImages];
  expect(safety).toEqual([true, true, true, true, true]);
  expect(prod.dataRemoval).toBe('retain');
  expect(staging.dataRemoval).toBe('snapshot');
  expect(prod.backupRetentionDays).toBeGreaterThanOrEqual(14);
});
