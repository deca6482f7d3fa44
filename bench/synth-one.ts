/**
 * One measured synth (run by bench/run.ts in a fresh process):
 *   synth-one.ts <variant> <apps> <outdir> <validation: on|off>
 * Prints one JSON line: { seconds (the synth, its program's modules loaded in it), cpuSeconds (the process), maxRssMiB }.
 */
// Each variant loads only the program it runs, so its wall time (process
// start to exit) holds its own module loading and nobody else's: the
// hand-written system, the one-resource app and EKS Blueprints never load
// the library (about 0.16 s and 34 MiB), nor the library the hand-written file.
type HandWritten = typeof import('./hand-written');
type Library = typeof import('./library');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handWritten = (): HandWritten => require('./hand-written');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = (): Library => require('./library');

const [variant, apps, outdir, validation] = process.argv.slice(2);
const on = validation === 'on';
const start = process.hrtime.bigint();

/** The variant's synth; EKS Blueprints' builds asynchronously. */
async function synth(): Promise<void> {
  switch (variant) {
    case 'library': return library().synthLibrary(Number(apps), outdir, on);
    case 'library-terraform': return library().synthLibrary(Number(apps), outdir, on, 'terraform');
    case 'library-grouped': return library().synthLibrary(Number(apps), outdir, on, 'cloudformation', true);
    case 'hand-written': return handWritten().synthHandWritten(Number(apps), outdir, on);
    case 'hand-written-per-service': return handWritten().synthHandWritten(Number(apps), outdir, on, 1);
    case 'hand-written-same-databases': return handWritten().synthHandWritten(Number(apps), outdir, on, undefined, true);
    case 'quickstart': return library().synthQuickstart(outdir, on);
    case 'one-resource': return handWritten().synthOneResource(outdir, on);
    case 'bare-600-stacks': return handWritten().synthBareStacks(outdir, 600);
    case 'bare-24-stacks': return handWritten().synthBareStacks(outdir, 24);
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
