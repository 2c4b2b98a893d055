// Plain-text rendering for the headless commands. Level and solution text is sanitized.
import { fmtNum } from '../io/format.js';
import { sanitizeLine } from '../io/sanitize.js';
import type { Counterexample, Hook, Metrics, TraceEvent } from '../sim/types.js';
import type { Par, ParMetric } from '../sim/verify.js';

export const SHOWN_METRICS: readonly (keyof Metrics)[] = [
  'ioErrors', 'fatalIoErrors', 'crashes', 'freedSecure', 'exports', 'imports', 'wastedExports', 'destroys',
  'hooks', 'exceptions', 'guestStall', 'hostOverhead', 'encryptionWork', 'cost',
];

export function hooksLine(hooks: readonly Hook[]): string {
  if (!hooks.length) return '(no hooks)';
  return hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).join(', ');
}

export function metricsTable(m: Metrics, par?: Par): string[] {
  const rows: string[] = [];
  // par only means something for a run that passed: a failing run's low costs are not wins
  const failed = m.ioErrors > 0 || m.crashes > 0 || m.freedSecure > 0;
  for (const k of SHOWN_METRICS) {
    const p = par?.[k as ParMetric];
    const mark = p === undefined ? '' : failed ? `  par ${fmtNum(p)} (failed run)`
      : m[k] <= p + 1e-9 ? `  par ${fmtNum(p)} ok` : `  par ${fmtNum(p)} over`;
    rows.push(`  ${k.padEnd(16)}${fmtNum(m[k]).padStart(10)}${mark}`);
  }
  return rows;
}

export function traceLine(e: TraceEvent): string {
  const site = e.site ? ` [${e.site}]` : '';
  // a secure page freed to the allocator is its own bug class: marked apart from I/O errors
  const out = e.outcome === 'freed-secure' ? '  <== FREED-SECURE (secure page back to the allocator)'
    : e.outcome ? `  <== ${e.outcome.toUpperCase()}` : '';
  const note = e.note ? `  (${sanitizeLine(e.note)})` : '';
  return `  ${String(e.step).padStart(4)}  ${e.actor.padEnd(20)} page ${String(e.page).padEnd(5)} ${e.fn}${site}: ${e.action} -> ${e.state} {${e.flags}}${note}${out}`;
}

export function counterexampleLines(cx: Counterexample): string[] {
  const f = cx.failure;
  return [
    `counterexample (seed ${cx.seed}, ${cx.schedule.length} scheduler steps, page ${f.page}): ${f.kind} in ${f.workload}${f.site ? ` at ${f.site}` : ''}: ${f.message}`,
    ...(cx.truncated ? [`  (built from the last ${cx.truncated.last} of the run's ${cx.truncated.of} scheduler choices, replayed from the start: a run this long is not recorded in full)`] : []),
    ...(cx.traceFrom ? [`  (trace of the steps after ${cx.traceFrom})`] : []),
    ...cx.trace.map(traceLine),
  ];
}
