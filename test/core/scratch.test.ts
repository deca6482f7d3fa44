import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The engines' apps need an output folder when they are created; the
 * library gives them one in the temp directory and removes it when the
 * process ends, after a synth and after a failed one. Each case runs a
 * program in a process of its own, with a temp directory of its own, and
 * looks at what is left there.
 */

const LIB = path.join(__dirname, '..', '..', 'lib');

function run(body: string, options: { unwritableOutput?: boolean } = {}): { status: number | null; stderr: string; leftInTmp: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-test-'));
  let out = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-out-'));
  const root = out;
  if (options.unwritableOutput) {
    // A file where the output folders' parent should be: the synth fails after rendering.
    fs.writeFileSync(path.join(out, 'file'), '');
    out = path.join(out, 'file');
  }
  const program = `
    const lib = require(${JSON.stringify(LIB)});
    const platform = new lib.Platform({ name: 'acme' });
    ${body}
    platform.synth({ cloudAssemblyOutdir: ${JSON.stringify(path.join(out, 'cdk.out'))}, manifestsOutdir: ${JSON.stringify(path.join(out, 'dist'))}, terraformOutdir: ${JSON.stringify(path.join(out, 'cdktf.out'))} });
  `;
  const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, CDK_OUTDIR: '', CDK8S_OUTDIR: '', CDKTF_OUTDIR: '' };
  for (const k of ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) delete (env as Record<string, string | undefined>)[k];
  const result = spawnSync(process.execPath, ['-e', program], { env, encoding: 'utf8', timeout: 120_000 });
  const leftInTmp = fs.readdirSync(tmp).filter(f => f.startsWith('cdk-runtime-stack-'));
  const wrote = fs.existsSync(path.join(out, 'cdk.out')) || fs.existsSync(path.join(out, 'cdktf.out'));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
  return { status: result.status, stderr: `${result.stderr}${wrote ? '' : '\n(nothing written)'}`, leftInTmp };
}

const environment = (engine: string, account = '111111111111') => `
  const env = new lib.Environment(platform, 'dev', { tier: lib.Tier.DEVELOPMENT, account: '${account}', region: 'eu-west-1', engine: lib.CloudEngine.${engine} });
  new lib.ManagedPostgres(env, 'orders-db');
`;

describe.each(['CLOUDFORMATION', 'TERRAFORM'])('scratch folders of the %s engine', engine => {
  test('are gone after a synth', () => {
    const r = run(environment(engine));
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.leftInTmp).toEqual([]);
  });

  test('are gone after a synth that failed writing its output (after the engine made its folder)', () => {
    const r = run(environment(engine), { unwritableOutput: true });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/EEXIST|ENOTDIR/);
    expect(r.leftInTmp).toEqual([]);
  });

  test('none are made when validation fails', () => {
    const r = run(environment(engine, '12345'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[RS011] account');
    expect(r.leftInTmp).toEqual([]);
  });
});

test('the check can fail: a folder the library did not create stays', () => {
  const r = run(`${environment('CLOUDFORMATION')} require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'cdk-runtime-stack-'));`);
  expect(r.status).toBe(0);
  expect(r.leftInTmp).toHaveLength(1);
});
