// `pvlab verify --exhaustive`: the exhaustive search of a level's small configuration,
// and its plain-text and JSON forms. No wall-clock figures: the output is deterministic.
import { InputError } from '../io/errors.js';
import type { Level } from '../io/schema.js';
import type { LevelExhaustive } from '../sim/score.js';
import { traceLine } from './format.js';

/** The refusal when a level's small machine is too large to search to the end. */
export function incompleteError(lv: Pick<Level, 'id'>, states: number): InputError {
  return new InputError(
    `level '${lv.id}': the exhaustive search stopped after ${states} states without finishing; ` +
      'its exhaustive configuration is too large (use fewer ops, touches or inFlight)',
  );
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
