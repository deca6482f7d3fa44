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

/** How `linkTree` puts a file into place. */
export interface LinkTreeOptions {
  /** Copy every file, linking none (an output that must share no file with another). */
  readonly copy?: boolean;
  /** Only the top-level entries whose name passes (all by default). */
  readonly only?: (name: string) => boolean;
}

/**
 * Puts the files under `from` into `to` (an existing, empty folder): a
 * hard link per file, which costs no copy on one file system. Where a link
 * fails (another file system, a temp directory on tmpfs, a file system
 * without hard links: EXDEV, EPERM, ENOTSUP, EISDIR on exFAT, ...) it
 * copies that file and every file after it, so a real problem shows as the
 * copy's error. Symbolic links are recreated as they are. Whoever then
 * writes in place to a path under `from` changes the file both names
 * share: only hand this folders nobody writes to again.
 */
export function linkTree(from: string, to: string, options: LinkTreeOptions = {}): void {
  putTree(from, to, { copy: options.copy ?? false }, options.only);
}

/** `only` filters this folder's entries (linkTree's top level); below it, everything goes. */
function putTree(from: string, to: string, state: { copy: boolean }, only?: (name: string) => boolean): void {
  const entries = fs.readdirSync(from, { withFileTypes: true }).filter(e => !only || only(e.name));
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(target);
      putTree(source, target, state);
    } else if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(source), target);
    } else if (state.copy) {
      fs.copyFileSync(source, target);
    } else {
      try {
        fs.linkSync(source, target);
      } catch {
        state.copy = true;
        fs.copyFileSync(source, target);
      }
    }
  }
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
