// Property-based invariants of the engine (fast-check): random machines, mixes and hook
// sets, checked against what must hold on every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, DEVICE_IDS, KERNEL_IDS, SITES, SITE_IDS, WORKLOAD_IDS, type SiteId, type When, type WorkloadId } from '../../src/sim/model.js';
import { reproduces, simulate } from '../../src/sim/run.js';
import { type Hook, type SimConfig } from '../../src/sim/types.js';
import { F_FREED, F_LOCKED, F_SWAPPED, F_WB, F_ZSWAPPED, Engine } from '../../src/sim/engine.js';

const placeable = SITE_IDS.filter((s) => SITES[s].placeable);

const hookArb: fc.Arbitrary<Hook[]> = fc
  .subarray(placeable as SiteId[])
  .chain((sites) =>
    fc.tuple(...sites.map((site) => {
      const whens = SITES[site].when;
      return whens.length
        ? fc.constantFrom<When | undefined>(undefined, ...whens).map((when) => (when ? { site, when } : { site }))
        : fc.constant({ site });
    })).map((hs) => hs as Hook[]),
  );

const configArb: fc.Arbitrary<SimConfig> = fc.record({
  arch: fc.constantFrom(...ARCH_IDS),
  kernel: fc.constantFrom(...KERNEL_IDS),
  device: fc.constantFrom(...DEVICE_IDS),
  pages: fc.integer({ min: 1, max: 48 }),
  shared: fc.constantFrom(0, 0.1, 0.5, 1),
  workloads: fc.subarray(WORKLOAD_IDS as unknown as WorkloadId[], { minLength: 1 }).chain((kinds) =>
    fc.tuple(...kinds.map((kind) =>
      fc.record({
        ops: fc.integer({ min: 0, max: 60 }),
        touches: fc.integer({ min: 0, max: 200 }),
        writeRatio: fc.constantFrom(0, 0.3, 1),
        fastGup: fc.boolean(),
        hot: fc.constantFrom(0.1, 0.5),
        target: fc.constantFrom<'socket' | 'file'>('socket', 'file'),
        zeroCopy: fc.boolean(),
      }).map((p) => ({ kind, ...p })),
    )),
  ),
  maxInFlight: fc.integer({ min: 1, max: 6 }),
});

const seedArb = fc.integer({ min: 0, max: 0xffffffff });
const RUNS = { numRuns: 150 };

describe('engine invariants', () => {
  it('deterministic: the same (config, hooks, seed) gives the same result, bit for bit', () => {
    fc.assert(fc.property(configArb, hookArb, seedArb, (c, h, s) => {
      const a = simulate(c, h, s);
      const b = simulate(c, h, s);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }), { numRuns: 60 });
  });

  it('how a run is cut into advance() calls does not change it', () => {
    fc.assert(fc.property(configArb, hookArb, seedArb, fc.integer({ min: 1, max: 50 }), (c, h, s, chunk) => {
      const a = new Engine(c, h, s);
      a.run();
      const b = new Engine(c, h, s);
      let guard = 0;
      while (!b.advance(chunk) && guard++ < 1e6);
      expect(b.totals()).toEqual(a.totals());
    }), RUNS);
  });

  it('[R2] no device access ever reaches a secure page without being counted as an I/O error', () => {
    fc.assert(fc.property(configArb, hookArb, seedArb, (c, h, s) => {
      const e = new Engine(c, h, s, { trace: true });
      e.run();
      const m = e.totals();
      const bad = e.events!.filter((x) => (x.action === 'device-read' || x.action === 'device-write') &&
        (x.state === 'secure' || x.state === 'private'));
      for (const x of bad) expect(x.outcome === 'io-error' || x.outcome === 'fatal-io-error').toBe(true);
      expect(bad.length).toBeLessThanOrEqual(m.ioErrors);
      if (m.ioErrors === 0 && m.crashes === 0) expect(bad.length).toBe(0);
    }), RUNS);
  });

  it('page accounting is conserved: every page ends in one place, no reference, pin, lock or writeback leaks', () => {
    fc.assert(fc.property(configArb, hookArb, seedArb, (c, h, s) => {
      const e = new Engine(c, h, s);
      e.run();
      expect(e.done).toBe(true);
      const m = e.totals();
      for (let p = 0; p < c.pages; p++) {
        const f = e.fl[p];
        const places = (f & F_FREED ? 1 : 0) + (f & F_SWAPPED ? 1 : 0) + (f & F_ZSWAPPED ? 1 : 0);
        expect(places).toBeLessThanOrEqual(1);
        expect(e.refs[p]).toBe(0);
        expect(e.pins[p]).toBe(0);
        expect(f & (F_LOCKED | F_WB)).toBe(0);
      }
      // pages start secure: every import needs an earlier export of that page (a failed run may
      // free a secure page whose valid swap copy then comes back and is imported a second time)
      if (m.ioErrors === 0 && m.crashes === 0) expect(m.imports).toBeLessThanOrEqual(m.exports);
      expect(m.wastedExports).toBeLessThanOrEqual(m.exports);
      expect(m.fatalIoErrors).toBeLessThanOrEqual(m.ioErrors);
      // per-workload counters add up to the totals
      for (const k of ['exports', 'imports', 'ioErrors', 'crashes', 'events'] as const) {
        const sum = e.wl.reduce((a, _, w) => a + e.metricsOf(w)[k], 0);
        expect(sum).toBe(m[k]);
      }
    }), RUNS);
  });

  it('counterexamples really reproduce, and are no longer than the run that found them', () => {
    let failures = 0;
    fc.assert(fc.property(configArb, hookArb, seedArb, (c, h, s) => {
      const r = simulate(c, h, s);
      if (r.passed) return;
      failures++;
      const cx = r.counterexample!;
      expect(cx).toBeDefined();
      expect(reproduces(c, h, cx.schedule, cx.failure)).toBe(true);
      expect(cx.trace.at(-1)?.outcome).toBe(cx.failure.kind);
      expect(cx.trace.every((x) => x.page === cx.failure.page)).toBe(true);
      expect(cx.failure.kind).toBe(r.firstFailure!.kind);
    }), { numRuns: 80 });
    expect(failures).toBeGreaterThan(10);
  });

  it('[R10] a passing run has zero I/O errors, crashes and freed secure pages in every workload', () => {
    fc.assert(fc.property(configArb, hookArb, seedArb, (c, h, s) => {
      const r = simulate(c, h, s, { counterexample: false });
      const anyBad = Object.values(r.workloads).some((m) => m!.ioErrors > 0 || m!.crashes > 0 || m!.freedSecure > 0);
      expect(r.passed).toBe(!anyBad);
    }), RUNS);
  });
});
