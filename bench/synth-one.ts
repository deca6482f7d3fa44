/**
 * One measured synth (run by bench/run.ts in a fresh process):
 *   synth-one.ts <variant> <apps> <outdir> <validation: on|off>
 * Prints one JSON line: { seconds (the synth), cpuSeconds (the process), maxRssMiB }.
 */
import { synthBareStacks, synthHandWritten, synthOneResource } from './hand-written';
import { synthLibrary, synthQuickstart } from './library';
import { CloudEngine } from '../lib';

const [variant, apps, outdir, validation] = process.argv.slice(2);
const on = validation === 'on';
const start = process.hrtime.bigint();
switch (variant) {
  case 'library': synthLibrary(Number(apps), outdir, on); break;
  case 'library-terraform': synthLibrary(Number(apps), outdir, on, CloudEngine.TERRAFORM); break;
  case 'hand-written': synthHandWritten(Number(apps), outdir, on); break;
  case 'hand-written-per-service': synthHandWritten(Number(apps), outdir, on, 1); break;
  case 'quickstart': synthQuickstart(outdir, on); break;
  case 'one-resource': synthOneResource(outdir, on); break;
  case 'bare-600-stacks': synthBareStacks(outdir, 600); break;
  case 'bare-24-stacks': synthBareStacks(outdir, 24); break;
  case 'eks-blueprints': {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(process.env.BENCH_BLUEPRINTS_PROGRAM!).synthBlueprints(outdir, on);
    break;
  }
  default: throw new Error(`unknown variant ${variant}`);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const usage = process.resourceUsage();
// CPU of the whole process, module loading included (the parent measures its wall time).
console.log(JSON.stringify({ seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMiB: Math.round(usage.maxRSS / 1024) }));
