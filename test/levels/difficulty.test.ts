// Difficulty you can measure (pvlab analyze): every placement of every level is scored
// with the one rule. Par is the best enumeration finds, never weaker and never out of
// reach; few placements earn three stars; no site earns them whatever goes with it; and
// each kind of level keeps its promise (docs/levels.md).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { LEVEL_KINDS, solutionHooks, type Level } from '../../src/io/schema.js';
import { analyzeLevel, paretoFront, type LevelAnalysis } from '../../src/sim/analyze.js';
import { ARCHES, SITES } from '../../src/sim/model.js';
import { hooksOf, levelConfig, scoreLevel } from '../../src/sim/score.js';
import type { Hook } from '../../src/sim/types.js';
import { verify } from '../../src/sim/verify.js';
import { parTolerance } from './pars.js';
import { MAINLINE, measure } from '../../src/sim/generate/index.js';
import { hookKey, starsUnder, type Scored } from '../../src/sim/par.js';

const root = resolve(__dirname, '../..');
const levels: Level[] = loadCampaign().map((e) => e.level);
const label = (hooks: readonly Hook[]) => hooks.map((h) => `${h.site}[${h.when ?? '-'}]`).join(' ') || '(none)';


interface Measured {
  lv: Level;
  a: LevelAnalysis;
  /** every placement with its verdict and (passing) par metrics */
  scored: Scored[];
  /** per hook choice (site[when]): how many placements hold it, and how many of those earn three stars */
  withChoice: Map<string, { all: number; three: number }>;
}

const measured: Measured[] = levels.map((lv) => {
  const withChoice = new Map<string, { all: number; three: number }>();
  const scored: Scored[] = [];
  const a = analyzeLevel(lv, {
    onScore: (hooks, passed, stars, metrics) => {
      scored.push(metrics ? { hooks, passed, metrics } : { hooks, passed });
      for (const h of hooks) {
        const k = label([h]);
        const c = withChoice.get(k) ?? { all: 0, three: 0 };
        c.all++;
        if (stars === 3) c.three++;
        withChoice.set(k, c);
      }
    },
  });
  return { lv, a, scored, withChoice };
});

const solution = (lv: Level, kind: 'reference' | 'naive') => {
  const file = join(root, 'test/solutions', `${lv.id}.${kind}.json`);
  return solutionHooks(loadSolutionFile(file), lv, file);
};
const share = (m: Measured) => m.a.meetingPar / m.a.placements;

describe('par from enumeration', () => {
  it.each(measured.map((m) => [m.lv.id, m] as const))('%s: par is the best a passing placement reaches, and reachable', (_id, m) => {
    const par = m.lv.par as Record<string, number | undefined>;
    expect(m.a.passing, 'some placement passes').toBeGreaterThan(0);
    for (const [k, p] of Object.entries(par)) {
      if (p === undefined) continue;
      const best = (m.a.best as Record<string, number | undefined>)[k];
      expect(best, `best ${k}`).toBeTypeOf('number');
      // weaker than the optimum: par > best (npx tsx test/levels/pars.ts --analyze --write)
      expect(p, `par.${k} = ${p}, best passing ${best}`).toBeLessThanOrEqual(best! + parTolerance(best!));
    }
    expect(m.a.meetingPar, 'a passing placement meets every par').toBeGreaterThan(0);
    if (m.lv.kind === 'review') expect(par.changes, 'a review level judges the changes to its proposal').toBeTypeOf('number');
  });
});

describe('difficulty', () => {
  it('for the median level at most 10% of placements meet every par; after the first two levels, at most 25%', () => {
    const shares = measured.map(share).sort((x, y) => x - y);
    expect(shares[Math.floor((shares.length - 1) / 2)]).toBeLessThanOrEqual(0.1);
    for (const m of measured.slice(2)) expect(share(m), m.lv.id).toBeLessThanOrEqual(0.25);
  });

  it('no hook choice earns three stars whatever is placed with it', () => {
    for (const m of measured) {
      for (const [k, c] of m.withChoice) {
        if (c.all > 1) expect(c.three, `${m.lv.id}: every placement with ${k} earns three stars`).toBeLessThan(c.all);
      }
    }
  });

  it('has at least 27 levels and at least six kinds of level', () => {
    expect(levels.length).toBeGreaterThanOrEqual(27);
    const kinds = new Set(levels.map((l) => l.kind ?? 'placement'));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    for (const k of kinds) expect(LEVEL_KINDS).toContain(k);
  });
});

describe('each kind keeps its promise', () => {
  const of = (kind: string) => measured.filter((m) => (m.lv.kind ?? 'placement') === kind);

  it.each(of('review').map((m) => [m.lv.id, m] as const))('review %s: opens with a failing proposal; the reference repairs it within par.changes', (_id, m) => {
    const start = hooksOf(m.lv.start ?? []);
    expect(start.length).toBeGreaterThan(0);
    expect(scoreLevel(m.lv, start).passed, `the proposal ${label(start)} passes`).toBe(false);
    const ref = scoreLevel(m.lv, solution(m.lv, 'reference'));
    expect(m.lv.par.changes).toBeTypeOf('number');
    expect(ref.changes?.met).toBe(true);
    expect(ref.stars).toBe(3);
  });

  it.each(of('decoy').map((m) => [m.lv.id, m] as const))('decoy %s: the naive placement passes every visible seed and still fails', (_id, m) => {
    const naive = solution(m.lv, 'naive');
    const visible = verify({ config: levelConfig(m.lv), hooks: naive, visibleSeeds: m.lv.seeds.visible, hiddenSeeds: [], par: {} });
    expect(visible.passed).toBe(true);
    expect(scoreLevel(m.lv, naive).passed).toBe(false);
  });

  it.each(of('tradeoff').map((m) => [m.lv.id, m] as const))('tradeoff %s: no placement is best on every metric; other Pareto points earn fewer stars', (_id, m) => {
    // a trade-off is about every metric, not only the ones par ranks (analyze's front uses those)
    const passing = m.scored.flatMap((s) => (s.passed && s.metrics ? [{ hooks: s.hooks, metrics: s.metrics }] : []));
    const front = paretoFront(passing);
    const vectors = new Set(front.map((p) => JSON.stringify(p.metrics)));
    expect(vectors.size).toBeGreaterThanOrEqual(2);
    const stars = front.map((p) => scoreLevel(m.lv, p.hooks).stars);
    expect(stars).toContain(3);
    expect(Math.min(...stars)).toBeLessThan(3);
  });

  it.each(of('challenge').map((m) => [m.lv.id, m] as const))('challenge %s: optional, and par beats mainline on cost', (_id, m) => {
    expect(m.lv.optional).toBe(true);
    const main = MAINLINE.filter((h) => m.lv.sites.includes(h.site as Level['sites'][number]));
    const s = scoreLevel(m.lv, main);
    expect(s.passed, `mainline ${label(main)} passes`).toBe(true);
    expect(m.lv.par.cost!).toBeLessThan(s.metrics.cost);
  });

  it.each(of('challenge').map((m) => [m.lv.id, m] as const))('challenge %s: resists: at most 5% of the considered placements meet par; at least 3 distinct passing answers, with different stars; the answer before it misses par', (_id, m) => {
    // considered: the sites on some lane's path, GUP conditions a lane there calls with (docs/levels.md)
    const mm = measure(m.lv, { analysis: m.a, scored: m.scored }, m.lv.par);
    expect(mm.consideredShare, `${mm.consideredMeetingPar} of ${mm.considered} considered placements meet par`).toBeLessThanOrEqual(0.05);
    expect(mm.answers, 'distinct passing answers (different metrics)').toBeGreaterThanOrEqual(3);
    expect(mm.starLevels.length, `star counts of the passing placements: ${mm.starLevels.join(', ')}`).toBeGreaterThanOrEqual(2);
    // a remembered answer fails: the reference of the level before it, on this board, misses par
    const at = levels.indexOf(m.lv);
    const prev = levels.slice(0, at).reverse().find((l) => l.kind !== 'challenge')!;
    const remembered = solution(prev, 'reference').filter((h) => m.lv.sites.includes(h.site));
    const s = m.scored.find((x) => hookKey(x.hooks) === hookKey(remembered)) ?? { hooks: remembered, passed: false };
    expect(starsUnder(s, m.lv.par), `${prev.id}'s answer ${label(remembered)}`).toBeLessThan(3);
    // the reference needs a combination: at least two hooks
    expect(solution(m.lv, 'reference').length).toBeGreaterThanOrEqual(2);
    // par's numbers (its hook count) are shown only after the first run
    expect(m.lv.parAfterRun).toBe(true);
  });

  it.each(of('nothing').map((m) => [m.lv.id, m] as const))('nothing %s: the best is no hook at all', (_id, m) => {
    expect(solution(m.lv, 'reference')).toEqual([]);
  });

  it.each(of('refuse').map((m) => [m.lv.id, m] as const))('refuse %s: a machine that cannot export; the reference refuses where a failure can be returned', (_id, m) => {
    expect(ARCHES[m.lv.arch].canExport).toBe(false);
    for (const h of solution(m.lv, 'reference')) expect(SITES[h.site].mayFail, h.site).toBe('yes');
  });

  it("every chapter offers an optional challenge", () => {
    const chapters = [...new Set(levels.map((l) => l.chapter))];
    for (const c of chapters) {
      expect(levels.some((l) => l.chapter === c && l.kind === 'challenge'), `chapter ${c}`).toBe(true);
    }
  });
});


describe('no level rewards the opposite of an earlier lesson', () => {
  it('production: after fast-gup taught that mainline needs both GUP hooks, dropping the slow-path one costs a star', () => {
    const m = measured.find((x) => x.lv.id === 'production')!;
    const ref = solution(m.lv, 'reference');
    expect(ref).toContainEqual({ site: 'gup_slow', when: 'pin' });
    expect(ref).toContainEqual({ site: 'gup_fast', when: 'pin' });
    expect(scoreLevel(m.lv, ref).stars).toBe(3);
    expect(scoreLevel(m.lv, ref.filter((h) => h.site !== 'gup_slow')).stars).toBeLessThan(3);
  });
});
