import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { offlineCliEnv } from '../util/offline-cli';

/**
 * examples/scale with the real CDK CLI, offline and without credentials:
 * 200 services with a database each in three environments synthesize into
 * 603 stacks, each within every CloudFormation limit, each deployable
 * after (and only after) its environment's foundation.
 */
const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'scale');

/** `cdk synth` of the example into `out` (offline, no credentials), with the example's own variables; its manifest. */
function cdkSynth(out: string, variables: Record<string, string> = {}): any {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', out], {
    cwd: example, env: { ...offlineCliEnv(), ...variables }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
}

describe('examples/scale: 200 services × 3 environments through cdk synth', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-scale-'));
  const out = path.join(work, 'cdk.out');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  let manifest: any;
  beforeAll(() => {
    manifest = cdkSynth(out);
  }, 600_000);

  test('603 stacks: a foundation per environment and a stack per database, no context lookup', () => {
    expect(manifest.missing).toBeUndefined();
    const stacks = Object.keys(manifest.artifacts).filter(id => manifest.artifacts[id].type === 'aws:cloudformation:stack');
    expect(stacks).toHaveLength(603);
    for (const foundation of ['acme-dev', 'acme-staging', 'acme-prod']) {
      expect(stacks).toContain(foundation);
      expect(stacks.filter(s => s.startsWith(`${foundation}-svc`))).toHaveLength(200);
    }
    expect(manifest.artifacts['acme-prod'].environment).toBe('aws://333333333333/us-east-1');
    expect(manifest.artifacts['acme-prod-svc199-db'].environment).toBe('aws://333333333333/us-east-1');
  });

  test('every stack is within every CloudFormation limit', () => {
    let largest = 0;
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const file = path.join(out, artifact.properties.templateFile);
      const template = JSON.parse(fs.readFileSync(file, 'utf8'));
      const resources = Object.keys(template.Resources).length;
      largest = Math.max(largest, resources);
      expect({
        id,
        resources: resources <= 500,
        outputs: Object.keys(template.Outputs ?? {}).length <= 200,
        parameters: Object.keys(template.Parameters ?? {}).length <= 200,
        bytes: fs.statSync(file).size <= 1_000_000,
      })
        .toEqual({ id, resources: true, outputs: true, parameters: true, bytes: true });
    }
    expect(largest).toBeGreaterThan(40); // the foundations
  });

  test('each database stack depends on its foundation only, which depends on nothing: cdk deploy --all orders them, cdk deploy -e deploys one alone', () => {
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const deps = (artifact.dependencies ?? []).filter((d: string) => !d.endsWith('.assets'));
      const foundation = id.match(/^acme-(dev|staging|prod)/)![0];
      expect({ id, deps }).toEqual({ id, deps: id === foundation ? [] : [foundation] });
    }
  });
});

describe('examples/scale with SCALE_TEAM_SIZE: each team\'s databases in a StackGroup, through cdk synth', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-scale-teams-'));
  const out = path.join(work, 'cdk.out');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  let manifest: any;
  beforeAll(() => {
    // 30 PRODUCTION databases with rotation are 360 resources (12 each): inside the limit.
    manifest = cdkSynth(out, { SCALE_SERVICES: '60', SCALE_TEAM_SIZE: '30' });
  }, 600_000);
  const stacks = () => Object.keys(manifest.artifacts).filter(id => manifest.artifacts[id].type === 'aws:cloudformation:stack');
  const templateOf = (id: string) => JSON.parse(fs.readFileSync(path.join(out, manifest.artifacts[id].properties.templateFile), 'utf8'));

  test('9 stacks: a foundation and two team stacks per environment, 30 databases each, within the limits', () => {
    expect(stacks().sort()).toEqual(['dev', 'prod', 'staging'].flatMap(e => [`acme-${e}`, `acme-${e}-team0`, `acme-${e}-team1`]).sort());
    for (const id of stacks().filter(s => s.includes('-team'))) {
      const template = templateOf(id);
      const resources = Object.values<any>(template.Resources);
      expect(resources.filter(r => r.Type === 'AWS::RDS::DBInstance')).toHaveLength(30);
      expect(resources.length).toBeLessThanOrEqual(500);
      expect(fs.statSync(path.join(out, manifest.artifacts[id].properties.templateFile)).size).toBeLessThanOrEqual(1_000_000);
      if (id.startsWith('acme-prod-')) expect(resources.length).toBe(360);
    }
  });

  test('each team stack depends on its foundation only: cdk deploy -e acme-prod-team1 deploys one team alone', () => {
    for (const id of stacks()) {
      const deps = (manifest.artifacts[id].dependencies ?? []).filter((d: string) => !d.endsWith('.assets'));
      const foundation = id.match(/^acme-(dev|staging|prod)/)![0];
      expect({ id, deps }).toEqual({ id, deps: id === foundation ? [] : [foundation] });
    }
  });
});
