// Exhaustive interleaving checks: the key race (a hook placed before the page is marked
// busy, undone by a guest touch before the device reads it) is always caught, the
// reductions lose nothing, the schedule is a shortest one and replays.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { simulate, reproduces, traceScript } from '../../src/sim/run.js';
import { ARCH_IDS, SITE_IDS, SITES, WORKLOAD_IDS, type WorkloadId } from '../../src/sim/model.js';
import { type Hook, type SimConfig } from '../../src/sim/types.js';
import { exhaustiveCheck, exhaustiveConfig, type SmallConfig } from '../../src/sim/exhaustive.js';

// The swap level of the campaign, as the key test describes it: s390 PV, the guest runs
// and reclaim swaps to a CCW disk.
const SWAP: SimConfig = {
  arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 128, shared: 0.1,
  workloads: [{ kind: 'kvm_fault', touches: 1500, hot: 0.125, hotProb: 0.8, writeRatio: 0.5 }, { kind: 'swap', ops: 250 }],
};
const RECLAIM_SCAN: Hook[] = [{ site: 'reclaim_scan' }];
const PTEP_CLEAR: Hook[] = [{ site: 'ptep_clear' }];
const MAINLINE: Hook[] = [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }];
const SAFE_ALL: Hook[] = [
  { site: 'ptep_clear', when: 'live' }, { site: 'writeback' }, { site: 'gup_fast', when: 'any' },
  { site: 'gup_slow', when: 'any' }, { site: 'kmap' }, { site: 'splice' },
];

describe('the key race: an export before the page is marked busy', () => {
  for (const small of [{ pages: 1 }, { pages: 2 }, { pages: 2, ops: 3, touches: 5 }] as SmallConfig[]) {
    it(`[R19][R4] reclaim_scan alone fails exhaustively on ${JSON.stringify(small)}, with a 6-move schedule that replays`, () => {
      const r = exhaustiveCheck(SWAP, RECLAIM_SCAN, small);
      expect(r.complete).toBe(true);
      expect(r.passed).toBe(false);
      const cx = r.counterexample!;
      expect(cx.failure.kind).toBe('fatal-io-error');
      expect(cx.failure.workload).toBe('swap');
      // start (aging exports + isolates), guest import, keep, lock, unmap, set writeback +
      // device read ([R4] swap_writepage submits the bio in the same call)
      expect(cx.schedule.map((c) => c.t)).toEqual(['start', 'guest', 'step', 'step', 'step', 'step']);
      expect(reproduces(r.config, RECLAIM_SCAN, cx.schedule, cx.failure)).toBe(true);
      const actions = cx.trace.map((t) => `${t.site ?? ''}:${t.action}`);
      expect(actions[0]).toBe('reclaim_scan:export');
      expect(actions).toContain(':import');
      expect(cx.trace[cx.trace.length - 1].outcome).toBe('fatal-io-error');
      expect(cx.trace[cx.trace.length - 1].state).toBe('secure');
    });
    it(`ptep_clear alone passes exhaustively on ${JSON.stringify(small)}`, () => {
      const r = exhaustiveCheck(SWAP, PTEP_CLEAR, small);
      expect(r).toMatchObject({ passed: true, complete: true });
      expect(r.counterexample).toBeUndefined();
      expect(r.states).toBeGreaterThan(10);
    });
  }

  it('is caught every time: the result does not depend on anything but its inputs', () => {
    const a = exhaustiveCheck(SWAP, RECLAIM_SCAN, { pages: 2 });
    for (let i = 0; i < 3; i++) expect(exhaustiveCheck(SWAP, RECLAIM_SCAN, { pages: 2 })).toEqual(a);
  });

  it('state counts are stable (update when the engine semantics change on purpose)', () => {
    const counts = [
      exhaustiveCheck(SWAP, RECLAIM_SCAN, { pages: 2 }),
      exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 2 }),
      exhaustiveCheck(SWAP, RECLAIM_SCAN, { pages: 2 }, { reduction: 'none' }),
      exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 2 }, { reduction: 'none' }),
    ].map((r) => [r.states, r.transitions]);
    expect(counts).toEqual([[15, 36], [19, 56], [215, 690], [2063, 8954]]);
    // symmetric pages add nothing under the per-page reduction
    expect(exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 1 }).states).toBe(exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 4 }).states);
    // a shared page (6 pages x 0.1 shared) is a second class of its own
    expect(exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 6 }).searchedPages).toEqual([0, 5]);
  });

  it('[R3] writeback alone passes: a page the guest imported has a dirty PTE, so reclaim writes it back', () => {
    // do_swap_page() maps a page writable only on a write fault (and dirty then), and an
    // import needs a writable PTE: no interleaving drops a secure page clean from the
    // swap cache, so the generic writeback hook sees every secure page that leaves
    expect(exhaustiveCheck(SWAP, [{ site: 'writeback' }], { pages: 2 }).passed).toBe(true);
    expect(exhaustiveCheck(SWAP, [{ site: 'writeback' }], { pages: 2, ops: 4, touches: 6 }).passed).toBe(true);
    const r = exhaustiveCheck(SWAP, [], { pages: 2 });
    expect(r.passed).toBe(false);
    expect(r.counterexample!.failure.kind).toBe('fatal-io-error');
  });
});

describe('the counterexample is a shortest one', () => {
  /** Depth-first over every move sequence of length <= L, no hashing, no reduction. */
  function failsWithin(cfg: SimConfig, hooks: Hook[], L: number): boolean {
    const e = new Engine(cfg, hooks, 0);
    const R = e.exRecordSize();
    const stack = new Int32Array((L + 1) * R);
    const moves = Array.from({ length: L + 1 }, () => new Int32Array(256));
    e.exSave(stack, 0);
    const go = (d: number): boolean => {
      if (d === L) return false;
      e.exLoad(stack, d * R);
      const n = e.exEnabled(moves[d], -1);
      for (let i = 0; i < n; i++) {
        e.exLoad(stack, d * R);
        e.exTake(moves[d][i]);
        if (e.firstFailure) return true;
        e.exSave(stack, (d + 1) * R);
        if (go(d + 1)) return true;
      }
      return false;
    };
    return go(0);
  }

  it('no schedule one move shorter fails (naive depth-first enumeration)', () => {
    for (const hooks of [RECLAIM_SCAN, [] as Hook[]]) {
      const r = exhaustiveCheck(SWAP, hooks, { pages: 1, ops: 2, touches: 2 });
      const L = r.counterexample!.schedule.length;
      expect(failsWithin(r.config, hooks, L - 1)).toBe(false);
      expect(failsWithin(r.config, hooks, L)).toBe(true);
    }
  });
});

describe('reductions lose nothing', () => {
  // a deterministic sample of tiny configurations: random arch, kernel, device, one or two
  // host workloads with the guest, random hook placements
  let x = 20240607;
  const rnd = (n: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return (x >>> 8) % n; };
  const placeable = SITE_IDS.filter((s) => SITES[s].placeable);
  const hostKinds = WORKLOAD_IDS.filter((w) => w !== 'kvm_fault');
  const sample = Array.from({ length: 60 }, () => {
    const ws: WorkloadId[] = ['kvm_fault'];
    const k = 1 + rnd(2);
    while (ws.length < 1 + k) { const w = hostKinds[rnd(hostKinds.length)]; if (!ws.includes(w)) ws.push(w); }
    const hooks: Hook[] = [];
    for (const s of placeable) {
      if (rnd(3) === 0) { const wh = SITES[s].when; hooks.push(wh.length ? { site: s, when: wh[rnd(wh.length)] } : { site: s }); }
    }
    const cfg: SimConfig = {
      arch: ARCH_IDS[rnd(ARCH_IDS.length)], kernel: rnd(2) ? '6.5' : '5.7', device: rnd(2) ? 'pci' : 'ccw',
      pages: 64, shared: rnd(2) ? 0.5 : 0, workloads: ws.map((kind) => ({ kind })),
    };
    return { cfg, hooks, small: { pages: 2, ops: 1 + rnd(2), touches: 1 + rnd(3), inFlight: 2 } };
  });

  it('per-page reduction + budget subsumption agree with a plain BFS on the full product', () => {
    let fails = 0, passes = 0, reducedStates = 0, plainStates = 0;
    for (const { cfg, hooks, small } of sample) {
      const a = exhaustiveCheck(cfg, hooks, small);
      const b = exhaustiveCheck(cfg, hooks, small, { reduction: 'none' });
      expect(b.complete).toBe(true);
      const what = `${cfg.arch} ${cfg.workloads.map((w) => w.kind)} ${JSON.stringify(hooks)} ${JSON.stringify(small)}`;
      expect(a.passed, what).toBe(b.passed);
      expect(a.counterexample?.schedule.length, what).toBe(b.counterexample?.schedule.length);
      if (a.counterexample) {
        expect(reproduces(a.config, hooks, a.counterexample.schedule, a.counterexample.failure), what).toBe(true);
        expect(reproduces(b.config, hooks, b.counterexample!.schedule, b.counterexample!.failure), what).toBe(true);
      }
      if (a.passed) passes++; else fails++;
      reducedStates += a.states; plainStates += b.states;
    }
    // the sample must exercise both verdicts, and the reduction must reduce
    expect(passes).toBeGreaterThan(10);
    expect(fails).toBeGreaterThan(10);
    expect(reducedStates * 3).toBeLessThan(plainStates);
  });

  it('whatever a seeded run of the small machine finds, the exhaustive search finds too', () => {
    let seededFails = 0;
    for (const { cfg, hooks, small } of sample.slice(0, 30)) {
      const r = exhaustiveCheck(cfg, hooks, small);
      const sc = exhaustiveConfig(cfg, small);
      for (let seed = 1; seed <= 20; seed++) {
        const s = simulate(sc, hooks, seed, { counterexample: false });
        if (!s.passed) {
          seededFails++;
          expect(r.passed, `${JSON.stringify(hooks)} seed ${seed}`).toBe(false);
        }
      }
    }
    expect(seededFails).toBeGreaterThan(0);
  });
});

describe('passing placements and limits', () => {
  it('a placement that covers every path passes with every workload in the mix', () => {
    const all: SimConfig = { arch: 's390-pv', kernel: '6.5', device: 'pci', pages: 64, shared: 0.1, workloads: WORKLOAD_IDS.map((kind) => ({ kind })) };
    const r = exhaustiveCheck(all, SAFE_ALL, { pages: 2, ops: 1, touches: 2 });
    expect(r).toMatchObject({ passed: true, complete: true });
    expect(r.searchedPages.length).toBe(1);
    // mainline misses sendfile (the splice hook was never merged)
    const m = exhaustiveCheck(all, MAINLINE, { pages: 2, ops: 1, touches: 2 });
    expect(m.passed).toBe(false);
    expect(m.counterexample!.failure.workload).toBe('sendfile');
  });

  it('a search cut short by maxStates neither passes nor claims a counterexample', () => {
    const r = exhaustiveCheck(SWAP, PTEP_CLEAR, { pages: 2 }, { maxStates: 5 });
    expect(r).toMatchObject({ passed: false, complete: false });
    expect(r.counterexample).toBeUndefined();
  });

  it('the small machine keeps the level\'s machine and options and bounds the rest', () => {
    const sc = exhaustiveConfig({ ...SWAP, maxInFlight: 2, costs: { export: 3 } }, { pages: 99, ops: 2, touches: 4 });
    expect(sc).toMatchObject({ arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 8, shared: 0.1, maxInFlight: 2, costs: { export: 3 } });
    expect(sc.workloads).toEqual([
      { kind: 'kvm_fault', touches: 4, hot: 0.125, hotProb: 0.8, writeRatio: 0.5 }, { kind: 'swap', ops: 2 },
    ]);
  });

  it('the schedule replays through the same trace machinery as run', () => {
    const r = exhaustiveCheck(SWAP, RECLAIM_SCAN, { pages: 2 });
    const t = traceScript(r.config, RECLAIM_SCAN, r.counterexample!.schedule);
    expect(t.events).toEqual(r.counterexample!.trace);
    expect(r.counterexample!.seed).toBe(0);
  });
});

describe('engine snapshot support', () => {
  it('save, move, load gives back the same state and the same future', () => {
    const cfg = exhaustiveConfig(SWAP, { pages: 2, ops: 2, touches: 3 });
    const e = new Engine(cfg, PTEP_CLEAR, 0);
    const R = e.exRecordSize();
    const a = new Int32Array(R), b = new Int32Array(R);
    const moves = new Int32Array(64);
    // walk a fixed path, checking at each state that every move is undone by exLoad
    for (let step = 0; step < 12; step++) {
      e.exSave(a, 0);
      const key = e.exKey(-1);
      const n = e.exEnabled(moves, -1);
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        e.exTake(moves[i]);
        e.exLoad(a, 0);
        expect(e.exKey(-1)).toBe(key);
        e.exSave(b, 0);
        expect(b).toEqual(a);
      }
      e.exTake(moves[(step * 7) % n]);
      if (e.firstFailure) break;
    }
  });
});
