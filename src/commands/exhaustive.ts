// `pvlab verify --exhaustive`: the exhaustive search of a level's small configuration,
// and its plain-text and JSON forms. No wall-clock figures: the output is deterministic.
import { InputError } from '../io/errors.js';
import type { Level } from '../io/schema.js';
import { DEFAULT_SMALL, exhaustiveCheck, type ExhaustiveResult, type SmallConfig } from '../sim/exhaustive.js';
import type { Hook, SimConfig } from '../sim/types.js';
import { traceLine } from './format.js';

export interface LevelExhaustive {
  /** the small configuration: the level's own `exhaustive` block, or the default */
  small: SmallConfig;
  declared: boolean;
  result: ExhaustiveResult;
}

/** Search every interleaving of the level's small configuration; InputError if it is too big. */
export function exhaustiveForLevel(lv: Level, config: SimConfig, hooks: readonly Hook[], maxStates?: number): LevelExhaustive {
  const declared = lv.exhaustive !== undefined;
  const small: SmallConfig = lv.exhaustive ?? { ...DEFAULT_SMALL };
  const result = exhaustiveCheck(config, hooks, small, maxStates === undefined ? {} : { maxStates });
  if (!result.complete) {
    throw new InputError(
      `level '${lv.id}': the exhaustive search stopped after ${result.states} states without finishing; ` +
        'its exhaustive configuration is too large (use fewer ops, touches or inFlight)',
    );
  }
  return { small, declared, result };
}

/** The JSON object `verify --json --exhaustive` adds under `exhaustive`. */
export function exhaustiveJson(x: LevelExhaustive): Record<string, unknown> {
  const r = x.result;
  return {
    passed: r.passed,
    complete: r.complete,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    reduction: r.reduction,
    searchedPages: r.searchedPages,
    declared: x.declared,
    small: r.small,
    config: r.config,
    ...(r.counterexample ? { counterexample: r.counterexample } : {}),
  };
}

/** Plain-text lines for `verify --exhaustive`. */
export function exhaustiveLines(x: LevelExhaustive): string[] {
  const r = x.result;
  const { pages, ops, touches, inFlight } = r.small;
  const guest = r.config.workloads.some((w) => w.kind === 'kvm_fault');
  const what = [
    `${pages} page${pages === 1 ? '' : 's'}`,
    `${ops} op${ops === 1 ? '' : 's'} per host workload`,
    ...(guest ? [`${touches} guest touch${touches === 1 ? '' : 'es'}`] : []),
    `${inFlight} in flight`,
  ].join(', ');
  const head = `exhaustive (${what}${x.declared ? '' : '; the level declares none, default'}): `;
  const stats = `${r.states} states, ${r.transitions} moves, ${r.reduction === 'page' ? 'per-page reduction' : 'no reduction'}`;
  if (r.passed) return [`${head}PASS: every interleaving checked (${stats})`];
  const cx = r.counterexample;
  if (!cx) return [`${head}FAIL (${stats})`];
  const f = cx.failure;
  return [
    `${head}FAIL (${stats})`,
    `shortest failing schedule: ${cx.schedule.length} scheduler steps, page ${f.page}: ${f.kind} in ${f.workload}${f.site ? ` at ${f.site}` : ''}: ${f.message}`,
    ...cx.trace.map(traceLine),
  ];
}
