import * as fs from 'fs';
import * as path from 'path';
import { PostgresTierPresets, Tier, TierPresets } from '../../lib';
import { tierTableRows } from '../../lib/core/tier-table';
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
  const safety = [prod.deletionProtection, prod.zoneSpread, prod.podDisruptionBudget, prod.requirePinnedImages];
  expect(safety).toEqual([true, true, true, true]);
  expect(prod.dataRemoval).toBe('retain');
  expect(staging.dataRemoval).toBe('snapshot');
  const db = PostgresTierPresets.of(Tier.PRODUCTION);
  expect([db.multiAz, db.credentialRotation, db.performanceInsights]).toEqual([true, true, true]);
  expect(db.backupRetentionDays).toBeGreaterThanOrEqual(14);
});

test('the tier table has the platform rows, then each service\'s, every row once', () => {
  const labels = tierTableRows().map(r => r.label);
  expect(new Set(labels).size).toBe(labels.length);
  expect(labels[0]).toBe('Replicas per workload');
  expect(labels.indexOf('Database Multi-AZ')).toBeGreaterThan(labels.indexOf('Pinned images required'));
});
