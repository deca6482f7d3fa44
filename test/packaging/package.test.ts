import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * What a user installs: the packed tarball (compiled JavaScript,
 * declarations and the jsii assembly; no TypeScript sources), used from a
 * CloudFormation-only program with only the required peers installed (no
 * cdktf, no @cdktf/provider-aws), type-checked under `strict` and run.
 * Offline: the peers are links into this repository's node_modules.
 */

const ROOT = path.join(__dirname, '..', '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
/** The required peers, and what the scratch app needs to compile and run. */
const LINKED = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', 'typescript', '@types'];

function pack(into: string): string {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return path.join(into, JSON.parse(out)[0].filename);
}

describe('the npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-test-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  const tarball = pack(work);
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map(f => f.replace(/^package\//, ''));

  test('ships JavaScript, declarations and the jsii assembly, and no TypeScript sources', () => {
    expect(files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', '.jsii', 'package.json', 'README.md']));
    // (The bundled dependencies keep their packages as published.)
    expect(files.filter(f => !f.startsWith('node_modules/') && f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // Every module has its declarations.
    const js = files.filter(f => f.startsWith('lib/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(50);
    expect(js.filter(f => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    expect(files.filter(f => /^(test|examples|bench|scripts)\//.test(f))).toEqual([]);
  });

  test('ships what testing.Verify needs: the CRDs it validates custom resources against, and its bundled dependencies', () => {
    expect(files).toEqual(expect.arrayContaining([
      'crds/gateway-api/gateway.networking.k8s.io_httproutes.yaml',
      'crds/keda/keda.sh_scaledobjects.yaml',
      'node_modules/ajv/package.json',
      'node_modules/ajv-formats/package.json',
      'node_modules/yaml/package.json',
    ]));
  });

  test('a CloudFormation-only program type-checks under strict and synthesizes, without cdktf installed', () => {
    const app = path.join(work, 'app');
    const modules = path.join(app, 'node_modules');
    fs.mkdirSync(path.join(modules, 'cdk-runtime-stack'), { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', path.join(modules, 'cdk-runtime-stack'), '--strip-components=1']);
    for (const name of LINKED) fs.symlinkSync(path.join(NODE_MODULES, name), path.join(modules, name), 'dir');
    fs.writeFileSync(path.join(app, 'main.ts'), [
      "import { Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, testing, Tier, WebApp } from 'cdk-runtime-stack';",
      "const platform = new Platform({ name: 'acme' });",
      "const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });",
      "const cluster = new KubernetesCluster(env, 'main');",
      "new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });",
      "const db = new ManagedPostgres(env, 'orders-db');",
      "new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', connections: [db] });",
      // The testing helpers work from the package (cdk-nag is not installed here: a clear message says what to install).
      'testing.Verify.podsRestricted(platform);',
      'testing.Verify.schemaValid(platform);',
      'testing.Verify.noSecretMaterial(platform);',
      'try { testing.Verify.awsSolutionsClean(platform); } catch (e) { console.log(String(e)); }',
      "platform.synth({ cloudAssemblyOutdir: 'cdk.out', manifestsOutdir: 'dist', summary: false });",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        noUnusedLocals: true,
        noImplicitReturns: true,
        noFallthroughCasesInSwitch: true,
        skipLibCheck: false,
        target: 'ES2022',
        module: 'commonjs',
        types: ['node'],
        outDir: 'out',
      },
      files: ['main.ts'],
    }));
    expect(() => require.resolve('cdktf', { paths: [app] })).toThrow();

    const tsc = spawnSync(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    expect({ status: tsc.status, output: tsc.stdout + tsc.stderr }).toEqual({ status: 0, output: '' });

    const env = { ...process.env };
    for (const k of ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) delete env[k];
    const run = spawnSync(process.execPath, [path.join(app, 'out', 'main.js')], { cwd: app, encoding: 'utf8', env });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout.trim()).toMatch(/^Error: Verify.awsSolutionsClean needs cdk-nag: npm install --save-dev cdk-nag@\^3 \(in Python: pip install cdk-nag, and import cdk_nag/);
    expect(fs.existsSync(path.join(app, 'cdk.out', 'acme-prod.template.json'))).toBe(true);
    expect(fs.readdirSync(path.join(app, 'dist', 'prod', 'main')).length).toBeGreaterThan(3);
  });
});
