import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Scratch folders of this process, removed when it exits. */
const scratch = new Set<string>();
let hooked = false;

/**
 * A new folder in the temp directory for what an engine's app writes
 * before the platform copies it into place (`cdk.App` and cdktf's `App`
 * need an outdir when they are created). It is removed when the process
 * exits, however it exits short of being killed: after a synth, after a
 * failed one, and after tests that synthesize stacks themselves.
 */
export function scratchDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeScratchDirectories);
  }
  return dir;
}

/** Removes every scratch folder of this process (also on exit). */
export function removeScratchDirectories(): void {
  for (const dir of scratch) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: a folder another process removed, or one still open on Windows.
    }
    scratch.delete(dir);
  }
}
