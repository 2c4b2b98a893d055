// The review's types: a finding, the review, and a rule as a module (src/patch/review/<rule>.ts).
import type { ArchInfo, SiteId } from '../../sim/model.js';
import type { ScorableLevel } from '../../sim/score.js';
import type { Hook, Metrics } from '../../sim/types.js';
import type { ParMetric } from '../../sim/verify.js';
import type { Evidence, FailureEvidence, LeaveOneOut, SiteEvidence } from '../evidence.js';

export type Severity = 'error' | 'warning' | 'nit';

/** Every rule of the review, by id: the registry (index.ts) and the prose (text.ts) are keyed by these. */
export const RULE_IDS = [
  'open-path', 'race', 'cannot-fail', 'hot-path', 'reference-only', 'never-reached',
  'duplicate', 'arch-in-core', 'fault-cost', 'early-export', 'wasted-exports', 'idle',
  'too-late', 'refused-twice',
] as const;
export type RuleId = typeof RULE_IDS[number];

export interface Finding {
  rule: RuleId;
  file: string;
  function: string;
  severity: Severity;
  finding: string;
  evidence: string;
}

export interface Review {
  /** one line: the verdict of scoreLevel */
  verdict: string;
  passed: boolean;
  stars: 0 | 1 | 2 | 3;
  findings: Finding[];
  evidence: Evidence;
}

/** A file and function of the kernel a finding is attached to. */
export interface Place {
  file: string;
  function: string;
}

/** What every rule reads: the placement, the engine's evidence, and the findings so far. */
export interface ReviewContext {
  lv: ScorableLevel;
  hooks: readonly Hook[];
  ev: Evidence;
  arch: ArchInfo;
  placed: ReadonlySet<SiteId>;
  par: Partial<Record<ParMetric, number>>;
  /** sites that already have a finding of their own (later rules leave them alone) */
  flagged: Set<SiteId>;
  findings: Finding[];
  /** add a finding; one per (rule, file, function): a second one adds its evidence to the first */
  add(f: Finding, site?: SiteId): void;
  hookOf(site: SiteId): Hook;
  /** the sendfile workload's target, when the level has one */
  target: 'socket' | 'file' | undefined;
  /** the leave-one-out runs, by the site left out */
  loo: ReadonlyMap<SiteId, LeaveOneOut>;
  fullFailing: ReadonlySet<string>;
  /** par metrics this placement misses */
  over: ParMetric[];
  /** over par on host overhead or cost */
  costly: boolean;
  metrics: Metrics;
}

/** One failure to explain (a workload failing in one way), with its story told once. */
export interface FailureCase {
  f: FailureEvidence;
  /** where it was found, and its last steps */
  steps: string;
  /** its I/O errors and crashes per seed ('' when none) */
  rate: string;
}

/** One placed hook the engine has evidence for. */
export interface HookCase {
  h: Hook;
  se: SiteEvidence;
  /** the rendered function its most frequent caller goes through */
  where: Place;
}

/**
 * A review rule. Its stages run in a fixed order (index.ts): `failure` explains one
 * failure (true when it did: later rules leave that failure alone); `hook` looks at one
 * placed hook; `cost` runs once, for a placement that passes its seeds.
 */
export interface Rule {
  id: RuleId;
  failure?(ctx: ReviewContext, c: FailureCase): boolean;
  hook?(ctx: ReviewContext, c: HookCase): void;
  cost?(ctx: ReviewContext): void;
}
