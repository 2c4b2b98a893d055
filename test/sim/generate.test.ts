// The level generator (src/sim/generate/): every generated level validates, is solvable,
// its par is the enumerated optimum, its naive answer (mainline's hooks) fails or loses a
// star, few considered placements meet par; its text comes from the machine alone; the
// same seed gives the same bytes (golden hashes). Kept cheap: a few seeds per difficulty
// (scripts/bench-generate.ts measures many).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseLevel } from '../../src/io/schema.js';
import { analyzeLevel } from '../../src/sim/analyze.js';
import {
  DIFFICULTIES, RULES, consideredChoices, dailyLevel, isConsidered, dailySeed, generateLevel, generatedId, isDate, levelForId, levelJson, levelText,
  parseGeneratedId, utcDate, type Difficulty, type Generated, type Machine, type TextInput,
} from '../../src/sim/generate/index.js';
import { Rng } from '../../src/sim/generate/prng.js';
import { SITE_IDS, SITES } from '../../src/sim/model.js';
import { parTolerance } from '../../src/sim/par.js';
import { scoreLevel } from '../../src/sim/score.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Golden seeds: the level file's hash per id. A change here means the same seed now gives
 * another level (a generator change, or an engine verdict change): bump GENERATOR_VERSION
 * when the generator changed, and say why in the commit.
 */
const GOLDEN: Record<string, string> = {
  'gen-easy-1': '92507b98b4cc1336',
  'gen-easy-2': '786a61e6688bd573',
  'gen-easy-42': '6b1e80b5a1d68e50',
  'gen-hard-7': '96b4784ec8eba0a5',
  'gen-expert-1': '351d197b36bbb993',
  'daily-2026-12-07': 'd90e74dac6925254',
};

/** The machine a level file describes: what levelText may read, rebuilt from the file alone. */
function machineOf(g: Generated): Machine {
  const lv = g.level;
  return {
    id: lv.id, seed: g.seed, difficulty: g.difficulty, arch: lv.arch, kernel: lv.kernel, device: lv.device,
    guest: lv.guest, workloads: lv.workloads, sites: lv.sites, seeds: lv.seeds, ...(lv.costs ? { costs: lv.costs } : {}),
  };
}

const SITE_WORDS = SITE_IDS.filter((s) => SITES[s].placeable).flatMap((s) => [s, SITES[s].fn.split('/')[0]!.replace(/\(\)$/, '')]);

function checkLevel(g: Generated): void {
  const r = RULES[g.difficulty];
  // validates as a level file
  const lv = parseLevel(JSON.parse(levelJson(g.level)), g.level.id);
  // solvable, and the reference meets every par
  const ref = scoreLevel(lv, g.reference);
  expect(ref.passed, `${lv.id}: reference passes`).toBe(true);
  expect(ref.stars, `${lv.id}: reference stars`).toBe(3);
  // the naive answer fails or loses a star
  expect(scoreLevel(lv, g.naive).stars, `${lv.id}: naive stars`).toBeLessThan(3);
  // par is the enumerated optimum (pvlab analyze's best), never weaker
  const a = analyzeLevel(lv);
  for (const [k, p] of Object.entries(lv.par)) {
    const best = (a.best as Record<string, number>)[k]!;
    expect(p, `${lv.id}: par.${k}`).toBeLessThanOrEqual(best + parTolerance(best));
  }
  expect(a.meetingPar).toBe(g.measure.meetingPar);
  expect(g.measure.consideredShare).toBeLessThanOrEqual(r.maxConsideredShare);
  expect(g.measure.answers).toBeGreaterThanOrEqual(r.minAnswers);
  // the text names no hook site, and is the text of the machine alone
  const text = [lv.title, lv.briefing, ...(lv.objectives ?? []), ...lv.hints].join('\n');
  for (const w of SITE_WORDS) expect(text, `${lv.id} names ${w}`).not.toMatch(new RegExp(`\\b${w}\\b`));
  const t = levelText(machineOf(g));
  expect([t.title, t.briefing, t.objectives, t.hints]).toEqual([lv.title, lv.briefing, lv.objectives, lv.hints]);
  expect(lv.objectives!.slice(1).join(' '), 'no par value in the objectives').not.toMatch(/\d/);
  expect(lv.parAfterRun).toBe(true);
}

describe('generated levels (property, fixed fast-check seed)', () => {
  const runs: Record<Difficulty, number> = { easy: 4, hard: 2, expert: 1 };
  it.each(DIFFICULTIES.map((d) => [d] as const))('%s: validates, solvable, par is the optimum, naive loses, few considered placements meet par', (d) => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
      checkLevel(generateLevel({ seed, difficulty: d }));
    }), { seed: 22, numRuns: runs[d] });
  });
});

describe('determinism', () => {
  it('golden seeds: the same seed gives a byte-identical level file', () => {
    const got: Record<string, string> = {};
    for (const id of Object.keys(GOLDEN)) got[id] = sha(levelJson(levelForId(id)!.level));
    expect(got).toEqual(GOLDEN);
  });

  it('the PRNG is a fixed stream (sfc32 through splitmix32)', () => {
    const r = new Rng(1, 2, 3);
    expect([r.u32(), r.u32(), r.u32()]).toEqual([3792799062, 2096105433, 2505444081]);
  });
});

describe('the text is written from the machine alone (by construction)', () => {
  it('levelText reads a Machine: no placement, par or run metric in its input type', () => {
    expectTypeOf<Parameters<typeof levelText>[0]>().toEqualTypeOf<TextInput>();
    expectTypeOf<keyof TextInput>().toEqualTypeOf<
      'id' | 'seed' | 'difficulty' | 'arch' | 'kernel' | 'device' | 'guest' | 'workloads' | 'sites' | 'seeds' | 'costs'
    >();
    type Forbidden = 'par' | 'hooks' | 'reference' | 'naive' | 'metrics' | 'measure' | 'pareto' | 'best';
    expectTypeOf<Extract<keyof TextInput, Forbidden>>().toBeNever();
  });
});

describe('the placements a player would consider', () => {
  const cfg = (kernel: '5.7' | '6.5', kinds: string[]) => ({
    arch: 's390-pv' as const, kernel, device: 'ccw' as const, pages: 64, shared: 0,
    workloads: kinds.map((kind) => ({ kind }) as Machine['workloads'][number]),
  });
  it('a site on a lane\'s path, with a GUP condition some lane there calls with', () => {
    expect(consideredChoices(cfg('6.5', ['kvm_fault', 'malicious_qemu']), 'gup_fast')).toEqual([{ site: 'gup_fast', when: 'pin' }, { site: 'gup_fast', when: 'any' }]);
    expect(consideredChoices(cfg('5.7', ['kvm_fault', 'malicious_qemu']), 'gup_fast')).toEqual([{ site: 'gup_fast', when: 'get' }, { site: 'gup_fast', when: 'any' }]);
    expect(consideredChoices(cfg('6.5', ['kvm_fault', 'malicious_qemu', 'host_refs']), 'gup_slow').map((h) => h.when)).toEqual(['pin', 'get', 'any']);
    expect(consideredChoices(cfg('6.5', ['kvm_fault', 'swap']), 'gup_fast')).toEqual([]);
    expect(consideredChoices(cfg('6.5', ['kvm_fault', 'swap']), 'ptep_clear').map((h) => h.when)).toEqual(['any', 'live']);
    expect(consideredChoices(cfg('6.5', ['kvm_fault', 'swap']), 'dma_map')).toEqual([]);
    expect(isConsidered(cfg('6.5', ['kvm_fault', 'swap']), [{ site: 'writeback' }, { site: 'ptep_clear' }])).toBe(true);
    expect(isConsidered(cfg('6.5', ['kvm_fault', 'swap']), [{ site: 'writeback' }, { site: 'kmap' }])).toBe(false);
    expect(isConsidered(cfg('6.5', ['kvm_fault', 'malicious_qemu']), [{ site: 'gup_fast', when: 'get' }])).toBe(false);
    expect(isConsidered(cfg('6.5', ['kvm_fault', 'malicious_qemu']), [{ site: 'gup_fast' }])).toBe(true);
  });
});

describe('ids, dates and the daily level', () => {
  it('generated and daily ids parse back; others do not', () => {
    expect(parseGeneratedId(generatedId(42, 'hard'))).toEqual({ kind: 'generated', seed: 42, difficulty: 'hard' });
    expect(parseGeneratedId('daily-2026-12-07')).toEqual({ kind: 'daily', date: '2026-12-07' });
    for (const bad of ['gen-hard-', 'gen-medium-1', 'gen-easy-01', 'gen-easy-4294967296', 'daily-2026-02-30', 'swap-pressure']) {
      expect(parseGeneratedId(bad), bad).toBeNull();
    }
  });

  it('calendar dates without Date: leap years, month lengths, and the UTC day of an instant', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-07'].map(isDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '2100-02-29', '2026-13-01', '2026-04-31', '26-01-01'].map(isDate)).toEqual([false, false, false, false, false]);
    fc.assert(fc.property(fc.integer({ min: 946684800000, max: 253402300799000 }), (ms) => {
      expect(utcDate(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
    }), { seed: 22, numRuns: 200 });
  });

  it('the daily level of a date is the same level for everyone, with the date in its id', () => {
    const g = dailyLevel('2026-12-07');
    expect(g.level.id).toBe('daily-2026-12-07');
    expect(g.seed).toBe(dailySeed('2026-12-07'));
    expect(g.level.title).toContain('2026-12-07');
  });

  it('bad seeds and difficulties are refused with one line', () => {
    expect(() => generateLevel({ seed: -1, difficulty: 'easy' })).toThrow(/seed -1 is not a whole number/);
    expect(() => generateLevel({ seed: 1.5, difficulty: 'easy' })).toThrow(/not a whole number/);
    expect(() => generateLevel({ seed: 1, difficulty: 'medium' as Difficulty })).toThrow(/difficulty 'medium'/);
    expect(() => dailyLevel('2026-02-30')).toThrow(/not a calendar date/);
  });
});
