import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Environment, KubernetesCluster, Platform, Tier } from '../../lib';
import { cloudFormationAppOf } from '../../lib/engines/cloudformation/engine';

/** Runs `fn` with the CLIs' output variables set as given (others unset). */
function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const keys = ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR'];
  const saved = Object.fromEntries(keys.map(k => [k, process.env[k]]));
  try {
    for (const k of keys) delete process.env[k];
    for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = v;
    fn();
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  }
}

function quickstart(name = 'acme', account = '111111111111'): Platform {
  const platform = new Platform({ name });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account, region: 'eu-west-1' });
  new KubernetesCluster(prod, 'main');
  const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account, region: 'eu-west-1' });
  new KubernetesCluster(dev, 'main');
  return platform;
}

function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(e => path.relative(dir, path.join(e.parentPath ?? (e as any).path, e.name)) + (e.isDirectory() ? '/' : ''))
    .sort();
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-platform-test-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('Platform.synth', () => {
  test('run directly, writes the cloud assembly and the Kubernetes folders per environment and cluster', () => {
    const cdkOut = path.join(work, 'cdk.out');
    const dist = path.join(work, 'dist');
    withEnv({}, () => quickstart().synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: dist }));

    const assembly = listTree(cdkOut);
    expect(assembly).toEqual(expect.arrayContaining(['manifest.json', 'acme-prod.template.json', 'acme-dev.template.json']));
    const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['acme-prod'].environment).toBe('aws://111111111111/eu-west-1');
    // The YAML per environment and cluster, and the platform's diagram.
    expect(listTree(dist)).toEqual(['dev/', 'dev/main/', 'diagram.dot', 'diagram.mmd', 'prod/', 'prod/main/']);
    // Nothing is left behind next to the outputs.
    expect(fs.readdirSync(work).sort()).toEqual(['cdk.out', 'dist']);
  });

  test('defaults to cdk.out/ and dist/ in the working directory', () => {
    const cwd = process.cwd();
    process.chdir(work);
    try {
      withEnv({}, () => quickstart().synth());
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(work).sort()).toEqual(['cdk.out', 'dist']);
  });

  test('under the CDK CLI (CDK_OUTDIR) writes only the cloud assembly, into that folder, keeping the CLI\'s own files', () => {
    const cliOut = path.join(work, 'cli-assembly');
    fs.mkdirSync(cliOut);
    fs.writeFileSync(path.join(cliOut, 'synth.lock'), 'cli');
    withEnv({ CDK_OUTDIR: cliOut }, () => quickstart().synth({ manifestsOutdir: path.join(work, 'dist') }));

    expect(listTree(cliOut)).toEqual(expect.arrayContaining(['manifest.json', 'acme-prod.template.json', 'synth.lock']));
    expect(fs.existsSync(path.join(work, 'dist'))).toBe(false);
  });

  test('under the cdk8s CLI (CDK8S_OUTDIR) writes only the YAML, into that folder', () => {
    const cliOut = path.join(work, 'cdk8s-out');
    withEnv({ CDK8S_OUTDIR: cliOut }, () => quickstart().synth({ cloudAssemblyOutdir: path.join(work, 'cdk.out') }));

    expect(listTree(cliOut)).toEqual(['dev/', 'dev/main/', 'diagram.dot', 'diagram.mmd', 'prod/', 'prod/main/']);
    expect(fs.existsSync(path.join(work, 'cdk.out'))).toBe(false);
  });

  test('a graph with errors writes nothing, and leaves the previous output as it was', () => {
    const cdkOut = path.join(work, 'cdk.out');
    const dist = path.join(work, 'dist');
    withEnv({}, () => quickstart().synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: dist }));
    const before = listTree(work).map(f => [f, f.endsWith('/') ? '' : fs.readFileSync(path.join(work, f), 'utf8')]);

    const broken = quickstart('acme', 'not-an-account');
    expect(() => withEnv({}, () => broken.synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: dist }))).toThrow(/RS011/);

    const after = listTree(work).map(f => [f, f.endsWith('/') ? '' : fs.readFileSync(path.join(work, f), 'utf8')]);
    expect(after).toEqual(before);
  });

  test('a graph with errors creates no output folder at all', () => {
    const cdkOut = path.join(work, 'cdk.out');
    const dist = path.join(work, 'dist');
    expect(() => withEnv({}, () => quickstart('acme', '1').synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: dist }))).toThrow(/2 problems in the runtime stack/);
    expect(fs.readdirSync(work)).toEqual([]);
  });

  test('two synths of the same program are byte-identical', () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    withEnv({}, () => quickstart().synth({ cloudAssemblyOutdir: path.join(a, 'cdk.out'), manifestsOutdir: path.join(a, 'dist') }));
    withEnv({}, () => quickstart().synth({ cloudAssemblyOutdir: path.join(b, 'cdk.out'), manifestsOutdir: path.join(b, 'dist') }));

    const files = listTree(a).filter(f => !f.endsWith('/'));
    expect(files.length).toBeGreaterThan(4);
    expect(listTree(b)).toEqual(listTree(a));
    for (const f of files) {
      expect({ f, bytes: fs.readFileSync(path.join(b, f)).toString('base64') }).toEqual({ f, bytes: fs.readFileSync(path.join(a, f)).toString('base64') });
    }
  });

  test('one platform synthesized twice writes the same files both times (the first synth\'s files were moved, not copied)', () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    const platform = quickstart();
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: path.join(a, 'cdk.out'), manifestsOutdir: path.join(a, 'dist') }));
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: path.join(b, 'cdk.out'), manifestsOutdir: path.join(b, 'dist') }));

    const files = listTree(a).filter(f => !f.endsWith('/'));
    expect(files).toEqual(expect.arrayContaining(['cdk.out/manifest.json', 'cdk.out/acme-prod.template.json', 'cdk.out/acme-dev.template.json']));
    expect(listTree(b)).toEqual(listTree(a));
    for (const f of files) {
      expect({ f, text: fs.readFileSync(path.join(b, f), 'utf8') }).toEqual({ f, text: fs.readFileSync(path.join(a, f), 'utf8') });
    }
    // The first output's files are hard links where the file system allows;
    // a later one is a copy: writing to a file of one in place leaves the other.
    const before = fs.readFileSync(path.join(b, 'cdk.out', 'acme-prod.template.json'), 'utf8');
    fs.writeFileSync(path.join(a, 'cdk.out', 'acme-prod.template.json'), '{}');
    expect(fs.readFileSync(path.join(b, 'cdk.out', 'acme-prod.template.json'), 'utf8')).toBe(before);
    fs.writeFileSync(path.join(b, 'cdk.out', 'acme-dev.template.json'), '{}');
    expect(fs.readFileSync(path.join(a, 'cdk.out', 'acme-dev.template.json'), 'utf8')).not.toBe('{}');
  });

  test('a forced re-synth of the cloud assembly afterwards (an escape hatch, a test) never writes through into the output', () => {
    const platform = quickstart();
    const cdkOut = path.join(work, 'cdk.out');
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: path.join(work, 'dist') }));
    const files = listTree(cdkOut).filter(f => !f.endsWith('/'));
    const before = files.map(f => [f, fs.readFileSync(path.join(cdkOut, f), 'utf8')]);
    // aws-cdk-lib adds its stack metadata again on a forced synth: were the
    // output linked to the files it writes, its metadata files would change.
    cloudFormationAppOf(platform)!.synth({ force: true });
    expect(files.map(f => [f, fs.readFileSync(path.join(cdkOut, f), 'utf8')])).toEqual(before);
  });

  test('a forced re-synth that fails leaves the cached assembly readable, and a later synth still writes it', () => {
    const platform = quickstart();
    const cdkOut = path.join(work, 'a', 'cdk.out');
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: path.join(work, 'a', 'dist') }));
    const stack = cloudFormationAppOf(platform)!.node.findChild('acme-prod') as cdk.Stack;
    const expected = Template.fromStack(stack).toJSON();
    stack.node.addValidation({ validate: () => ['not today'] });
    expect(() => cloudFormationAppOf(platform)!.synth({ force: true })).toThrow(/not today/);

    expect(Template.fromStack(stack).toJSON()).toEqual(expected);
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: path.join(work, 'b', 'cdk.out'), manifestsOutdir: path.join(work, 'b', 'dist') }));
    expect(JSON.parse(fs.readFileSync(path.join(work, 'b', 'cdk.out', 'acme-prod.template.json'), 'utf8'))).toEqual(expected);
  });

  test('a forced re-synth keeps the assets staged when their constructs were made (an escape hatch\'s file asset)', () => {
    const platform = new Platform({ name: 'acme' });
    const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    const file = path.join(work, 'seed.sql');
    fs.writeFileSync(path.join(work, 'seed.sql'), 'select 1;');
    let asset: s3assets.Asset | undefined;
    Platform.addRenderHook(platform, { afterRender: () => { asset = new s3assets.Asset(prod.stacks[0], 'Seed', { path: file }); } });
    const cdkOut = path.join(work, 'out', 'cdk.out');
    withEnv({}, () => platform.synth({ cloudAssemblyOutdir: cdkOut, manifestsOutdir: path.join(work, 'out', 'dist') }));
    expect(fs.readFileSync(path.join(cdkOut, `asset.${asset!.assetHash}.sql`), 'utf8')).toBe('select 1;');

    const again = cloudFormationAppOf(platform)!.synth({ force: true });
    expect(fs.readFileSync(path.join(again.directory, `asset.${asset!.assetHash}.sql`), 'utf8')).toBe('select 1;');
    expect(fs.readFileSync(path.join(cdkOut, `asset.${asset!.assetHash}.sql`), 'utf8')).toBe('select 1;');
  });

  test('render() runs once; constructs added afterwards are refused with a clear message', () => {
    const platform = quickstart();
    platform.render();
    platform.render();
    expect(() => new Environment(platform, 'late', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }))
      .toThrow(/already been rendered; create every construct before calling render\(\) or synth\(\)/);
  });
});

describe('warnings', () => {
  test('are printed unless acknowledged on the construct or an ancestor', () => {
    // The foundation has no warning of its own yet; use the mechanism directly.
    const platform = quickstart();
    const env = platform.node.findChild('prod') as Environment;
    platform._register({
      scope: env,
      phase: 60,
      validate: p => p.warning(env, 'RS999', 'example', 'an example warning', 'acknowledge it'),
      render: () => undefined,
    });
    Platform.acknowledgeWarning(platform, 'RS999', 'accepted for the whole platform in this test');
    platform.render();
    expect(platform.warnings).toEqual([]);

    const other = quickstart();
    const otherEnv = other.node.findChild('prod') as Environment;
    other._register({
      scope: otherEnv,
      phase: 60,
      validate: p => p.warning(otherEnv, 'RS999', 'example', 'an example warning', 'acknowledge it'),
      render: () => undefined,
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    other.render();
    expect(other.warnings).toEqual(['  acme/prod  [RS999] example: an example warning: acknowledge it']);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining("Platform.acknowledgeWarning(scope, 'RS999', reason)"));
    stderr.mockRestore();
  });
});
