import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Tier } from '../../lib';
import { cfnGuardUnavailable, explainControlTowerFailures } from '../util/control-tower';
import { deployabilityProblems, secretNamesOfCloudFormation } from '../util/deployability';
import { offlineCliEnv } from '../util/offline-cli';
import { environmentTemplateFromAssembly } from '../util/templates';

/**
 * The real CLIs on examples/quickstart, as a pipeline runs them: offline,
 * with no AWS credentials. The example imports 'cdk-runtime-stack' by name,
 * so it runs the compiled library (`npx projen compile` first).
 */
const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'quickstart');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);


function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: example, env: offlineCliEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let work: string;
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('cdk synth (CLI 2.1148.1) writes the cloud assembly with no AWS call and no credentials', () => {
  const out = path.join(work, 'cdk.out');
  expect(JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'aws-cdk', 'package.json'), 'utf8')).version).toBe('2.1148.1');

  run(bin('cdk'), ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', out]);

  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  expect(manifest.missing).toBeUndefined(); // no context lookup was needed
  expect(manifest.artifacts['acme-prod']).toMatchObject({ type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1' });
  const template = JSON.parse(fs.readFileSync(path.join(out, 'acme-prod.template.json'), 'utf8'));
  const types = Object.values<any>(template.Resources).map(r => r.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::EC2::VPC', 'AWS::KMS::Key']));
  // The database in a stack of its own, deployed after the foundation.
  expect(manifest.artifacts['acme-prod-orders-db']).toMatchObject({ type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1' });
  expect(manifest.artifacts['acme-prod-orders-db'].dependencies).toContain('acme-prod');
  // The CLI wrote no lookup cache next to the program.
  expect(fs.existsSync(path.join(example, 'cdk.context.json'))).toBe(false);
});

(cfnGuardUnavailable ? test.skip : test)('AWS Control Tower proactive controls: the synthesized stack fails only the documented exceptions', () => {
  const template = environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'acme-prod');
  expect(explainControlTowerFailures(Tier.PRODUCTION, template).unexplained).toEqual([]);
}, 120_000);

test('cdk8s synth writes the Kubernetes YAML per environment and cluster', () => {
  const out = path.join(work, 'dist');

  run(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', out]);

  expect(fs.statSync(path.join(out, 'prod', 'main')).isDirectory()).toBe(true);
  const files = fs.readdirSync(path.join(out, 'prod', 'main')).sort();
  for (const f of files) {
    expect(f).toMatch(/^\d\d-[a-z0-9-]+\.k8s\.yaml$/);
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(out, 'prod', 'main', f), 'utf8')).map(d => d.toJS());
    expect(docs.every(d => typeof d.apiVersion === 'string' && typeof d.kind === 'string')).toBe(true);
  }
  // Only the YAML: the cloud assembly is the CDK CLI's job.
  expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
});

test('deployable as written: everything the YAML refers to exists in it or in the stack', () => {
  const template = environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'acme-prod');
  const dir = path.join(work, 'dist', 'prod', 'main');
  const docs = fs.readdirSync(dir).sort().flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
  expect(secretNamesOfCloudFormation(template)).toEqual(['acme/prod/orders-db']);
  expect(deployabilityProblems(docs, { awsSecretNames: secretNamesOfCloudFormation(template), preExistingNamespaces: ['argocd'] })).toEqual([]);
});

test('two runs of the program in separate processes write byte-identical output', () => {
  const outputs = ['one', 'two'].map(name => {
    const dir = path.join(work, `determinism-${name}`);
    execFileSync(bin('ts-node'), ['--transpile-only', '-P', '../tsconfig.json', 'main.ts'], {
      cwd: example,
      env: { ...offlineCliEnv(), CDK_OUTDIR: path.join(dir, 'cdk.out'), CDK8S_OUTDIR: path.join(dir, 'dist') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return dir;
  });
  const files = (dir: string) => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  const [a, b] = outputs;
  expect(files(a).length).toBeGreaterThan(3);
  expect(files(b)).toEqual(files(a));
  for (const f of files(a)) {
    expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f)))).toBe(true);
  }
});
