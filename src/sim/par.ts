// Par from enumeration, and the campaign's rules for a level worth playing. Every
// placement of a level is scored once with the one rule (analyzeLevel -> scoreLevel);
// par is then the best value a passing placement reaches, on the metrics where one
// placement (the enumeration's reference) reaches every best at once. The rules below
// are those the campaign tests hold every shipped level to (docs/levels.md). Pure.
import { analyzeLevel, type AnalyzableLevel, type LevelAnalysis, type ParMetrics } from './analyze.js';
import { SITES } from './model.js';
import type { Hook, Metrics } from './types.js';
import { PAR_METRICS, compareToPar, starsFor, type Par, type ParMetric } from './verify.js';

/** One placement as enumeration scored it (par metrics only for a passing one). */
export interface Scored {
  hooks: Hook[];
  passed: boolean;
  metrics?: ParMetrics;
}

export interface Enumeration {
  analysis: LevelAnalysis;
  scored: Scored[];
}

/** Score every placement of a level (without judging par: par is what this finds). */
export function enumerateLevel(lv: AnalyzableLevel, opts: { onProgress?: (done: number, total: number) => void } = {}): Enumeration {
  const scored: Scored[] = [];
  const analysis = analyzeLevel({ ...lv, par: {} }, {
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    onScore: (hooks, passed, _stars, metrics) => scored.push(metrics ? { hooks, passed, metrics } : { hooks, passed }),
  });
  return { analysis, scored };
}

/**
 * How far above the best a par may sit: 0.1 %. A hook check costs 0.1 per page it sees,
 * so a placement can lead by a few checks without being a better answer; par keeps the
 * reference's value then, and the difficulty test allows the same margin.
 */
export function parTolerance(best: number): number {
  return Math.abs(best) * 0.001 + 1e-9;
}

export type ParWithChanges = Par & { changes?: number };

export interface ParChoice {
  par: ParWithChanges;
  /** the placement par was taken from: the given reference, or the passing placement that reaches the most bests */
  reference: Hook[];
  /** par metrics on which another passing placement beats the reference: left out of par */
  dropped: (ParMetric | 'changes')[];
  /** per par metric, the best any passing placement reaches */
  best: Partial<ParMetrics>;
}

const reaches = (mine: number, best: number) => mine <= best + parTolerance(best);

/**
 * Par from enumeration (the one recipe, docs/levels.md): a par metric is the best value any
 * passing placement reaches; par keeps the metrics on which the reference reaches that best
 * (within parTolerance), so it is as strict as the level allows and reachable. The
 * reference is the one given (a level's reference solution, found among the passing
 * placements), else the passing placement that reaches the most bests (ties: lower cost,
 * fewer hooks, enumeration order). `changes` (review levels) is the fewest changes any
 * passing placement needs, kept when the reference needs no more.
 */
export function parFromEnumeration(e: Enumeration, reference?: readonly Hook[]): ParChoice | null {
  const passing = e.scored.filter((s): s is Scored & { metrics: ParMetrics } => s.passed && !!s.metrics);
  if (!passing.length) return null;
  const best = e.analysis.best;
  const score = (m: ParMetrics) => PAR_METRICS.filter((k) => reaches(m[k], best[k]!)).length + (m.changes !== undefined && best.changes !== undefined && m.changes <= best.changes ? 1 : 0);
  let ref: (typeof passing)[number] | undefined;
  if (reference) {
    const key = hookKey(reference);
    ref = passing.find((s) => hookKey(s.hooks) === key);
    if (!ref) return null;
  } else {
    for (const s of passing) {
      if (!ref) { ref = s; continue; }
      const d = score(s.metrics) - score(ref.metrics);
      if (d > 0 || (d === 0 && (s.metrics.cost < ref.metrics.cost - 1e-9 || (Math.abs(s.metrics.cost - ref.metrics.cost) <= 1e-9 && s.hooks.length < ref.hooks.length)))) ref = s;
    }
  }
  const par: ParWithChanges = {};
  const dropped: ParChoice['dropped'] = [];
  for (const k of PAR_METRICS) {
    const b = best[k]!;
    const mine = ref!.metrics[k];
    if (reaches(mine, b)) par[k] = Math.max(mine, b);
    else dropped.push(k);
  }
  if (ref!.metrics.changes !== undefined && best.changes !== undefined) {
    if (ref!.metrics.changes <= best.changes) par.changes = best.changes;
    else dropped.push('changes');
  }
  return { par, reference: ref!.hooks, dropped, best };
}

/** A placement as a stable text key (site order as given; a hook without `when` has its site's default). */
export function hookKey(hooks: readonly Hook[]): string {
  return hooks.map((h) => `${h.site}:${h.when ?? SITES[h.site].when[0] ?? ''}`).sort().join(',');
}

/**
 * Stars of a scored placement under a par: the same as scoreLevel's (starsFor of
 * compareToPar of the mean metrics; `changes` within par.changes on review levels), so a
 * table scored once can be judged under the par it produced.
 */
export function starsUnder(s: Scored, par: ParWithChanges): 0 | 1 | 2 | 3 {
  if (!s.passed || !s.metrics) return 0;
  const { meetsPar, allPar } = compareToPar(s.metrics as ParMetrics & Metrics, par);
  const changesMet = par.changes === undefined || (s.metrics.changes ?? 0) <= par.changes;
  return starsFor(true, meetsPar, allPar && changesMet);
}

export interface RuleCheck {
  rule: string;
  ok: boolean;
  detail: string;
}

/** Most of a level's placements that may meet every par (the campaign's bound after its first two levels). */
export const MAX_SHARE_MEETING_PAR = 0.25;

const label = (hooks: readonly Hook[]) => hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).join(' ') || '(no hooks)';

/**
 * The campaign's rules (test/levels/campaign.test.ts, difficulty.test.ts) for a level
 * whose par came from enumeration: solvable; par met by a passing placement; neither no
 * hooks nor every offered site (with the first or with the broadest `when`) earns three
 * stars; at most a quarter of the placements meet every par; no hook choice earns three
 * stars whatever goes with it.
 */
export function campaignRules(lv: { sites: readonly AnalyzableLevel['sites'][number][] }, e: Enumeration, par: ParWithChanges): RuleCheck[] {
  const stars = new Map<string, 0 | 1 | 2 | 3>();
  for (const s of e.scored) stars.set(hookKey(s.hooks), starsUnder(s, par));
  const starsOf = (hooks: readonly Hook[]) => stars.get(hookKey(hooks)) ?? 0;
  const passing = e.scored.filter((s) => s.passed).length;
  const three = [...stars.values()].filter((x) => x === 3).length;
  const out: RuleCheck[] = [];
  out.push({ rule: 'solvable', ok: passing > 0, detail: `${passing} of ${e.scored.length} placements pass` });
  out.push({ rule: 'par is reachable', ok: three > 0, detail: `${three} placements meet every par` });
  out.push({ rule: 'no hooks fails or misses par', ok: starsOf([]) < 3, detail: `no hooks: ${starsOf([])} stars` });
  const all = (pick: 'first' | 'last') =>
    lv.sites.map((s): Hook => (SITES[s].when.length ? { site: s, when: SITES[s].when[pick === 'first' ? 0 : SITES[s].when.length - 1]! } : { site: s }));
  for (const hooks of [all('first'), all('last')]) {
    out.push({ rule: 'hooking every offered site fails or misses par', ok: starsOf(hooks) < 3, detail: `${label(hooks)}: ${starsOf(hooks)} stars` });
  }
  const share = e.scored.length ? three / e.scored.length : 0;
  out.push({ rule: `at most ${MAX_SHARE_MEETING_PAR * 100}% of placements meet every par`, ok: share <= MAX_SHARE_MEETING_PAR, detail: `${(100 * share).toFixed(1)}%` });
  const withChoice = new Map<string, { all: number; three: number }>();
  for (const s of e.scored) {
    const st = stars.get(hookKey(s.hooks))!;
    for (const h of s.hooks) {
      const k = label([h]);
      const c = withChoice.get(k) ?? { all: 0, three: 0 };
      c.all++;
      if (st === 3) c.three++;
      withChoice.set(k, c);
    }
  }
  const always = [...withChoice].filter(([, c]) => c.all > 1 && c.three === c.all).map(([k]) => k);
  out.push({ rule: 'no hook choice earns three stars whatever goes with it', ok: always.length === 0, detail: always.length ? always.join(', ') : 'none' });
  return out;
}
