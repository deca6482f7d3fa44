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


describe('examples/scale: 200 services × 3 environments through cdk synth', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-scale-'));
  const out = path.join(work, 'cdk.out');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  let manifest: any;
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
    execFileSync(path.join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', out], {
      cwd: example, env: offlineCliEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
    });
    manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
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
