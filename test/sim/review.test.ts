// Review levels and optional challenges: the level fields that carry them (backward
// compatible), the changes-from-the-proposal par in the one scoring rule, and the game's
// board and unlock order.
import { describe, expect, it } from 'vitest';
import { parseLevel } from '../../src/io/schema.js';
import { changesBetween, scoreLevel } from '../../src/sim/score.js';
import { continueTarget, initialState, isUnlocked, reduce, type State } from '../../src/tui/state.js';
import { campaign, defaultSettings } from '../tui/helpers.js';

const BASE = {
  id: 'review-fixture', title: 'Review fixture', chapter: 1,
  briefing: 'A swap machine: the proposal hooks the aging scan.',
  arch: 's390-pv', kernel: '6.5', device: 'ccw',
  guest: { pages: 48, shared: 0.1 },
  workloads: [{ kind: 'kvm_fault', touches: 300 }, { kind: 'swap', ops: 40 }],
  sites: ['reclaim_scan', 'ptep_clear', 'writeback'],
  seeds: { visible: [1, 2], hidden: 3 },
};

describe('level fields for review levels and challenges', () => {
  it('a level without them still parses (backward compatible)', () => {
    const lv = parseLevel(BASE, 'fixture');
    expect(lv.start).toBeUndefined();
    expect(lv.optional).toBeUndefined();
    expect(lv.kind).toBeUndefined();
  });
  it('start must use offered sites, once each; par.changes needs a start', () => {
    expect(() => parseLevel({ ...BASE, start: [{ site: 'kmap' }] }, 'f')).toThrow(/not offered/);
    expect(() => parseLevel({ ...BASE, start: [{ site: 'writeback' }, { site: 'writeback' }] }, 'f')).toThrow(/twice/);
    expect(() => parseLevel({ ...BASE, par: { changes: 1 } }, 'f')).toThrow(/needs a start/);
    expect(() => parseLevel({ ...BASE, kind: 'puzzle' }, 'f')).toThrow();
    const lv = parseLevel({ ...BASE, kind: 'review', optional: true, start: [{ site: 'reclaim_scan' }], par: { changes: 2 } }, 'f');
    expect(lv.start).toEqual([{ site: 'reclaim_scan' }]);
  });
});

describe('changes from the proposal', () => {
  it('counts hooks added, removed, or given another condition (the default condition is no change)', () => {
    expect(changesBetween([{ site: 'reclaim_scan' }], [{ site: 'reclaim_scan' }])).toBe(0);
    expect(changesBetween([{ site: 'reclaim_scan' }], [{ site: 'ptep_clear' }])).toBe(2);
    expect(changesBetween([{ site: 'gup_fast' }], [{ site: 'gup_fast', when: 'pin' }])).toBe(0);
    expect(changesBetween([{ site: 'gup_fast', when: 'pin' }], [{ site: 'gup_fast', when: 'get' }])).toBe(1);
    expect(changesBetween([], [{ site: 'writeback' }, { site: 'ptep_clear' }])).toBe(2);
  });

  it('scoreLevel: over par.changes costs the third star, never the pass', () => {
    const lv = parseLevel({ ...BASE, kind: 'review', start: [{ site: 'reclaim_scan' }], par: { changes: 2 } }, 'f');
    const ok = scoreLevel(lv, [{ site: 'ptep_clear' }]);
    expect(ok.passed).toBe(true);
    expect(ok.changes).toEqual({ count: 2, par: 2, met: true });
    expect(ok.allPar).toBe(true);
    expect(ok.stars).toBe(3);
    const more = scoreLevel(lv, [{ site: 'ptep_clear' }, { site: 'writeback' }]);
    expect(more.passed).toBe(true);
    expect(more.changes).toEqual({ count: 3, par: 2, met: false });
    expect(more.allPar).toBe(false);
    expect(more.stars).toBe(2);
  });
});

describe('the game: review boards and optional levels', () => {
  const [a] = campaign();
  const review = { ...a, id: 'review-level', order: 2, kind: 'review' as const, start: [{ site: 'reclaim_scan' as const }] };
  const challenge = { ...a, id: 'challenge-level', order: 3, optional: true };
  const after = { ...a, id: 'after-level', order: 4 };
  const st = (solved: string[]): State => initialState({
    campaign: [a, review, challenge, after], settings: defaultSettings(),
    progress: { levels: Object.fromEntries(solved.map((id) => [id, { solved: true, stars: 3, best: {}, hints: 0, attempts: 1 }])) },
  });

  it('a review level opens its board with the proposal placed', () => {
    let s = st(['swap-pressure']);
    s = reduce(s, { type: 'input', name: 'enter', text: '' }); // continue: the review level's briefing
    expect(s.level?.id).toBe('review-level');
    s = reduce(s, { type: 'input', name: 'enter', text: '' });
    expect(s.screen).toBe('board');
    expect(s.board.hooks).toEqual([{ site: 'reclaim_scan' }]);
  });

  it('an optional level never locks the next one, and continue skips it', () => {
    const s = st(['swap-pressure', 'review-level']);
    expect(isUnlocked(s, 2)).toBe(true);
    expect(isUnlocked(s, 3)).toBe(true);
    expect(continueTarget(s)).toBe(3);
    expect(isUnlocked(st(['swap-pressure']), 3)).toBe(false);
  });
});
