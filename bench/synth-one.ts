/**
 * One measured synth (run by bench/run.ts in a fresh process):
 *   synth-one.ts <library|hand-written> <apps> <outdir>
 * Prints one JSON line: { seconds, maxRssMiB }.
 */
import { synthHandWritten } from './hand-written';
import { synthLibrary } from './library';

const [variant, apps, outdir] = process.argv.slice(2);
const start = process.hrtime.bigint();
if (variant === 'library') {
  synthLibrary(Number(apps), ['staging', 'prod'], outdir);
} else {
  synthHandWritten(Number(apps), ['staging', 'prod'], outdir);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
