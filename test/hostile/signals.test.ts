// SIGINT (ctrl+c), SIGTERM and SIGHUP during a save: the target is the old or the new
// complete file, never a mix, and no temporary file is left behind.
//
// 1. Deterministic: a child process sends itself the signal in the middle of an atomic
//    write (between two chunks); the write completes, then the signal takes effect.
//    The same signal without the deferral kills the process mid-write (control).
// 2. Random: the built CLI writes a large progress export and is killed at random
//    moments; the file is checked after every kill. (Once conf is loaded, its
//    dependency when-exit listens for SIGINT; a signal that arrives during the
//    synchronous export is then acted on only after it, or not at all if the process
//    ends first: the export completes and exits 0. Both outcomes are fine here.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';
import { sweepStaleTemps, writeFileAtomic } from '../../src/io/atomic.js';

const ATOMIC = pathToFileURL(join(ROOT, 'dist/io/atomic.js')).href;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pvlab-signals-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

/**
 * A child that writes `size` bytes to `target` in 64 KiB chunks and sends itself `sig`
 * after the first chunk. `mode`: 'atomic' (writeFileAtomic), 'listener' (the same with a
 * listener of its own for the signal), 'naive' (tmp + write + rename, no deferral).
 */
function child(target: string, sig: string, mode: 'atomic' | 'listener' | 'naive', size = 1 << 20) {
  const script = `
    import * as fs from 'node:fs';
    import { writeFileAtomic } from ${JSON.stringify(ATOMIC)};
    const target = ${JSON.stringify(target)};
    const data = Buffer.alloc(${size}, 'n');
    let sent = false;
    const writeSync = (fd, b, o, l) => {
      const n = fs.writeSync(fd, b, o, Math.min(l, 65536));
      if (!sent) { sent = true; process.kill(process.pid, ${JSON.stringify(sig)}); process.stdout.write('signalled\\n'); }
      return n;
    };
    if (${JSON.stringify(mode)} === 'naive') {
      const tmp = target + '.naive.tmp';
      const fd = fs.openSync(tmp, 'w');
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
      fs.closeSync(fd);
      fs.renameSync(tmp, target);
    } else {
      if (${JSON.stringify(mode)} === 'listener') {
        process.on(${JSON.stringify(sig)}, () => { process.stdout.write('own handler\\n'); process.exitCode = 7; });
        setTimeout(() => {}, 300); // live long enough for the event loop to deliver it
      }
      writeFileAtomic(target, data, { fs: { writeSync } });
      process.stdout.write('written\\n');
    }
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
}

describe('a signal in the middle of a save', () => {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${sig}: the write completes, then the signal takes effect; no temporary file`, () => {
      const d = mkdtempSync(join(dir, 'd-'));
      const target = join(d, 'save.json');
      writeFileSync(target, 'old content');
      const r = child(target, sig, 'atomic');
      expect(r.stdout).toContain('signalled'); // the signal was sent during the write...
      expect(r.signal).toBe(sig); // ...and it still ended the process with its usual effect
      const got = readFileSync(target);
      expect(got.length).toBe(1 << 20);
      expect(got.every((b) => b === 0x6e)).toBe(true);
      expect(temps(d)).toEqual([]);
      expect(r.stdout).toContain('written'); // the code after the write ran before the signal took effect
    });
  }

  it('control: without the deferral the same signal kills the process mid-write', () => {
    const d = mkdtempSync(join(dir, 'd-'));
    const target = join(d, 'save.json');
    writeFileSync(target, 'old content');
    const r = child(target, 'SIGINT', 'naive');
    expect(r.signal).toBe('SIGINT');
    expect(r.stdout).not.toContain('signalled'); // killed inside process.kill
    expect(readFileSync(target, 'utf8')).toBe('old content');
    expect(temps(d)).toEqual(['save.json.naive.tmp']); // what the deferral prevents
  });

  it('a program with its own handler keeps it: the handler runs after the write, nothing is re-raised', () => {
    const d = mkdtempSync(join(dir, 'd-'));
    const target = join(d, 'save.json');
    const r = child(target, 'SIGINT', 'listener');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(7);
    expect(r.stdout).toMatch(/signalled\nwritten\nown handler\n/);
    expect(readFileSync(target).length).toBe(1 << 20);
    expect(temps(d)).toEqual([]);
  });

  it('without a signal, no listener is left behind', async () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    writeFileAtomic(join(dir, 'quiet.json'), 'x');
    // the listeners go two setImmediate turns after the write (withSignalsDeferred); a
    // timer instead could fire between those turns on a loaded machine
    await new Promise((r) => setImmediate(() => setImmediate(() => setImmediate(r))));
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before);
  });

  it('temporary files of processes that no longer exist are swept by the next write; live ones are kept', () => {
    const d = mkdtempSync(join(dir, 'd-'));
    const target = join(d, 'save.json');
    const dead = '.save.json.2147483646.0badc0de.tmp'; // above any pid_max: no such process
    const live = `.save.json.${process.ppid}.0badc0de.tmp`;
    const other = '.other.json.2147483646.0badc0de.tmp';
    for (const f of [dead, live, other]) writeFileSync(join(d, f), 'half');
    writeFileAtomic(target, 'new');
    expect(temps(d).sort()).toEqual([other, live].sort());
    sweepStaleTemps(join(d, 'other.json'));
    expect(temps(d)).toEqual([live]);
  });
});

describe('the built CLI killed at random moments during a large save', () => {
  it('progress export: after every kill the file is the old or a complete new export; no temp files', { tags: ['timing'] }, async () => {
    const work = mkdtempSync(join(dir, 'cli-'));
    const cfg = join(work, 'config');
    mkdirSync(cfg);
    const env = { ...process.env, PVLAB_CONFIG_DIR: cfg, XDG_CONFIG_HOME: cfg, PVLAB_LEVELS_DIR: join(ROOT, 'test/fixtures/board/levels'), CI: 'true' };
    // a large progress: a few thousand levels (about 0.4 MB exported)
    const levels = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [
      `level-${i}`, { solved: i % 2 === 0, stars: i % 4, best: { cost: 1000 + i, hooks: 1 }, hints: i % 3, attempts: i, bestSolution: `solution ${i}` },
    ]));
    // written as the settings file itself: `progress import` keeps only a bounded number
    // of levels this pvlab does not know, and this test needs a large export
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ settings: {}, progress: { levels } }));
    const old = 'the old export\n';
    const out = join(work, 'out.json');

    const run = (killAfterMs: number | null) => new Promise<{ ms: number; signal: string | null; code: number | null }>((done) => {
      const t0 = performance.now();
      const c = spawn(process.execPath, [CLI, 'progress', 'export', 'out.json', '--force'], { cwd: work, env, stdio: 'ignore' });
      const t = killAfterMs === null ? null : setTimeout(() => c.kill('SIGINT'), killAfterMs);
      c.on('close', (code, signal) => {
        if (t) clearTimeout(t);
        done({ ms: performance.now() - t0, signal, code });
      });
    });

    const full = await run(null);
    expect(full.code).toBe(0);
    const expected = JSON.parse(readFileSync(out, 'utf8')).progress;
    expect(Object.keys(expected.levels)).toHaveLength(2500);

    // the kill moments come from a fixed seed: the same fractions of the run every time
    let seed = 0x2f6b3c1d;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let killed = 0;
    for (let i = 0; i < 6; i++) {
      writeFileSync(out, old);
      // two during start-up (the default action kills), the rest anywhere in the run,
      // denser near its end where the write happens
      const at = i < 2 ? full.ms * 0.08 : full.ms * (0.2 + 0.85 * Math.sqrt(random()));
      const r = await run(at);
      if (r.signal === 'SIGINT') killed++;
      else expect(r.code).toBe(0);
      const now = readFileSync(out, 'utf8');
      if (now !== old) expect(JSON.parse(now).progress).toEqual(expected);
      expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // the settings file survives too
      expect(() => JSON.parse(readFileSync(join(cfg, 'config.json'), 'utf8'))).not.toThrow();
    }
    expect(killed).toBeGreaterThan(0);
  });
});
