/**
 * npm run bench — the benchmark of issue 11. Each run is a fresh Node
 * process; reports wall time (process start to exit), CPU time, peak RSS,
 * output size, number of stacks, and the largest stack's resources and
 * bytes; then the ratios the project tracks. Not a test: numbers vary by
 * machine, nothing is asserted.
 *
 *   npm run bench                       # N = 10, 50, 200; validation off and on
 *   npm run bench -- 10 50              # other N
 *   npm run bench -- --blueprints 10    # also EKS Blueprints' cluster + 10 add-ons (installs it into bench/.blueprints, git-ignored)
 *   npm run bench -- --repeat 9 200     # each comparison 9 times (default 5)
 *
 * A shared 2-core machine's speed drifts by tens of percent within a
 * minute, so every group of variants compared (the baselines with EKS
 * Blueprints, the library with the hand-written system at each N) runs
 * `--repeat` times, interleaved (library, hand-written, ..., then the other
 * way round), and the table reports the median run of each with the
 * spread; a ratio is that of the medians, with the median of the
 * interleaved pairs' ratios.
 * `hand-written-per-service` is the hand-written system in the library's
 * stack layout (a stack per database): what that layout costs by itself;
 * `library-grouped` is the library in the hand-written system's layout,
 * each team's 25 databases in a StackGroup (declared, not counted);
 * `hand-written-same-databases` is the hand-written system with the
 * library's database settings of each tier (key, parameter group, log
 * groups, monitoring, rotation...: the same CloudFormation resources per
 * database), in its layout;
 * `bare-600-stacks` and `bare-24-stacks`, the same 6,000 bare resources in
 * 600 and in 24 stacks: what aws-cdk-lib charges per stack.
 * At the largest N, `library`, `hand-written` and `library-grouped` run
 * once more under `node --single-threaded-gc` (see `Gc`): a control, not
 * what users run.
 *
 * The system (bench/shape.ts): N web apps, each with a public host, its
 * own PostgreSQL database and autoscaling, in DEVELOPMENT, STAGING and
 * PRODUCTION (different accounts and regions), a cluster each.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * V8's default collects garbage partly on other threads, and how much it
 * does there, and when, depends on timing: on this 2-core machine the
 * hand-written system's synth at N = 200 ran in one of two modes from one
 * run to the next (about 240 MiB peak and 3.6 s, or 500 MiB and 5.2 s).
 * `--single-threaded-gc` takes that timing out, for a control comparison.
 */
type Gc = 'default' | 'single-threaded';

interface Result {
  readonly variant: string;
  readonly apps: number | '-';
  readonly validation: 'on' | 'off';
  /** V8's garbage collection: its default (concurrent marking and sweeping) or `--single-threaded-gc`. */
  readonly gc: Gc;
  /** The median wall time of the runs (one run: its wall time). */
  readonly wall: number;
  /** Every run's wall time, in the order they ran. */
  readonly walls: number[];
  readonly cpu: number;
  readonly rssMiB: number;
  readonly bytes: number;
  readonly files: number;
  readonly stacks: number;
  readonly largestResources: number;
  readonly largestBytes: number;
}

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!fs.existsSync(dir)) return { files, bytes };
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

/** Stacks of a cloud assembly, and its largest by resources (with its bytes). */
function stacksOf(assembly: string): { stacks: number; largestResources: number; largestBytes: number } {
  let stacks = 0;
  let largestResources = 0;
  let largestBytes = 0;
  if (!fs.existsSync(assembly)) return { stacks, largestResources, largestBytes };
  for (const f of fs.readdirSync(assembly).filter(n => n.endsWith('.template.json'))) {
    stacks++;
    const text = fs.readFileSync(path.join(assembly, f), 'utf8');
    const resources = Object.keys(JSON.parse(text).Resources ?? {}).length;
    if (resources > largestResources) {
      largestResources = resources;
      largestBytes = Buffer.byteLength(text);
    }
  }
  return { stacks, largestResources, largestBytes };
}

/** The bench's own files, transpiled once to plain JavaScript, so no run pays for ts-node. */
const COMPILED = path.join(__dirname, 'out', 'js');

function compileBench(): void {
  fs.mkdirSync(COMPILED, { recursive: true });
  for (const file of ['shape', 'library', 'hand-written', 'synth-one']) {
    // (library imports '../lib'.)
    const source = fs.readFileSync(path.join(__dirname, `${file}.ts`), 'utf8').replace(/from '\.\.\/lib'/g, "from '../../../lib'");
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.writeFileSync(path.join(COMPILED, `${file}.js`), outputText);
  }
}

/** Terraform stacks (one state each) of a cdktf.out, and the largest by resources. */
function terraformStacksOf(cdktfOut: string): { stacks: number; largestResources: number; largestBytes: number } {
  let stacks = 0;
  let largestResources = 0;
  let largestBytes = 0;
  const dir = path.join(cdktfOut, 'stacks');
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    stacks++;
    const text = fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8');
    const resources = Object.values<Record<string, unknown>>(JSON.parse(text).resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    if (resources > largestResources) {
      largestResources = resources;
      largestBytes = Buffer.byteLength(text);
    }
  }
  return { stacks, largestResources, largestBytes };
}

/** The run with the median wall time (for an even count, the faster middle one), with every run's wall time. */
function medianOf(runs: Result[]): Result {
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...median, walls: runs.map(r => r.wall), rssMiB: Math.max(...runs.map(r => r.rssMiB)) };
}

function child(variant: string, apps: number | '-', validation: 'on' | 'off', env: NodeJS.ProcessEnv = {}, gc: Gc = 'default'): Result {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `rs-bench-${variant}-`));
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...(gc === 'single-threaded' ? ['--single-threaded-gc'] : []), path.join(COMPILED, 'synth-one.js'), variant, String(apps), out, validation], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env, CDK_VALIDATION: undefined, CI: 'true' },
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) {
    throw new Error(`${variant} N=${apps} failed:\n${run.stderr.slice(-3000)}`);
  }
  const line = run.stdout.trim().split('\n').filter(l => l.startsWith('{"seconds"')).pop();
  if (!line) throw new Error(`${variant} N=${apps} exited without its measurements (a synth that never finished?):\n${run.stderr.slice(-3000)}`);
  const measured = JSON.parse(line);
  const { files, bytes } = sizeOf(out);
  const stacks = fs.existsSync(path.join(out, 'cdktf.out')) ? terraformStacksOf(path.join(out, 'cdktf.out')) : stacksOf(path.join(out, 'cdk.out'));
  fs.rmSync(out, { recursive: true, force: true });
  return { variant, apps, validation, gc, wall, walls: [wall], cpu: measured.cpuSeconds, rssMiB: measured.maxRssMiB, files, bytes, ...stacks };
}

/** A row's name: the variant, and the GC setting when it is not V8's default. */
function labelOf(r: Result): string {
  return r.gc === 'default' ? r.variant : `${r.variant} (--single-threaded-gc)`;
}

/** EKS Blueprints with its own aws-cdk-lib, installed on demand into a git-ignored folder. */
function blueprintsProgram(): string {
  const dir = path.join(__dirname, '.blueprints');
  const program = path.join(dir, 'program.js');
  if (!fs.existsSync(path.join(dir, 'node_modules', '@aws-quickstart', 'eks-blueprints'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-blueprints', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '@aws-quickstart/eks-blueprints@1.19'], { cwd: dir, stdio: 'inherit' });
  }
  fs.copyFileSync(path.join(__dirname, 'blueprints-program.js'), program);
  return program;
}

function main(): void {
  compileBench();
  const args = process.argv.slice(2);
  const withBlueprints = args.includes('--blueprints');
  const repeatAt = args.findIndex(a => a === '--repeat' || a.startsWith('--repeat='));
  const repeatArg = repeatAt < 0 ? '5' : args[repeatAt].startsWith('--repeat=') ? args[repeatAt].slice('--repeat='.length) : args[repeatAt + 1];
  const repeat = Number(repeatArg);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat takes a whole number of runs, 1 or more (got ${repeatArg})`);
  const valueAt = repeatAt >= 0 && args[repeatAt] === '--repeat' ? repeatAt + 1 : -1;
  const counts = [...new Set(args.filter((a, i) => i !== valueAt && !a.startsWith('--')).map(Number).filter(n => n > 0))];
  const ns = counts.length > 0 ? counts : [10, 50, 200];
  const largest = ns[ns.length - 1];
  const rows: Result[] = [];
  /**
   * Each variant `repeat` times, interleaved (every other round in
   * reverse, so no variant always runs first); a row per variant, its
   * median run.
   */
  const interleaved = (variants: string[], apps: number | '-', validation: 'on' | 'off', env?: NodeJS.ProcessEnv, gc: Gc = 'default') => {
    const runs = new Map<string, Result[]>(variants.map(v => [v, []]));
    for (let i = 0; i < repeat; i++) {
      for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) runs.get(variant)!.push(child(variant, apps, validation, env, gc));
    }
    for (const variant of variants) {
      const r = medianOf(runs.get(variant)!);
      rows.push(r);
      process.stderr.write(`${labelOf(r)} N=${apps} validation ${validation}: ${r.wall.toFixed(2)} s wall (median of ${r.walls.map(w => w.toFixed(2)).join(', ')}), ${r.cpu.toFixed(2)} s CPU, ${r.rssMiB} MiB, ${r.stacks} stacks\n`);
    }
  };
  // aws-cdk-lib's own cost per stack.
  interleaved(['bare-600-stacks', 'bare-24-stacks'], '-', 'off');
  for (const validation of ['off', 'on'] as const) {
    // EKS Blueprints' aws-cdk-lib 2.261 has no built-in validation to switch on: it runs with validation off only.
    const blueprints = withBlueprints && validation === 'off';
    interleaved(['one-resource', 'quickstart', ...(blueprints ? ['eks-blueprints'] : [])], '-', validation,
      blueprints ? { BENCH_BLUEPRINTS_PROGRAM: blueprintsProgram() } : undefined);
  }
  for (const n of ns) {
    for (const validation of ['off', 'on'] as const) {
      // The large validation-on runs add little: validation's cost is per synth, not per resource.
      if (validation === 'on' && n !== ns[0]) continue;
      // The Terraform engine (one state per environment) has no aws-cdk-lib validation to switch.
      // hand-written-per-service: the hand-written system in the library's stack layout (a stack per database);
      // library-grouped: the library with each team's 25 databases in a StackGroup, the hand-written system's layout;
      // hand-written-same-databases: the hand-written system with the library's database settings.
      interleaved(validation === 'off'
        ? ['library', 'hand-written', 'hand-written-per-service', 'library-grouped', 'hand-written-same-databases', 'library-terraform']
        : ['library', 'hand-written'], n, validation);
    }
  }
  // The control: the largest N again with V8's garbage collection on the main thread only.
  interleaved(['library', 'hand-written', 'library-grouped'], largest, 'off', undefined, 'single-threaded');
  const kib = (b: number) => (b / 1024).toFixed(0);
  console.log(`\nSynth in a fresh process each, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}:\n`);
  console.log('| variant | N apps × 3 envs | aws-cdk-lib validation | wall (s) | runs: min–max wall (s) | CPU (s) | peak RSS (MiB) | output (KiB, files) | stacks | largest stack (resources, KiB) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const spread = r.walls.length > 1 ? `${r.walls.length}: ${Math.min(...r.walls).toFixed(2)}–${Math.max(...r.walls).toFixed(2)}` : '1';
    console.log(`| ${labelOf(r)} | ${r.apps} | ${r.validation} | ${r.wall.toFixed(2)} | ${spread} | ${r.cpu.toFixed(2)} | ${r.rssMiB} | ${kib(r.bytes)}, ${r.files} | ${r.stacks} | ${r.largestResources}, ${kib(r.largestBytes)} |`);
  }
  const find = (variant: string, apps: number | '-', validation: 'on' | 'off', gc: Gc = 'default') =>
    rows.find(r => r.variant === variant && r.apps === apps && r.validation === validation && r.gc === gc);
  console.log('\nRatios (same run):\n');
  /** The median of the interleaved pairs (for an even count, the lower middle one, as medianOf). */
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
  /** The ratio of the medians, and of each interleaved pair: its spread says how far the machine drifted. */
  const ratio = (a: Result, b: Result) => {
    const pairs = a.walls.map((w, i) => w / b.walls[i]).filter(Number.isFinite);
    const spread = pairs.length > 1
      ? ` (median of the ${pairs.length} interleaved pairs ${median(pairs).toFixed(2)}; pairs: ${pairs.map(p => p.toFixed(2)).join(', ')})`
      : '';
    return `${(a.wall / b.wall).toFixed(2)}${spread}`;
  };
  for (const n of ns) {
    for (const validation of ['off', 'on'] as const) {
      const lib = find('library', n, validation);
      for (const baseline of [find('hand-written', n, validation), find('hand-written-per-service', n, validation)]) {
        if (lib && baseline) console.log(`- N = ${n}, validation ${validation}: library / ${baseline.variant} wall = ${ratio(lib, baseline)}`);
      }
      const grouped = find('library-grouped', n, validation);
      const packed = find('hand-written', n, validation);
      if (grouped && packed) console.log(`- N = ${n}, validation ${validation}: library-grouped / hand-written wall = ${ratio(grouped, packed)}`);
      const same = find('hand-written-same-databases', n, validation);
      if (grouped && same) console.log(`- N = ${n}, validation ${validation}: library-grouped / hand-written-same-databases wall = ${ratio(grouped, same)}`);
    }
  }
  const stHand = find('hand-written', largest, 'off', 'single-threaded');
  for (const variant of ['library', 'library-grouped']) {
    const st = find(variant, largest, 'off', 'single-threaded');
    if (st && stHand) console.log(`- N = ${largest}, validation off, --single-threaded-gc: ${variant} / hand-written wall = ${ratio(st, stHand)}`);
  }
  const many = find('bare-600-stacks', '-', 'off');
  const few = find('bare-24-stacks', '-', 'off');
  if (many && few) {
    const more = many.stacks - few.stacks;
    const pairs = many.walls.map((w, i) => w - few.walls[i]);
    const spread = pairs.length > 1 ? ` (median of the ${pairs.length} interleaved pairs ${median(pairs).toFixed(2)} s)` : '';
    console.log(`- aws-cdk-lib alone, 6,000 resources in ${many.stacks} stacks against ${few.stacks}: ${(many.wall - few.wall).toFixed(2)} s longer${spread}, `
      + `${((many.wall - few.wall) / more * 1000).toFixed(1)} ms per stack`);
  }
  const mid = ns.length > 1 ? ns[ns.length - 2] : undefined;
  const bigLib = find('library', largest, 'off');
  const midLib = mid !== undefined ? find('library', mid, 'off') : undefined;
  if (bigLib && midLib) console.log(`- library time(${largest}) / time(${mid}) = ${(bigLib.wall / midLib.wall).toFixed(2)} (${(largest / mid!).toFixed(1)}× the apps)`);
  if (bigLib) console.log(`- library peak RSS at N = ${largest}: ${bigLib.rssMiB} MiB`);
  const qs = find('quickstart', '-', 'off');
  const bp = find('eks-blueprints', '-', 'off');
  if (qs && bp) console.log(`- quickstart / EKS Blueprints (cluster + 10 add-ons) wall, validation off = ${ratio(qs, bp)}`);
}

main();
