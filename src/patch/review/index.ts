// The automatic review of a placement: one finding per problem, attached to the file and
// function it is about, each backed by this placement's own evidence from the engine
// (a counterexample's steps, a metric against par, calls counted by the engine, what
// changes when the hunk is left out). Rules read the evidence, never a level's expected
// answer, so they stay right when the engine or the levels change. Pure, deterministic.
//
// Each rule is a module (src/patch/review/<rule>.ts: when it fires and its evidence), its
// sentences are in text.ts, and RULES below holds every one: a rule id without a module is
// a compile error. The stages run in the order of FAILURE, HOOK and COST.
import type { ScorableLevel } from '../../sim/score.js';
import type { Hook } from '../../sim/types.js';
import { gatherEvidence } from '../evidence.js';
import { archInCore } from './arch-in-core.js';
import { cannotFail } from './cannot-fail.js';
import { busiestFns, failureWhere, firstFailures, hunkOf, perSeed, reviewContext, storyLine } from './context.js';
import { duplicate } from './duplicate.js';
import { earlyExport } from './early-export.js';
import { faultCost } from './fault-cost.js';
import { hotPath } from './hot-path.js';
import { idle } from './idle.js';
import { neverReached } from './never-reached.js';
import { openPath } from './open-path.js';
import { race } from './race.js';
import { referenceOnly } from './reference-only.js';
import { refusedTwice } from './refused-twice.js';
import { tooLate } from './too-late.js';
import type { Finding, Review, Rule, RuleId, Severity } from './types.js';
import { wastedExports } from './wasted-exports.js';

export { RULE_IDS } from './types.js';
export type { Finding, Review, Rule, RuleId, Severity } from './types.js';
export { TEXT as RULE_TEXT } from './text.js';

/** Every rule, by id. */
export const RULES: Readonly<Record<RuleId, Rule>> = {
  'open-path': openPath, 'race': race, 'cannot-fail': cannotFail, 'hot-path': hotPath,
  'reference-only': referenceOnly, 'never-reached': neverReached, 'duplicate': duplicate,
  'arch-in-core': archInCore, 'fault-cost': faultCost, 'early-export': earlyExport,
  'wasted-exports': wastedExports, 'idle': idle, 'too-late': tooLate, 'refused-twice': refusedTwice,
};

/** Each failure goes to these in turn; the first that explains it takes it (nothing acted on it: open-path). */
const FAILURE: readonly RuleId[] = ['race', 'cannot-fail', 'reference-only', 'open-path'];
/** Then each placed hook the engine saw, through all of these. */
const HOOK: readonly RuleId[] = ['cannot-fail', 'reference-only', 'never-reached', 'hot-path', 'duplicate', 'arch-in-core', 'idle'];
/** Then, for a placement that passes its seeds, the costs against par. */
const COST: readonly RuleId[] = ['too-late', 'refused-twice', 'fault-cost', 'early-export', 'wasted-exports'];

/** The stages each rule takes part in, for the test that every rule is in one (review-rules.test.ts). */
export const STAGES = { failure: FAILURE, hook: HOOK, cost: COST } as const;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, nit: 2 };

/** Review a placement on a level. */
export function reviewPlacement(lv: ScorableLevel, hooks: readonly Hook[]): Review {
  const ev = gatherEvidence(lv, hooks);
  const ctx = reviewContext(lv, hooks, ev);

  // ---- failures: open paths, races, refusals where nothing can take them ----
  const explained = new Set<string>();
  for (const f of firstFailures(ev)) {
    const key = `${f.workload}\u0000${f.kind}`;
    if (explained.has(key)) continue;
    explained.add(key);
    const c = { f, steps: `${failureWhere(f)}: ${storyLine(f.story)}`, rate: perSeed(ev, f.workload) };
    for (const id of FAILURE) if (RULES[id].failure!(ctx, c)) break;
  }

  // ---- per placed hook: reference-only users, hot paths, idle or duplicate hooks ----
  for (const h of hooks) {
    const se = ev.sites[h.site];
    if (!se) continue;
    const c = { h, se, where: hunkOf(lv, h, busiestFns(se.fns)[0]) };
    for (const id of HOOK) RULES[id].hook!(ctx, c);
  }

  // ---- costs against par, for a placement that passes its seeds ----
  if (ev.score.seedsPassed) for (const id of COST) RULES[id].cost!(ctx);

  const findings: Finding[] = ctx.findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const s = ev.score;
  const over = ctx.over;
  const verdict = s.passed
    ? `PASS, ${'*'.repeat(s.stars)}${'.'.repeat(3 - s.stars)}${over.length ? ` (over par on ${over.join(', ')})` : ' (every par met)'}`
    : `FAIL${s.seedsPassed ? ' (every seed passes; the exhaustive search fails)' : ` on ${s.seeds.filter((x) => !x.passed).length}/${s.seeds.length} seeds`}${ev.failingWorkloads.length ? `: ${ev.failingWorkloads.join(', ')}` : ''}`;
  return { verdict, passed: s.passed, stars: s.stars, findings, evidence: ev };
}
