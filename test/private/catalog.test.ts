import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CLIENT_SIDE_APPLY_ANNOTATION_LIMIT, HELM_CHARTS, HelmChartEntry } from '../../lib/private/catalog';

const CRDS = path.join(__dirname, '..', '..', 'crds');

/** Every CRD in a vendored file, with its size as the JSON a client-side apply keeps in its annotation. */
function crdsIn(file: string): Array<{ name: string; jsonBytes: number }> {
  return parseAllDocuments(fs.readFileSync(path.join(CRDS, file), 'utf8'))
    .map(d => d.toJSON())
    .filter(o => o?.kind === 'CustomResourceDefinition')
    .map(o => ({ name: o.metadata.name, jsonBytes: Buffer.byteLength(JSON.stringify(o)) }));
}

function vendoredFiles(dir = CRDS, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory()
    ? vendoredFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
    : e.name.endsWith('.yaml') ? [`${prefix}${e.name}`] : []);
}

const charts = Object.entries(HELM_CHARTS) as Array<[string, HelmChartEntry]>;

describe('CRDs too large for a client-side apply (the catalog table)', () => {
  test.each(charts)('%s: the table was checked for the pinned version', (_key, entry) => {
    // Bumping a chart version fails here until its CRDs are measured again
    // and largeCrds / largeCrdsCheckedFor are updated.
    expect(entry.largeCrdsCheckedFor).toBe(entry.version);
  });

  test.each(charts)('%s: every listed CRD says where its size comes from, and vendored ones measure what the table says', (_key, entry) => {
    for (const crd of entry.largeCrds) {
      if (crd.vendored) {
        const measured = crdsIn(crd.vendored);
        expect(measured).toEqual([{ name: crd.name, jsonBytes: crd.jsonBytes }]);
        expect(crd.jsonBytes).toBeGreaterThan(CLIENT_SIDE_APPLY_ANNOTATION_LIMIT);
      } else {
        expect(crd.source).toMatch(/\w/);
      }
    }
    for (const file of entry.vendoredCrds ?? []) {
      for (const crd of crdsIn(file)) {
        expect({ crd: crd.name, overLimit: crd.jsonBytes > CLIENT_SIDE_APPLY_ANNOTATION_LIMIT }).toEqual({ crd: crd.name, overLimit: false });
      }
    }
  });

  test('every vendored CRD over the limit is listed for the chart that installs it (or no pinned chart installs it)', () => {
    const listed = new Set(charts.flatMap(([, e]) => e.largeCrds.map(c => c.vendored).filter(Boolean)));
    const overLimit = vendoredFiles().filter(f => crdsIn(f).some(c => c.jsonBytes > CLIENT_SIDE_APPLY_ANNOTATION_LIMIT));
    const unlisted = overLimit.filter(f => !listed.has(f));
    expect(unlisted).toEqual([]);
    // envoyproxies, secretstores, clustersecretstores and CloudNativePG's Cluster (272 KB).
    expect(overLimit).toEqual(expect.arrayContaining(['cloudnative-pg/postgresql.cnpg.io_clusters.yaml']));
    expect(overLimit.length).toBeGreaterThanOrEqual(4);
  });
});
