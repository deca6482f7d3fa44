import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Scratch folders of this process, removed when it exits. */
const scratch = new Set<string>();
let hooked = false;
/** The scratch kinds whose leftovers this process has removed. */
const swept = new Set<string>();
let hostTag: string | undefined;

/** What every scratch folder's name starts with. */
const SCRATCH_PREFIX = 'cdk-runtime-stack-';

/**
 * Where a process id names one process: this host and, on Linux, this boot
 * of it and this process's pid namespace (machines of one image with one
 * host name, or containers that share a folder but not their processes, tag
 * their folders apart; folders from before a reboot are never swept).
 */
export function scratchHostTag(): string {
  const linux = (read: () => string) => {
    try {
      return read().trim();
    } catch {
      return ''; // Not Linux: the host name alone.
    }
  };
  const boot = linux(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const namespace = linux(() => fs.readlinkSync('/proc/self/ns/pid'));
  return crypto.createHash('sha256').update(`${os.hostname()}\0${boot}\0${namespace}`).digest('hex').slice(0, 8);
}

/**
 * A new folder `<parent>/<prefix><host tag>-<pid>-XXXXXX` of this process
 * (`XXXXXX` as `mkdtemp` makes it). With `sweep` it first removes the
 * folders of the same prefix that ended processes of this host and user
 * left in `parent` (killed before their exit handlers or their own clean-up
 * ran). Folders of a running process stay, this process's own included
 * (another copy of the library in it may be using them), and so does
 * anything else in `parent`: other names, links, other users' folders.
 */
export function processFolder(parent: string, prefix: string, sweep = true): string {
  const tag = hostTag ??= scratchHostTag();
  if (sweep) removeEndedProcessFolders(parent, prefix, tag);
  return fs.mkdtempSync(path.join(parent, `${prefix}${tag}-${process.pid}-`));
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
 * `process` whose `exit` event never fires). So a process's first scratch
 * folder of each kind first removes those ended processes left.
 */
export function scratchDirectory(kind: string): string {
  const dir = processFolder(os.tmpdir(), `${SCRATCH_PREFIX}${kind}-`, !swept.has(kind));
  swept.add(kind);
  scratch.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeScratchDirectories);
  }
  return dir;
}

function removeEndedProcessFolders(parent: string, prefix: string, tag: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  const escaped = prefix.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');
  const ours = new RegExp(`^${escaped}${tag}-([0-9]+)-[A-Za-z0-9]{6}$`);
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = Number(ours.exec(name)?.[1]);
    if (!pid || isRunning(pid)) continue; // this process runs too: its own folders stay
    try {
      // Only a folder of this user's (ours are 0700: nobody else can put
      // anything into one), never a link or anything another user made.
      const stat = fs.lstatSync(path.join(parent, name));
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    } catch {
      // Best effort: a folder another process is removing.
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
