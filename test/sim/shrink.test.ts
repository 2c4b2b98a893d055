// Rule: counterexample shrinking is bounded by work linear in the run's length (delta
// debugging with a budget), never quadratic: a 64,000-touch one-page level fails and
// gets its counterexample in seconds, and the schedule still reproduces the failure.
import { describe, expect, it } from 'vitest';
import { SHRINK_BASE_WORK, SHRINK_WORK_FACTOR, counterexample, reproduces, shrinkScript } from '../../src/sim/run.js';
import type { Choice, SimConfig } from '../../src/sim/types.js';

const onePage: SimConfig = {
  arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 1, shared: 0,
  workloads: [{ kind: 'kvm_fault', touches: 64_000 }, { kind: 'teardown' }],
};

describe('counterexample shrinking', () => {
  it('rule: a 64,000-touch one-page failure shrinks in seconds to a schedule that reproduces it', () => {
    const t0 = performance.now();
    const cx = counterexample(onePage, [{ site: 'writeback' }], 1);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(cx).not.toBeNull();
    expect(cx!.schedule.length).toBeLessThan(10);
    expect(reproduces(onePage, [{ site: 'writeback' }], cx!.schedule, cx!.failure)).toBe(true);
  });

  it('rule: shrinkScript never replays more than its budget, and keeps a reproducing script', () => {
    // a failure that needs choices 0 and n-1 and nothing between: the worst case for greedy deletion
    const n = 5000;
    const script: Choice[] = Array.from({ length: n }, (_, i) => ({ t: 'guest', page: i, write: false }));
    let work = 0;
    const needs = (s: readonly Choice[]) => {
      work += s.length;
      return s.some((c) => c.t === 'guest' && c.page === 0) && s.some((c) => c.t === 'guest' && c.page === n - 1);
    };
    const budget = SHRINK_BASE_WORK + SHRINK_WORK_FACTOR * n;
    const out = shrinkScript(script, needs, budget);
    expect(work).toBeLessThanOrEqual(budget);
    expect(needs(out)).toBe(true);
    expect(out).toHaveLength(2); // ddmin finds it well within the budget
    // a tiny budget: stops early, still a reproducing script
    work = 0;
    const early = shrinkScript(script, needs, 3 * n);
    expect(work).toBeLessThanOrEqual(3 * n);
    expect(needs(early)).toBe(true);
  });
});
