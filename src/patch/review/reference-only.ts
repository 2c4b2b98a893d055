// reference-only: callers that only hold a reference (FOLL_GET lookups, KVM's fault-in on
// x86 and arm) get exported or refused pages although they never hand them to a device.
import type { WorkloadId } from '../../sim/model.js';
import { fmtMetric, hunkOf, n1, refusalOf, refusalPoints, who } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

/** The workloads that only take references. */
/** Workloads that take a reference and never hand the page to a device or a host CPU copy. */
export const REFERENCE_USERS: readonly WorkloadId[] = ['host_refs', 'kvm_fault'];

export const referenceOnly: Rule = {
  id: 'reference-only',
  failure(ctx, { f, steps, rate }) {
    const refused = refusalOf(ctx, f);
    if (!refused || !REFERENCE_USERS.includes(f.workload)) return false;
    ctx.add({
      rule: 'reference-only', ...hunkOf(ctx.lv, ctx.hookOf(refused.site), refused.fn), severity: 'error',
      finding: TEXT['reference-only'].refusal({ who: who(f.workload, ctx.arch.kvmFaultViaGup), archTitle: ctx.arch.title, points: refusalPoints(refused.site, true) }),
      evidence: `${steps}; ${rate}`,
    }, refused.site);
    return true;
  },
  hook(ctx, { h, se, where }) {
    const { ev } = ctx;
    const refUsers = REFERENCE_USERS.filter((w) => (se.exportsBy[w] ?? 0) + (se.refusalsBy[w] ?? 0) > 0);
    if (!refUsers.length || ctx.findings.some((f) => f.rule === 'reference-only' && f.function === where.function)) return;
    const parts = refUsers.map((w) => {
      const m = ev.workloads[w]!;
      const exp = se.exportsBy[w] ?? 0, ref = se.refusalsBy[w] ?? 0;
      return `${w}: ${exp ? `${n1(exp / ev.seeds)} exports per seed, ${n1(m.wastedExports)} of them wasted` : ''}${exp && ref ? ', ' : ''}${ref ? `${n1(ref / ev.seeds)} refusals per seed` : ''}`;
    });
    ctx.add({
      rule: 'reference-only', ...where, severity: 'warning',
      finding: TEXT['reference-only'].hook({ kvmFaultViaGup: ctx.arch.kvmFaultViaGup, canExport: ctx.arch.canExport, gup: h.site === 'gup_fast' || h.site === 'gup_slow' }),
      evidence: `${parts.join('; ')}${ev.score.meetsPar.wastedExports === false ? `; ${fmtMetric(ev.score.metrics, ctx.par, 'wastedExports')}` : ''}`,
    }, h.site);
  },
};
