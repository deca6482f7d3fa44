import * as fs from 'fs';
import * as path from 'path';
import { processFolder } from '../private/scratch';

/**
 * Where synth writes each kind of output.
 */
export interface OutputDirectories {
  readonly cloudAssembly: string;
  readonly manifests: string;
  readonly terraform: string;
}

/** Which of the three outputs a synth run writes. */
export interface OutputSelection {
  readonly cloudAssembly: boolean;
  readonly manifests: boolean;
  readonly terraform: boolean;
}

/**
 * The output folders, honouring the CLIs' variables: `CDK_OUTDIR` (set by
 * `cdk synth`), `CDK8S_OUTDIR` (set by `cdk8s synth`), `CDKTF_OUTDIR` (set
 * by `cdktf synth`).
 */
export function resolveOutputDirectories(env: NodeJS.ProcessEnv, overrides: Partial<OutputDirectories> = {}): OutputDirectories {
  return {
    cloudAssembly: overrides.cloudAssembly ?? (env.CDK_OUTDIR || 'cdk.out'),
    manifests: overrides.manifests ?? (env.CDK8S_OUTDIR || 'dist'),
    terraform: overrides.terraform ?? (env.CDKTF_OUTDIR || 'cdktf.out'),
  };
}

/**
 * Under one CLI, write what that CLI reads; run directly (`node main.js`,
 * `ts-node main.ts`), write everything.
 */
export function selectOutputs(env: NodeJS.ProcessEnv): OutputSelection {
  // An empty variable counts as unset (the CLIs never set one empty).
  const cdk = !!env.CDK_OUTDIR;
  const cdk8s = !!env.CDK8S_OUTDIR;
  const cdktf = !!env.CDKTF_OUTDIR;
  if (!cdk && !cdk8s && !cdktf) {
    return { cloudAssembly: true, manifests: true, terraform: true };
  }
  return { cloudAssembly: cdk, manifests: cdk8s, terraform: cdktf };
}

/**
 * A folder written in full next to its target, then swapped in, so a failed
 * synth never leaves a half-written output behind.
 */
export class StagedDirectory {
  public readonly staging: string;

  constructor(public readonly target: string) {
    const parent = path.dirname(path.resolve(target));
    fs.mkdirSync(parent, { recursive: true });
    // Named for this process: the next synth of the target removes what a
    // killed one left here (Ctrl-C, a CI timeout), not another's running one.
    this.staging = processFolder(parent, `.${path.basename(target)}.staging-`);
  }

  /**
   * Moves the staged content into the target.
   *
   * `replace: true` empties the target first (the folder is all ours).
   * `replace: false` replaces only the entries we wrote and leaves others
   * (for example the CDK CLI's lock files in its cloud assembly folder).
   */
  public commit(replace: boolean): void {
    const target = path.resolve(this.target);
    if (replace || !fs.existsSync(target)) {
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(this.staging, target);
      return;
    }
    for (const entry of fs.readdirSync(this.staging).sort()) {
      const dest = path.join(target, entry);
      fs.rmSync(dest, { recursive: true, force: true });
      fs.renameSync(path.join(this.staging, entry), dest);
    }
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  public discard(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}
