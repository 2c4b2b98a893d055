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
// merging progress into the settings file, creating that file): several pvlab processes
// at once must not lose each other's writes. The lock is a file beside the target,
// `.<name>.lock`, holding `pid host time`; it is written in full under a temporary name
// and then hard-linked into place, so a lock is never seen empty while its taker lives.
// Sections under the lock are synchronous and take milliseconds.
//
// A lock is stale (left by a killed process) only by what can be verified (judgeLock):
// on this host, its process is gone, or started after the lock was made (pid reused), or
// is this very process without holding it (a past run with the same pid); any lock
// older than LOCK_STALE_MS (age from the older of its mtime and ctime, and a time in
// the future counts as unknown, so as old); an empty or unreadable lock after
// EMPTY_STALE_MS. A stale lock is removed under a second, short lock (`.<name>.lock.break`)
// after checking it is still the same file, so two processes that both judge it stale
// cannot remove the fresh lock one of them has just taken. The wait for a held lock is
// bounded (LOCK_WAIT_MS, shorter in the game), then the caller gets a LockBusyError
// naming the holder and the file to remove.

/** How long to wait for another process's lock before giving up (EBUSY). */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this is stale even when its process seems alive (another host, a stopped process). */
export const LOCK_STALE_MS = 30_000;
/** An empty or unreadable lock older than this is stale (left by a crash of an older pvlab). */
export const EMPTY_STALE_MS = 2_000;
/** Times this far ahead of the clock are believed (file systems round; another host's clock). */
const CLOCK_SLACK_MS = 2_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The lock file of `target`: a dot-file beside it (skipped by the saves list and the board). */
export function lockPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

/** A lock another process holds longer than the wait: says who holds it and what to remove. */
export class LockBusyError extends Error {
  readonly code = 'EBUSY';
  constructor(readonly target: string, readonly lock: string, readonly holder: string) {
    super(`${target} is locked by ${holder} (if no pvlab is running, remove ${lock})`);
  }
}

/** The end of a refusal line: who holds the lock and which file to remove. */
export function lockAdvice(err: LockBusyError): string {
  return `locked by ${err.holder}; try again, or if no pvlab is running remove ${err.lock}`;
}

export interface LockJudgement {
  stale: boolean;
  /** who holds it, or why it is stale, in a few words */
  why: string;
}

/** Locks this process holds now (a lock naming our pid but not in here is a past run's). */
const heldHere = new Set<string>();

/**
 * When `pid` (of this host) started, in ms since the epoch, or null when this cannot be
 * known (not Linux, no /proc). Linux: /proc/<pid>/stat field 22 is the start in clock
 * ticks since boot (USER_HZ, 100 on every architecture Node runs on), /proc/stat's btime
 * the boot time in seconds.
 */
function processStartMs(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = nodeFs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 counted from 1, fields[0] being field 3
    const btime = /^btime (\d+)$/m.exec(nodeFs.readFileSync('/proc/stat', 'utf8'));
    if (!btime || !Number.isFinite(ticks)) return null;
    return Number(btime[1]) * 1000 + ticks * 10;
  } catch {
    return null;
  }
}

/**
 * Decide whether the lock file `lock` (stat `st`, content `text`) is held or stale, by
 * what can be verified; see the section comment. `now` is the clock (tests).
 */
export function judgeLock(lock: string, st: nodeFs.Stats, text: string, now = Date.now()): LockJudgement {
  const made = Math.min(st.mtimeMs, st.ctimeMs);
  const future = made > now + CLOCK_SLACK_MS;
  const age = future ? Infinity : now - made;
  const ageText = future ? 'a time in the future' : `${Math.round(age / 1000)} s old`;
  const m = /^(\d+) (\S+)/.exec(text);
  if (!m) {
    return age > EMPTY_STALE_MS ? { stale: true, why: `an ${text.trim() ? 'unreadable' : 'empty'} lock, ${ageText}` } : { stale: false, why: 'a lock being written' };
  }
  const pid = Number(m[1]);
  const host = m[2]!;
  if (host === hostName()) {
    if (pid === process.pid) {
      return heldHere.has(resolve(lock)) ? { stale: false, why: 'this pvlab process' } : { stale: true, why: `a past run with this process's pid ${pid}` };
    }
    if (!alive(pid)) return { stale: true, why: `its process ${pid} is gone` };
    const started = processStartMs(pid);
    if (started !== null && started > made + 1000) return { stale: true, why: `pid ${pid} was reused after the lock was made` };
    if (age > LOCK_STALE_MS) return { stale: true, why: `process ${pid} has held it longer than any save takes (${ageText})` };
    return { stale: false, why: `process ${pid} on this host` };
  }
  if (age > LOCK_STALE_MS) return { stale: true, why: `a lock of host ${host}, ${ageText}` };
  return { stale: false, why: `a process on host ${host}` };
}

function hostName(): string {
  return hostname().replace(/\s+/g, '') || 'localhost';
}

/** How long a breaker may hold the `.break` guard (it holds it for microseconds). */
const GUARD_STALE_MS = 5_000;

/**
 * Remove the stale lock `lock` (stat `stale`) unless it changed meanwhile. Only the holder
 * of the guard `.<name>.lock.break` (O_EXCL) removes locks, and it first checks that the
 * lock is still the file judged stale: nobody else can replace a lock that exists, so
 * between that check and the unlink it cannot become someone's fresh lock. A guard left
 * by a killed breaker is removed after GUARD_STALE_MS. Returns whether it removed the lock.
 */
function breakStale(lock: string, stale: nodeFs.Stats): boolean {
  const guard = `${lock}.break`;
  let fd: number;
  try {
    fd = nodeFs.openSync(guard, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') dropStaleGuard(guard);
    return false; // another process is breaking it; the caller looks again
  }
  const mine = nodeFs.fstatSync(fd);
  try {
    nodeFs.writeSync(fd, `${process.pid} ${hostName()} ${new Date().toISOString()}\n`);
    nodeFs.closeSync(fd);
    let now: nodeFs.Stats;
    try { now = nodeFs.lstatSync(lock); } catch { return false; } // released meanwhile
    if (now.ino !== stale.ino || now.dev !== stale.dev || now.mtimeMs !== stale.mtimeMs) return false;
    if (now.isDirectory()) nodeFs.rmdirSync(lock); // only an empty folder: rmdir refuses others
    else nodeFs.unlinkSync(lock);
    return true;
  } catch {
    return false;
  } finally {
    try {
      const st = nodeFs.statSync(guard);
      if (st.ino === mine.ino && st.dev === mine.dev) nodeFs.unlinkSync(guard);
    } catch { /* gone */ }
  }
}

/** Remove a `.break` guard older than GUARD_STALE_MS (its breaker was killed midway). */
function dropStaleGuard(guard: string): void {
  try {
    const st = nodeFs.statSync(guard);
    const made = Math.min(st.mtimeMs, st.ctimeMs);
    if (Date.now() - made < GUARD_STALE_MS && made <= Date.now() + CLOCK_SLACK_MS) return;
    const aside = `${guard}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    nodeFs.renameSync(guard, aside);
    const moved = nodeFs.statSync(aside);
    // not the one judged old: a breaker took a new guard meanwhile; put it back
    if (moved.ino !== st.ino || moved.dev !== st.dev) {
      try { nodeFs.linkSync(aside, guard); } catch { /* a third one holds it now */ }
    }
    nodeFs.unlinkSync(aside);
  } catch { /* gone, or someone else dropped it */ }
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

/** Take the lock: link a complete lock file into place (O_EXCL where links are missing). */
function tryLock(lock: string, content: string): 'taken' | 'exists' {
  const tmp = join(dirname(lock), `.${basename(lock)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = nodeFs.openSync(tmp, 'wx', 0o644);
  try {
    nodeFs.writeSync(fd, content);
  } finally {
    nodeFs.closeSync(fd);
  }
  try {
    nodeFs.linkSync(tmp, lock);
    return 'taken';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return 'exists';
    if (!NO_LINK.has(code)) throw err;
  } finally {
    try { nodeFs.unlinkSync(tmp); } catch { /* a stray .tmp is swept later */ }
  }
  // no hard links here: create it exclusively and write it (empty for microseconds)
  let lfd: number;
  try {
    lfd = nodeFs.openSync(lock, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw err;
  }
  try {
    nodeFs.writeSync(lfd, content);
  } finally {
    nodeFs.closeSync(lfd);
  }
  return 'taken';
}

/**
 * Run `fn` holding the exclusive lock of `target` (its folder must exist). Throws a
 * LockBusyError (code EBUSY) when another process holds the lock longer than the wait.
 * Reentrant: inside `fn`, the same lock is held already and taken again at once.
 */
export function withFileLock<T>(target: string, fn: () => T, opts: LockOptions = {}): T {
  const lock = resolve(lockPathOf(target));
  if (heldHere.has(lock)) return fn();
  const deadline = Date.now() + (opts.waitMs ?? LOCK_WAIT_MS);
  const content = `${process.pid} ${hostName()} ${new Date().toISOString()}\n`;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    let got: 'taken' | 'exists';
    try {
      got = tryLock(lock, content);
    } catch (err) {
      if (opts.unlockedIfUnwritable) return fn();
      throw err;
    }
    if (got === 'taken') break;
    let st: nodeFs.Stats;
    let text = '';
    try {
      st = nodeFs.lstatSync(lock);
      if (st.isFile()) text = nodeFs.readFileSync(lock, 'utf8').slice(0, 200);
    } catch { continue; } // released meanwhile: try again now
    const j: LockJudgement = st.isFile() ? judgeLock(lock, st, text)
      : st.isDirectory() ? { stale: nodeFs.readdirSync(lock).length === 0, why: 'a folder, not a lock file' }
        : { stale: false, why: 'not a lock file' };
    if (j.stale && breakStale(lock, st)) continue;
    if (!st.isFile() && !j.stale) throw new LockBusyError(target, lock, j.why); // never goes away by itself
    if (Date.now() > deadline) throw new LockBusyError(target, lock, j.why);
    sleepSync(delay + Math.floor(Math.random() * delay));
  }
  const mine = nodeFs.statSync(lock);
  heldHere.add(lock);
  try {
    sweepStaleTemps(lock);
    return withSignalsDeferred(fn);
  } finally {
    heldHere.delete(lock);
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
