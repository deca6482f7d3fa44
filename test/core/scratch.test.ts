import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scratchHostTag } from '../../lib/private/scratch';

/**
 * The engines' apps need an output folder when they are created; the
 * library gives them one in the temp directory and removes it when the
 * process ends, after a synth and after a failed one. Each case runs a
 * program in a process of its own, with a temp directory of its own, and
 * looks at what is left there.
 */

const LIB = path.join(__dirname, '..', '..', 'lib');

/** A temp directory of a child's own: TMPDIR, TMP and TEMP name it, the output folders' variables are unset. */
function envWithTmp(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
  for (const k of ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) delete env[k];
  return env;
}

interface RunOptions {
  /** A file where the output folders' parent should be: the synth fails after rendering. */
  readonly unwritableOutput?: boolean;
  /** A temp directory to share with other runs (kept); a new one by default (removed). */
  readonly tmp?: string;
  /** The output folders' parent, to share with other runs (kept); a new one by default (removed). */
  readonly out?: string;
  /** Code to run after the synth. */
  readonly after?: string;
}

interface RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The temp directory's `cdk-runtime-stack-*` entries, sorted. */
  readonly leftInTmp: string[];
}

function run(body: string, options: RunOptions = {}): RunResult {
  const tmp = options.tmp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-test-'));
  let out = options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-out-'));
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
    ${options.after ?? ''}
  `;
  const result = spawnSync(process.execPath, ['-e', program], { env: envWithTmp(tmp), encoding: 'utf8', timeout: 120_000 });
  const leftInTmp = fs.readdirSync(tmp).filter(f => f.startsWith('cdk-runtime-stack-')).sort();
  const wrote = fs.existsSync(path.join(out, 'cdk.out')) || fs.existsSync(path.join(out, 'cdktf.out'));
  if (!options.tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (!options.out) fs.rmSync(root, { recursive: true, force: true });
  return { status: result.status, signal: result.signal, stderr: `${result.stderr}${wrote ? '' : '\n(nothing written)'}`, leftInTmp };
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

describe('folders a process left behind (it was killed, or it was a jest worker, whose exit handlers never run)', () => {
  const both = `${environment('CLOUDFORMATION')}
    const tf = new lib.Environment(platform, 'tf', { tier: lib.Tier.DEVELOPMENT, account: '222222222222', region: 'eu-west-1', engine: lib.CloudEngine.TERRAFORM });
    new lib.ManagedPostgres(tf, 'orders-db');`;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-stale-test-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * A process that runs `code` (which gives a folder's path), prints the
   * path, and runs until it is killed (or its standard input closes: it
   * outlives no test worker).
   */
  async function running(code: string): Promise<{ child: ChildProcess; folder: string }> {
    const child = spawn(process.execPath, ['-e', `
      console.log(${code});
      process.stdin.on('end', () => process.exit()).resume();
    `], { env: envWithTmp(tmp), stdio: ['pipe', 'pipe', 'inherit'] });
    const folder = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (data: Buffer) => resolve(path.basename(data.toString().trim())));
      child.once('exit', status => reject(new Error(`exited with ${status} before making its folder`)));
    });
    return { child, folder };
  }

  async function kill(child: ChildProcess): Promise<void> {
    const ended = new Promise(resolve => child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve));
    child.kill('SIGKILL');
    await ended;
  }

  const SCRATCH = path.join(LIB, 'private', 'scratch');
  const OUTPUTS = path.join(LIB, 'core', 'outputs');

  test('the next process removes those of processes that ended, and keeps those of a process still running', async () => {
    const alive = await running(`require(${JSON.stringify(SCRATCH)}).scratchDirectory('cfn')`);
    let notOurs: string[] = [];
    try {
      // Killed right after its synth: its two scratch folders (one per engine) stay.
      const killed = run(both, { tmp, after: 'process.kill(process.pid, "SIGKILL");' });
      expect(killed.signal).toBe('SIGKILL');
      const left = killed.leftInTmp.filter(f => f !== alive.folder);
      expect(left).toHaveLength(2);
      expect(left.map(f => f.replace(/-[0-9a-f]{8}-\d+-.{6}$/, '')).sort()).toEqual(['cdk-runtime-stack-cfn', 'cdk-runtime-stack-tf']);

      // Not this process's to judge: the same name on another host (or
      // boot, or pid namespace); a folder that is not a scratch folder; a
      // folder of pid 1, which always runs; and a link, and another user's
      // folder, named like a folder of the killed process (the link's
      // target keeps its file).
      const tag = scratchHostTag();
      const otherTag = tag === '00000000' ? '11111111' : '00000000';
      const elsewhere = left[0].replace(/-[0-9a-f]{8}-(\d+-.{6})$/, `-${otherTag}-$1`);
      fs.mkdirSync(path.join(tmp, elsewhere));
      fs.mkdirSync(path.join(tmp, 'cdk-runtime-stack-notes'));
      const ofPid1 = `cdk-runtime-stack-cfn-${tag}-1-abcdef`;
      fs.mkdirSync(path.join(tmp, ofPid1));
      const link = left[0].replace(/-.{6}$/, '-linked');
      const linkedTo = path.join(tmp, 'precious');
      fs.mkdirSync(linkedTo);
      fs.writeFileSync(path.join(linkedTo, 'file'), 'kept');
      fs.symlinkSync(linkedTo, path.join(tmp, link));
      notOurs = [elsewhere, 'cdk-runtime-stack-notes', ofPid1, link];
      if (process.getuid?.() === 0) {
        // Another user's folder under the killed process's name (only root can make one here).
        const otherUser = left[0].replace(/-.{6}$/, '-nobody');
        fs.mkdirSync(path.join(tmp, otherUser));
        fs.chownSync(path.join(tmp, otherUser), 65534, 65534);
        notOurs.push(otherUser);
      }

      const next = run(both, { tmp });
      expect({ status: next.status, stderr: next.status === 0 ? '' : next.stderr }).toEqual({ status: 0, stderr: '' });
      expect(next.leftInTmp).toEqual([alive.folder, ...notOurs].sort());
      expect(fs.readFileSync(path.join(linkedTo, 'file'), 'utf8')).toBe('kept');
    } finally {
      await kill(alive.child);
    }

    // Now that it has ended, the next process removes its folder too.
    const last = run(environment('CLOUDFORMATION'), { tmp });
    expect(last.status).toBe(0);
    expect(last.leftInTmp).toEqual([...notOurs].sort());
  });

  test('a staging folder a killed synth left beside its output is removed by the next synth of that output; a running one\'s stays', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-stale-out-'));
    const stagingOf = (target: string) => `new (require(${JSON.stringify(OUTPUTS)}).StagedDirectory)(${JSON.stringify(path.join(out, target))}).staging`;
    /** Stages `target` and is killed (Ctrl-C, a CI timeout); returns what it left in the output folders' parent. */
    const killedWhileStaging = (target: string) => {
      const before = new Set(fs.readdirSync(out));
      const r = spawnSync(process.execPath, ['-e', `${stagingOf(target)}; process.kill(process.pid, 'SIGKILL');`], { env: envWithTmp(tmp) });
      expect(r.signal).toBe('SIGKILL');
      return fs.readdirSync(out).filter(f => !before.has(f));
    };
    try {
      const alive = await running(stagingOf('cdk.out'));
      try {
        const stale = killedWhileStaging('cdk.out');
        expect(stale).toEqual([expect.stringMatching(/^\.cdk\.out\.staging-[0-9a-f]{8}-\d+-.{6}$/)]);
        // Another output's leftover goes when that output is written, not before.
        const other = killedWhileStaging('other.out');
        expect(other).toEqual([expect.stringMatching(/^\.other\.out\.staging-/)]);
        expect(fs.readdirSync(out).sort()).toEqual([alive.folder, ...stale, ...other].sort());

        const next = run(environment('CLOUDFORMATION'), { tmp, out });
        expect({ status: next.status, stderr: next.status === 0 ? '' : next.stderr }).toEqual({ status: 0, stderr: '' });
        expect(fs.readdirSync(out).sort()).toEqual([alive.folder, 'cdk.out', 'dist', ...other].sort());
      } finally {
        await kill(alive.child);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
