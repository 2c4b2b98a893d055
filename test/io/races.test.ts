// Rule: several pvlab processes writing at once lose nothing. Real processes race here
// (spawned `node dist/cli.js`, built by pretest), and every writer's outcome is checked:
// each writer that printed "saved" has its version as the final file or in
// saves/.backup/; each progress import that succeeded is in the final progress.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPathOf, withFileLock } from '../../src/io/atomic.js';
import { DEFAULT_CLI, raceImports, raceProgress, runAll } from './race-harness.js';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'pvlab-races-')); });
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

describe('concurrent writers (real processes)', () => {
  it('rule: concurrent import --force of one name: every "saved" version is the file or a backup', async () => {
    const r = await raceImports(DEFAULT_CLI, 2, 3);
    expect(r.failures).toEqual([]);
    expect(r.saved).toBe(6);
    expect(r.lost).toBe(0);
  }, 60_000);

  it('rule: concurrent progress imports: no level\'s progress is lost', async () => {
    const r = await raceProgress(DEFAULT_CLI, 2, 3);
    expect(r.failures).toEqual([]);
    expect(r.imported).toBe(6);
    expect(r.lost).toBe(0);
  }, 60_000);

  it('rule: kill -9 during saves leaves no empty or partial backup, and no lock that blocks the next save', async () => {
    const sol = join(root, 's.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'k', hooks: [{ site: 'writeback' }] }));
    const [share] = await runAll(DEFAULT_CLI, [['share', sol]], {});
    const code = share!.stdout.trim();
    const saves = join(root, 'saves');
    const env = { ...process.env, PVLAB_CONFIG_DIR: join(root, 'config') };
    await runAll(DEFAULT_CLI, [['import', code, '--dir', saves]], env);
    // writers killed outright at staggered moments, some of them mid-save
    await Promise.all(Array.from({ length: 8 }, (_, i) => new Promise<void>((done) => {
      const p = spawn(process.execPath, [DEFAULT_CLI, 'import', code, '--force', '--dir', saves], { env, stdio: 'ignore' });
      const t = setTimeout(() => p.kill('SIGKILL'), 150 + i * 60);
      p.on('close', () => { clearTimeout(t); done(); });
    })));
    const t0 = Date.now();
    const [after] = await runAll(DEFAULT_CLI, [['import', code, '--force', '--dir', saves]], env);
    expect(after!.stderr).toMatch(/saved/);
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
  it('rule: a lock left by a dead process is broken at once; a live one is waited for, then EBUSY', () => {
    const target = join(root, 'x.json');
    // a pid that cannot be alive (above pid_max)
    writeFileSync(lockPathOf(target), `99999999 ${hostname()} 2020-01-01T00:00:00Z\n`);
    const t0 = Date.now();
    expect(withFileLock(target, () => 42)).toBe(42);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(existsSync(lockPathOf(target))).toBe(false);
    // our own live process holds it: a second taker waits, then gives up with EBUSY
    withFileLock(target, () => {
      let err: NodeJS.ErrnoException | null = null;
      try { withFileLock(target, () => 0, { waitMs: 200 }); } catch (e) { err = e as NodeJS.ErrnoException; }
      expect(err?.code).toBe('EBUSY');
    });
    expect(existsSync(lockPathOf(target))).toBe(false);
  });
});
