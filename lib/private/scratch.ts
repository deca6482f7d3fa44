import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Scratch folders of this process, removed when it exits. */
const scratch = new Set<string>();
let hooked = false;
let swept = false;
let hostTag: string | undefined;

/** What every scratch folder's name starts with. */
const SCRATCH_PREFIX = 'cdk-runtime-stack-';
/** `<prefix><kind>-<host tag>-<pid>-<mkdtemp's six characters>`. */
const SCRATCH_NAME = /^cdk-runtime-stack-([a-z]+)-([0-9a-f]{8})-([0-9]+)-[A-Za-z0-9]{6}$/;

/**
 * Where a process id names one process: this host and, on Linux, this
 * process's pid namespace (containers that share a temp directory but not
 * their processes tag their folders apart).
 */
export function scratchHostTag(): string {
  let namespace = '';
  try {
    namespace = fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: the host name alone.
  }
  return crypto.createHash('sha256').update(`${os.hostname()}\0${namespace}`).digest('hex').slice(0, 8);
}

/**
 * A new folder in the temp directory for what an engine's app writes
 * before the platform copies it into place (`cdk.App` and cdktf's `App`
 * need an outdir when they are created); `kind` (lower-case letters) names
 * the engine. It is removed when the process exits, however it exits short
 * of being killed: after a synth, after a failed one, and after a script
 * that synthesizes stacks itself.
 *
 * A process that never runs its exit handlers leaves its folders behind:
 * one killed, and every jest worker (jest gives each test file a copy of
 * `process` whose `exit` event never fires). So the first scratch folder of
 * a process first removes those a finished process left: folders named
 * for this host whose process no longer runs.
 */
export function scratchDirectory(kind: string): string {
  const tmp = os.tmpdir();
  const tag = hostTag ??= scratchHostTag();
  if (!swept) {
    swept = true;
    removeStaleScratch(tmp, tag);
  }
  const dir = fs.mkdtempSync(path.join(tmp, `${SCRATCH_PREFIX}${kind}-${tag}-${process.pid}-`));
  scratch.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeScratchDirectories);
  }
  return dir;
}

/**
 * Removes the scratch folders in `tmp` of processes of this host (`tag`)
 * that have ended. Folders of a running process stay, this process's own
 * included (another copy of the library in it may be using them), and so
 * does anything else in `tmp`.
 */
function removeStaleScratch(tmp: string, tag: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const match = SCRATCH_NAME.exec(name);
    if (!match || match[2] !== tag) continue;
    const pid = Number(match[3]);
    if (pid === process.pid || isRunning(pid)) continue;
    try {
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    } catch {
      // Best effort: another user's folder, or one another process is removing.
    }
  }
}

/** Whether a process with this id runs (one this user may not signal runs too). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
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
