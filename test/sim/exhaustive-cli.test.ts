// `pvlab verify --exhaustive`, in process: exit codes, JSON contract, text output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pvlab as run } from '../helpers/cli.js';
import { incompleteError } from '../../src/commands/exhaustive.js';
import { scoreLevel } from '../../src/sim/score.js';
import { InputError } from '../../src/io/errors.js';
import { parseLevel } from '../../src/io/schema.js';

// A light swap load: the seeds (visible and hidden) happen to miss the race of an export
// in the aging scan, the exhaustive search of one page does not.
const LEVEL = {
  id: 'exhaustive-fixture', title: 'Lucky seeds', chapter: 1,
  briefing: 'A light swap load: the race between the aging scan and the write is rare.',
  arch: 's390-pv', kernel: '6.5', device: 'ccw',
  guest: { pages: 256, shared: 0.1 },
  workloads: [{ kind: 'kvm_fault', touches: 100 }, { kind: 'swap', ops: 10 }],
  sites: ['reclaim_scan', 'ptep_clear', 'writeback'],
  seeds: { visible: [1, 2, 3], hidden: 5 },
};
const sol = (name: string, hooks: unknown[]) =>
  JSON.stringify({ format: 'pvlab-solution@1', level: 'exhaustive-fixture', name, hooks });

let dir = '';
const f = (n: string) => join(dir, n);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pvlab-exhaustive-'));
  writeFileSync(f('declared.json'), JSON.stringify({ ...LEVEL, exhaustive: { pages: 1, ops: 3, touches: 2 } }));
  writeFileSync(f('plain.json'), JSON.stringify(LEVEL));
  writeFileSync(f('bad.json'), JSON.stringify({ ...LEVEL, exhaustive: { pages: 2, inFlight: 9 } }));
  writeFileSync(f('early.json'), sol('early', [{ site: 'reclaim_scan' }]));
  writeFileSync(f('ptep.json'), sol('after the mark', [{ site: 'ptep_clear' }]));
});

async function pvlab(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const r = await run(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('pvlab verify --exhaustive', () => {
  it('fails a placement every seed passes, with the shortest schedule as the counterexample', async () => {
    const seedsOnly = await pvlab('verify', f('declared.json'), '--solution', f('early.json'), '--no-exhaustive', '--json');
    expect(seedsOnly.code).toBe(0);
    expect(JSON.parse(seedsOnly.out).passed).toBe(true);

    const r = await pvlab('verify', f('declared.json'), '--solution', f('early.json'), '--exhaustive', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.passed).toBe(false);
    expect(j.stars).toBe(0);
    expect(j.seeds.every((s: { passed: boolean }) => s.passed)).toBe(true);
    expect(j.exhaustive).toMatchObject({
      passed: false, complete: true, declared: true, reduction: 'page',
      small: { pages: 1, ops: 3, touches: 2, inFlight: 3 },
    });
    expect(j.exhaustive.states).toBeGreaterThan(0);
    // same format as run: schedule of choices plus the trace; the top-level one too
    const cx = j.exhaustive.counterexample;
    // [R3] exported at aging, imported back through a writable PTE, written to disk secure
    expect(cx.failure.kind).toBe('fatal-io-error');
    expect(cx.schedule.length).toBe(j.exhaustive.depth);
    expect(cx.trace.at(-1).outcome).toBe('fatal-io-error');
    expect(j.counterexample).toEqual(cx);
    // no wall-clock: byte-identical output on a second run
    const again = await pvlab('verify', f('declared.json'), '--solution', f('early.json'), '--exhaustive', '--json');
    expect(again.out).toBe(r.out);
  });

  it('runs by default when the level declares a small configuration, not otherwise', async () => {
    const declared = JSON.parse((await pvlab('verify', f('declared.json'), '--solution', f('ptep.json'), '--json')).out);
    expect(declared.exhaustive).toMatchObject({ passed: true, declared: true });
    const plain = JSON.parse((await pvlab('verify', f('plain.json'), '--solution', f('ptep.json'), '--json')).out);
    expect(plain.exhaustive).toBeUndefined();
    const forced = await pvlab('verify', f('plain.json'), '--solution', f('ptep.json'), '--exhaustive', '--json');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.out).exhaustive).toMatchObject({
      passed: true, declared: false, small: { pages: 2, ops: 3, touches: 4, inFlight: 3 },
    });
  });

  it('prints the verdict, the search size and the failing trace as text', async () => {
    const r = await pvlab('verify', f('plain.json'), '--solution', f('early.json'), '--exhaustive');
    expect(r.code).toBe(1);
    expect(r.out).toContain('PASS on 8/8 seeds (3 visible, 5 hidden)\n'); // no stars: the search fails
    expect(r.out).toMatch(/exhaustive \(2 pages, 3 ops per host workload, 4 guest touches, 3 in flight; the level declares none, default\): FAIL \(\d+ states, \d+ moves, per-page reduction\)/);
    expect(r.out).toMatch(/shortest failing schedule: \d+ scheduler steps, page 0: fatal-io-error in swap/);
    expect(r.out).toContain('<== FATAL-IO-ERROR');
    expect(r.out).toContain('overall: FAIL (every seed passes, but an interleaving they missed fails)');
    const ok = await pvlab('verify', f('plain.json'), '--solution', f('ptep.json'), '--exhaustive');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/PASS: every interleaving checked \(\d+ states/);
    expect(ok.out).toContain('overall: PASS');
  });

  it('bad small configurations are one-line input errors', async () => {
    const r = await pvlab('verify', f('bad.json'), '--solution', f('ptep.json'), '--exhaustive');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('exhaustive.inFlight');
    // a search that cannot finish is the level's fault: an InputError, not a verdict
    const lv = parseLevel({ ...LEVEL, exhaustive: { pages: 2 } }, 'x');
    const score = scoreLevel(lv, [{ site: 'ptep_clear' }], { maxStates: 3 });
    expect(score.incomplete).toBe(true);
    expect(score.passed).toBe(false);
    const err = incompleteError(lv, score.exhaustive!.result.states);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/stopped after \d+ states/);
  });
});

describe('freedSecure in run output', () => {
  const A = ['run', '--sandbox', '--arch', 's390-pv', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'teardown', '--pages', '8'];
  it('[R10] a secure page freed at teardown is its own metric, total and per workload, and fails the run', async () => {
    const j = await pvlab(...A, '--json');
    expect(j.code).toBe(1);
    const r = JSON.parse(j.out);
    expect(r.metrics.freedSecure).toBeGreaterThan(0);
    expect(r.metrics.ioErrors).toBe(0);
    expect(r.workloads.teardown.freedSecure).toBe(r.metrics.freedSecure);
    expect(r.counterexample.failure.kind).toBe('freed-secure');
    const t = await pvlab(...A);
    expect(t.out).toMatch(/FAIL \(0 I\/O errors, 0 fatal, 0 crashes, \d+ freed secure\)/);
    expect(t.out).toContain('<== FREED-SECURE (secure page back to the allocator)');
  });
});
