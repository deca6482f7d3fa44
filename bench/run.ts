/**
 * npm run bench — synthesizes N apps across environments with the library,
 * and the same stack written by hand with aws-cdk-lib + cdk8s-plus-28, each
 * in a fresh process; reports wall time, peak memory (max RSS) and output
 * size. Not a test: numbers vary by machine, nothing is asserted.
 *
 *   npm run bench                 # N = 10 and 40, environments staging + prod (one stack per environment: 40 databases stay under CloudFormation's 500 resources)
 *   npm run bench -- 5 20 100     # other N
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Result {
  readonly variant: string;
  readonly apps: number;
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly files: number;
  readonly bytes: number;
}

const ENVIRONMENTS = ['staging', 'prod'];

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

function child(variant: string, apps: number): Result {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `rs-bench-${variant}-`));
  const stdout = execFileSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-one.ts'), variant, String(apps), out,
  ], { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'projenrc', 'tsconfig.json') } });
  const measured = JSON.parse(stdout.trim().split('\n').pop()!);
  const { files, bytes } = sizeOf(out);
  fs.rmSync(out, { recursive: true, force: true });
  return { variant, apps, seconds: measured.seconds, maxRssMiB: measured.maxRssMiB, files, bytes };
}

function main(): void {
  const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
  const ns = counts.length > 0 ? counts : [10, 40];
  const rows: Result[] = [];
  for (const n of ns) {
    for (const variant of ['library', 'hand-written']) {
      const r = child(variant, n);
      rows.push(r);
      process.stderr.write(`${variant} N=${n}: ${r.seconds.toFixed(2)} s, ${r.maxRssMiB} MiB\n`);
    }
  }
  console.log(`\nSynth of N apps in ${ENVIRONMENTS.length} environments (${ENVIRONMENTS.join(', ')}), one process each, on ${os.cpus().length} cores:\n`);
  console.log('| variant | N apps | synth time (s) | peak RSS (MiB) | output files | output size (KiB) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.variant} | ${r.apps} | ${r.seconds.toFixed(2)} | ${r.maxRssMiB} | ${r.files} | ${(r.bytes / 1024).toFixed(0)} |`);
  }
}

main();
