// Atomic file writes: the data goes to a temporary file in the same folder, is flushed
// to disk (fsync) and only then takes the target's name (rename, or link when the
// target must not be replaced). A crash, a full disk or an interrupted process leaves
// either the old file or the new one, never a half-written mix.
//
// Signals: SIGINT (ctrl+c), SIGTERM and SIGHUP kill a Node process on the spot when
// nobody listens for them, which could leave the temporary file behind. While a write
// is in progress they are held back and delivered, with their usual effect, right after
// it (the write is synchronous and takes milliseconds). A process killed outright
// (SIGKILL, power loss) can still leave a temporary file: the next write of the same
// file removes those whose process is gone.
import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** The file-system calls used, injectable so tests can make a write fail midway. */
export interface FsOps {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, created: string): void;
  unlinkSync(path: string): void;
}

const realFs: FsOps = {
  openSync: (p, f, m) => nodeFs.openSync(p, f, m),
  writeSync: (fd, b, o, l) => nodeFs.writeSync(fd, b, o, l),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (a, b) => nodeFs.renameSync(a, b),
  linkSync: (a, b) => nodeFs.linkSync(a, b),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
};

export interface AtomicWriteOptions {
  /** replace an existing file (default true); false: fail with code EEXIST instead */
  overwrite?: boolean;
  /** permission bits of a new file (default 0o644, before umask) */
  mode?: number;
  /** replacement file-system calls (tests) */
  fs?: Partial<FsOps>;
}

/** An error with a Node errno code (EEXIST, ENOSPC, EACCES, ...). */
function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** Codes that mean "hard links are not supported here": fall back to check + rename. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Write `data` to `path` atomically. With `overwrite: false` an existing file is never
 * replaced, even by a concurrent writer (the temporary file is hard-linked into place,
 * which fails if the name exists).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  sweepStaleTemps(path);
  withSignalsDeferred(() => writeNow(path, data, opts));
}

function writeNow(path: string, data: string | Uint8Array, opts: AtomicWriteOptions): void {
  const fs: FsOps = { ...realFs, ...opts.fs };
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = fs.openSync(tmp, 'wx', opts.mode ?? 0o644);
  let placed = false;
  try {
    let off = 0;
    while (off < bytes.length) {
      const n = fs.writeSync(fd, bytes, off, bytes.length - off);
      if (n <= 0) throw errno('EIO', `short write to ${tmp}`);
      off += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    if (opts.overwrite ?? true) {
      fs.renameSync(tmp, path);
      placed = true;
    } else {
      try {
        fs.linkSync(tmp, path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (!NO_LINK.has(code)) throw err;
        if (nodeFs.existsSync(path)) throw errno('EEXIST', `${path} already exists`);
        fs.renameSync(tmp, path);
        placed = true;
      }
    }
  } catch (err) {
    if (fd !== null) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    try { fs.unlinkSync(tmp); } catch { /* best effort */ }
    throw err;
  }
  if (!placed) {
    // linked: the temporary name is a second link to the same data; drop it
    try { fs.unlinkSync(tmp); } catch { /* a stray .tmp is harmless */ }
  }
  syncDir(dirname(path));
}

/**
 * `mkdir -p` that always ends. Node 20's mkdirSync(dir, { recursive: true }) loops
 * forever where mkdir fails with ENOENT under an existing parent (e.g. anywhere in
 * /proc), which a saves folder or config folder setting can point at. This creates the
 * missing folders one by one, top down, and throws the first error (a file in the way
 * is ENOTDIR).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    let st: nodeFs.Stats;
    try {
      st = nodeFs.statSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw err;
      missing.push(p);
      continue;
    }
    if (!st.isDirectory()) throw errno('ENOTDIR', `${p} is not a folder`);
    break;
  }
  for (const p of missing.reverse()) {
    try {
      nodeFs.mkdirSync(p);
    } catch (err) {
      // created meanwhile by someone else: fine if it is a folder
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !nodeFs.statSync(p).isDirectory()) throw err;
    }
  }
}

/** The signals whose default action (terminate) could interrupt a write midway. */
const DEFERRED_SIGNALS: readonly NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Run `fn` (synchronous) so that a terminating signal arriving meanwhile takes effect
 * only after it returned. Signals somebody already listens for are left alone: their
 * listeners run from the event loop anyway, never in the middle of synchronous code.
 * A held-back signal is re-raised with its default action once the event loop turns.
 */
export function withSignalsDeferred<T>(fn: () => T): T {
  const held = DEFERRED_SIGNALS.filter((sig) => process.listenerCount(sig) === 0);
  if (!held.length) return fn();
  const release = () => {
    for (const sig of held) process.removeListener(sig, onSignal);
  };
  function onSignal(sig: NodeJS.Signals): void {
    release();
    // the default action now (listeners added since then get the signal instead)
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    else process.emit(sig, sig);
  }
  for (const sig of held) process.on(sig, onSignal);
  try {
    return fn();
  } finally {
    // a signal that came during fn is delivered in a poll phase of the event loop. fn may
    // itself run inside a poll-phase callback, so one setImmediate could run before the
    // next poll; the second one runs only after a full turn, so after that poll
    setImmediate(() => setImmediate(release));
  }
}

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Remove temporary files of `path` left by processes that no longer exist. Best effort. */
export function sweepStaleTemps(path: string): void {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = nodeFs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = TEMP_NAME.exec(n);
    if (!m || m[1] !== base) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    try { nodeFs.unlinkSync(join(dir, n)); } catch { /* someone else got it */ }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Flush a directory entry change (the rename) to disk; not every platform allows it. */
function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = nodeFs.openSync(dir, 'r');
    nodeFs.fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse fsync on a directory: the rename still stands
  } finally {
    if (fd !== null) try { nodeFs.closeSync(fd); } catch { /* ignore */ }
  }
}


// ---------------------------------------------------------------------------------------
// An exclusive lock around read-modify-write paths (replacing a save and its backup,
// merging progress into the settings file): several pvlab processes at once must not
// lose each other's writes. The lock is a file created with O_EXCL next to the target,
// holding `pid host time`. A lock whose process is gone (same host), or older than
// LOCK_STALE_MS, is stale and broken; the wait is bounded (LOCK_WAIT_MS), then the
// caller gets EBUSY. Sections under the lock are synchronous and take milliseconds.

/** How long to wait for another process's lock before giving up (EBUSY). */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this is stale even when its process seems alive (another host, pid reuse). */
export const LOCK_STALE_MS = 30_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The lock file of `target`: a dot-file beside it (skipped by the saves list and the board). */
export function lockPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

function lockIsStale(lock: string, st: nodeFs.Stats): boolean {
  if (Date.now() - st.mtimeMs > LOCK_STALE_MS) return true;
  let text = '';
  try {
    text = nodeFs.readFileSync(lock, 'utf8');
  } catch {
    return false; // gone or unreadable: the next attempt finds out
  }
  const [pid, host] = text.split(' ');
  if (!pid) return Date.now() - st.mtimeMs > 2000; // being written, or left empty by a crash
  return host === hostName() && !alive(Number(pid));
}

function hostName(): string {
  return hostname().replace(/\s+/g, '') || 'localhost';
}

/**
 * Break a stale lock without breaking a fresh one someone else took meanwhile: move it
 * to a unique name, and if what moved is not the file judged stale (another inode),
 * put it back.
 */
function breakStale(lock: string, stale: nodeFs.Stats): void {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    nodeFs.renameSync(lock, aside);
  } catch {
    return; // someone else broke it
  }
  try {
    const st = nodeFs.statSync(aside);
    if (st.ino !== stale.ino || st.dev !== stale.dev) {
      try { nodeFs.linkSync(aside, lock); } catch { /* a third process holds it now */ }
    }
  } finally {
    try { nodeFs.unlinkSync(aside); } catch { /* ignore */ }
  }
}

export interface LockOptions {
  /** wait at most this long (default LOCK_WAIT_MS) */
  waitMs?: number;
  /**
   * when the lock file cannot be created at all (read-only or vanished folder), run `fn`
   * without it instead of throwing: for callers whose write then fails and reports itself
   */
  unlockedIfUnwritable?: boolean;
}

/**
 * Run `fn` holding the exclusive lock of `target` (its folder must exist). Throws an
 * EBUSY error when another process holds the lock longer than the wait.
 */
export function withFileLock<T>(target: string, fn: () => T, opts: LockOptions = {}): T {
  const lock = lockPathOf(target);
  const deadline = Date.now() + (opts.waitMs ?? LOCK_WAIT_MS);
  let fd: number | null = null;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      fd = nodeFs.openSync(lock, 'wx', 0o644);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        if (opts.unlockedIfUnwritable) return fn();
        throw err;
      }
    }
    let st: nodeFs.Stats | null = null;
    try { st = nodeFs.statSync(lock); } catch { continue; } // released meanwhile: try again now
    if (lockIsStale(lock, st)) {
      breakStale(lock, st);
      continue;
    }
    if (Date.now() > deadline) throw errno('EBUSY', `${target} is locked by another pvlab process (${lock})`);
    sleepSync(delay + Math.floor(Math.random() * delay));
  }
  const mine = nodeFs.fstatSync(fd);
  try {
    nodeFs.writeSync(fd, `${process.pid} ${hostName()} ${new Date().toISOString()}\n`);
  } finally {
    nodeFs.closeSync(fd);
  }
  try {
    return withSignalsDeferred(fn);
  } finally {
    // remove the lock only if it is still ours (not broken as stale and retaken)
    try {
      const st = nodeFs.statSync(lock);
      if (st.ino === mine.ino && st.dev === mine.dev) nodeFs.unlinkSync(lock);
    } catch { /* gone */ }
  }
}

/**
 * Copy `from` to `to` atomically (temp file + link): a crash leaves no partial or empty
 * copy, and an existing `to` is never replaced (EEXIST).
 */
export function copyFileAtomic(from: string, to: string): void {
  writeFileAtomic(to, nodeFs.readFileSync(from), { overwrite: false });
}
