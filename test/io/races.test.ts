// Rule: several pvlab processes writing at once lose nothing. Real processes race here
// (spawned `node dist/cli.js`, built by pretest), and every writer's outcome is checked:
// each writer that printed "saved" has its version as the final file or in
// saves/.backup/; each progress import that succeeded is in the final progress.
// One round of 4-5 writers per case: with the harness's start barrier, one round of 4
// aligned writers loses a write in each of 5 of 5 tries against a build without the lock
// (imports and progress imports alike). PVLAB_RACE_ROUNDS=<n> runs every case n rounds;
// scripts/races.mjs runs the long table (12 writers x 3 rounds by default).
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_STALE_MS, LOCK_STALE_MS, LockBusyError, judgeLock, lockPathOf, withFileLock } from '../../src/io/atomic.js';
import { DEFAULT_CLI, deadPid, placeLock, raceImports, raceProgress, raceStore, runHere } from './race-harness.js';

const DIST = dirname(DEFAULT_CLI);
const ROUNDS = Math.max(1, Number(process.env.PVLAB_RACE_ROUNDS) || 1);

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'pvlab-races-')); });
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

describe('concurrent writers (real processes)', () => {
  it('rule: concurrent import --force of one name: every "saved" version is the file or a backup', async () => {
    const r = await raceImports(DEFAULT_CLI, ROUNDS, 4);
    expect(r.failures).toEqual([]);
    expect(r.saved).toBe(4 * ROUNDS);
    expect(r.lost).toBe(0);
  }, 60_000);

  it('rule: aligned import --force with a stale lock present: one exclusion, every "saved" version kept', async () => {
    const r = await raceImports(DEFAULT_CLI, ROUNDS, 4, { staleLock: true });
    expect(r.failures).toEqual([]);
    expect(r.saved).toBe(4 * ROUNDS);
    expect(r.lost).toBe(0);
  }, 60_000);

  it('rule: a config folder that does not exist yet, progress and settings writers at once: nothing lost, nothing moved aside', async () => {
    const r = await raceStore(DIST, ROUNDS, 3, 2, { fresh: true });
    expect(r.failures).toEqual([]);
    expect({ saved: r.saved, lost: r.lost, corrupt: r.corrupt, wrongSaved: r.wrongSaved }).toEqual({ saved: 5 * ROUNDS, lost: 0, corrupt: 0, wrongSaved: 0 });
  }, 60_000);

  it('rule: progress writers with a stale lock on the settings file: nothing lost, none says saved while kept in memory', async () => {
    const r = await raceStore(DIST, ROUNDS, 4, 0, { staleLock: true });
    expect(r.failures).toEqual([]);
    expect({ saved: r.saved, lost: r.lost, corrupt: r.corrupt, wrongSaved: r.wrongSaved }).toEqual({ saved: 4 * ROUNDS, lost: 0, corrupt: 0, wrongSaved: 0 });
  }, 60_000);

  it('rule: concurrent progress imports: no level\'s progress is lost', async () => {
    const r = await raceProgress(DEFAULT_CLI, ROUNDS, 4);
    expect(r.failures).toEqual([]);
    expect(r.saved).toBe(4 * ROUNDS);
    expect(r.lost).toBe(0);
  }, 60_000);

  it('rule: kill -9 during saves leaves no empty or partial backup, and no lock that blocks the next save', async () => {
    const sol = join(root, 's.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'k', hooks: [{ site: 'writeback' }] }));
    // the setup and the save after the kills run in this process (the build's main())
    const code = (await runHere(DEFAULT_CLI, ['share', sol])).stdout.trim();
    const saves = join(root, 'saves');
    const env = { ...process.env, PVLAB_CONFIG_DIR: join(root, 'config') };
    await runHere(DEFAULT_CLI, ['import', code, '--dir', saves], { PVLAB_CONFIG_DIR: env.PVLAB_CONFIG_DIR });
    // writers killed outright at staggered moments, some of them mid-save
    await Promise.all(Array.from({ length: 8 }, (_, i) => new Promise<void>((done) => {
      const p = spawn(process.execPath, [DEFAULT_CLI, 'import', code, '--force', '--dir', saves], { env, stdio: 'ignore' });
      const t = setTimeout(() => p.kill('SIGKILL'), 150 + i * 60);
      p.on('close', () => { clearTimeout(t); done(); });
    })));
    const t0 = Date.now();
    const after = await runHere(DEFAULT_CLI, ['import', code, '--force', '--dir', saves], { PVLAB_CONFIG_DIR: env.PVLAB_CONFIG_DIR });
    expect(after.stderr).toMatch(/saved/);
    expect(Date.now() - t0).toBeLessThan(8000); // a dead writer's lock is broken at once, not waited out
    const backups = existsSync(join(saves, '.backup')) ? readdirSync(join(saves, '.backup')).filter((n) => n.endsWith('.json') && !n.startsWith('.')) : [];
    expect(backups.length).toBeGreaterThan(0);
    for (const b of backups) {
      const p = join(saves, '.backup', b);
      expect(statSync(p).size).toBeGreaterThan(0);
      expect(() => JSON.parse(readFileSync(p, 'utf8'))).not.toThrow();
    }
  }, 60_000);
});

describe('the lock', () => {
  it('rule: a lock left by a dead process is broken at once; a live one is waited for, then EBUSY naming the file to remove', async () => {
    const target = join(root, 'x.json');
    writeFileSync(lockPathOf(target), `${deadPid()} ${hostname()} 2020-01-01T00:00:00Z\n`);
    const t0 = Date.now();
    expect(withFileLock(target, () => 42)).toBe(42);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(existsSync(lockPathOf(target))).toBe(false);
    // another live process holds it: the taker waits, then gives up with the file to remove
    // (a shell that writes its pid, then becomes a sleep of the same pid)
    const holder = spawn('sh', ['-c', 'printf "%s %s x\\n" $$ "$1" > "$2"; echo held; exec sleep 20', 'sh', hostname(), lockPathOf(target)], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((done) => holder.stdout.once('data', done));
    try {
      let err: unknown = null;
      try { withFileLock(target, () => 0, { waitMs: 200 }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(LockBusyError);
      expect((err as LockBusyError).code).toBe('EBUSY');
      expect((err as LockBusyError).message).toContain(`process ${holder.pid} on this host`);
      expect((err as LockBusyError).message).toContain(`remove ${lockPathOf(target)}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((done) => holder.once('close', done));
    }
    // and once it is dead, at once
    expect(withFileLock(target, () => 7)).toBe(7);
  });

  it('rule: the lock is reentrant in one process, and a lock naming this pid that it does not hold is a past run\'s', () => {
    const target = join(root, 'y.json');
    expect(withFileLock(target, () => withFileLock(target, () => 3))).toBe(3);
    writeFileSync(lockPathOf(target), `${process.pid} ${hostname()} 2020-01-01T00:00:00Z\n`);
    expect(withFileLock(target, () => 4, { waitMs: 0 })).toBe(4);
  });

  const judge = (text: string, now: number, touch?: Date) => {
    const lock = lockPathOf(join(root, 'z.json'));
    writeFileSync(lock, text);
    if (touch) utimesSync(lock, touch, touch);
    return judgeLock(lock, lstatSync(lock), text, now);
  };

  it('rule: staleness by what can be verified: age bounded by now (a future mtime is not fresh forever), another host, an empty lock', () => {
    const now = Date.now();
    const live = `${process.ppid} ${hostname()} x\n`;
    // a live process of this host: held, until it held it longer than any save takes
    expect(judge(live, now).stale).toBe(false);
    expect(judge(live, now + LOCK_STALE_MS + 1000).stale).toBe(true);
    // a mtime a year ahead: the age counts from the creation (ctime), so it ends as well
    const future = new Date(now + 365 * 86400_000);
    expect(judge(live, now, future).stale).toBe(false);
    expect(judge(live, now + LOCK_STALE_MS + 1000, future).stale).toBe(true);
    // a lock whose times are all ahead of the clock (the clock went back): its age is unknown
    expect(judge(live, now - 3600_000).why).toMatch(/future/);
    // another host's lock: no pid to check there, the same age bound
    expect(judge(`4242 some-other-host x\n`, now)).toEqual({ stale: false, why: 'a process on host some-other-host' });
    expect(judge(`4242 some-other-host x\n`, now + LOCK_STALE_MS + 1000).stale).toBe(true);
    // empty: a crash between create and write of an older pvlab; ours are never empty
    expect(judge('', now).stale).toBe(false);
    expect(judge('', now + EMPTY_STALE_MS + 500).stale).toBe(true);
    // dead pid: at once
    expect(judge(`${deadPid()} ${hostname()} x\n`, now).stale).toBe(true);
  });

  it.runIf(process.platform === 'linux')('rule: a live pid that started after the lock was made is a reused pid: stale', () => {
    const old = new Date(Date.now() - 20_000);
    const lock = lockPathOf(join(root, 'r.json'));
    // our own parent started long before: held; a process started now: reused
    const p = spawn('sleep', ['10'], { stdio: 'ignore' });
    try {
      writeFileSync(lock, `${p.pid} ${hostname()} x\n`);
      utimesSync(lock, old, old);
      const st = lstatSync(lock);
      // ctime is now, so the judgement uses the older mtime: 20 s before the process began
      expect(judgeLock(lock, st, `${p.pid} ${hostname()} x\n`)).toMatchObject({ stale: true, why: expect.stringMatching(/reused/) });
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('rule: a folder in the lock\'s place: an empty one is removed, a full one refused at once with its name', () => {
    const target = join(root, 'd.json');
    mkdirSync(lockPathOf(target));
    expect(withFileLock(target, () => 1, { waitMs: 0 })).toBe(1);
    mkdirSync(lockPathOf(target));
    writeFileSync(join(lockPathOf(target), 'keep'), 'x');
    const t0 = Date.now();
    expect(() => withFileLock(target, () => 1)).toThrow(`remove ${lockPathOf(target)}`);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(readFileSync(join(lockPathOf(target), 'keep'), 'utf8')).toBe('x');
  });

  // through the built CLI's main() in this process: the lock and the refusal are the
  // command's, not the process's (the races above are the real processes)
  it('rule: lock kinds through the CLI: the refusal of a save says which file to remove', async () => {
    const saves = join(root, 'saves');
    const sol = join(root, 's.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'k', hooks: [{ site: 'writeback' }] }));
    const code = (await runHere(DEFAULT_CLI, ['share', sol])).stdout.trim();
    const env = { PVLAB_CONFIG_DIR: join(root, 'config') };
    await runHere(DEFAULT_CLI, ['import', code, '--dir', saves], env);
    const file = join(saves, 'swap-pressure--k.json');
    mkdirSync(lockPathOf(file));
    writeFileSync(join(lockPathOf(file), 'x'), '');
    const r = await runHere(DEFAULT_CLI, ['import', code, '--force', '--dir', saves], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`pvlab: ${file} not saved: locked by a folder, not a lock file; try again, or if no pvlab is running remove ${lockPathOf(file)}`]);
    rmSync(lockPathOf(file), { recursive: true });
    placeLock(file, 'dead pid', 0);
    const ok = await runHere(DEFAULT_CLI, ['import', code, '--force', '--dir', saves], env);
    expect(ok.code).toBe(0);
  });
});
