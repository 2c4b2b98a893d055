// hot-path: the hook sits on a path that workloads which never take the page off the guest
// run all the time (KVM's fault-in through GUP, NUMA queries, munlock): most of its checks
// are theirs, and the placement pays for them in host overhead over par.
import type { WorkloadId } from '../../sim/model.js';
import { fmtMetric, n1 } from './context.js';
import { REFERENCE_USERS } from './reference-only.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

/** The reference-only users as the finding names them. */
const WHO: Partial<Record<WorkloadId, string>> = {
  kvm_fault: "KVM's fault-in (GUP with FOLL_GET on x86 and arm64)",
  host_refs: 'NUMA queries and munlock (FOLL_GET)',
};

/** Checks per seed (with the hook alone) by workloads that do no I/O, from which a hot path starts, and how many for each check by the workloads that do. */
export const HOT_CALLS = 20;
export const HOT_RATIO = 2;

export const hotPath: Rule = {
  id: 'hot-path',
  hook(ctx, { h, se, where }) {
    const { ev } = ctx;
    if (!se.reachedBy.length || !ev.score.seedsPassed || !ctx.costly) return;
    // a finding on this hunk already tells the story of these users (they got exports or refusals)
    if (ctx.findings.some((f) => f.rule === 'reference-only' && f.function === where.function)) return;
    const quiet = se.reachedBy.filter((w) => REFERENCE_USERS.includes(w));
    const calls = (ws: readonly WorkloadId[]) => ws.reduce((a, w) => a + (se.callsAloneBy[w] ?? 0), 0);
    const hot = calls(quiet);
    const needed = calls(se.reachedBy.filter((w) => !quiet.includes(w)));
    if (!quiet.length || hot < HOT_CALLS || hot < HOT_RATIO * needed) return;
    ctx.add({
      rule: 'hot-path', ...where, severity: 'warning',
      finding: TEXT['hot-path'].finding({ users: quiet.map((w) => WHO[w] ?? w).join(' and ') }),
      evidence: `${n1(hot)} hook checks per seed from ${quiet.join(', ')} with this hook alone (engine count), against ${n1(needed)} from the workloads that do I/O; ${n1(se.exports)} exports per seed here; ${fmtMetric(ev.score.metrics, ctx.par, 'hostOverhead')}, ${fmtMetric(ev.score.metrics, ctx.par, 'cost')}`,
    }, h.site);
  },
};
