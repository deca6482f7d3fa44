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

/** The variant's synth; EKS Blueprints' builds asynchronously. */
async function synth(): Promise<void> {
  switch (variant) {
    case 'library': return synthLibrary(Number(apps), outdir, on);
    case 'library-terraform': return synthLibrary(Number(apps), outdir, on, CloudEngine.TERRAFORM);
    case 'library-grouped': return synthLibrary(Number(apps), outdir, on, CloudEngine.CLOUDFORMATION, true);
    case 'hand-written': return synthHandWritten(Number(apps), outdir, on);
    case 'hand-written-per-service': return synthHandWritten(Number(apps), outdir, on, 1);
    case 'hand-written-same-databases': return synthHandWritten(Number(apps), outdir, on, undefined, true);
    case 'quickstart': return synthQuickstart(outdir, on);
    case 'one-resource': return synthOneResource(outdir, on);
    case 'bare-600-stacks': return synthBareStacks(outdir, 600);
    case 'bare-24-stacks': return synthBareStacks(outdir, 24);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    case 'eks-blueprints': return require(process.env.BENCH_BLUEPRINTS_PROGRAM!).synthBlueprints(outdir, on);
    default: throw new Error(`unknown variant ${variant}`);
  }
}

synth().then(() => {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usage = process.resourceUsage();
  // CPU of the whole process, module loading included (the parent measures its wall time).
  console.log(JSON.stringify({ seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMiB: Math.round(usage.maxRSS / 1024) }));
}, e => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
