// cannot-fail: a placed hook refused a page where nothing up the stack can take the error
// (the refusal is a crash); and a hook in kmap(), which cannot fail on any architecture.
import { SITES } from '../../sim/model.js';
import { hunkOf, n1, refusalOf, refusalPoints, who } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const cannotFail: Rule = {
  id: 'cannot-fail',
  failure(ctx, { f, steps, rate }) {
    const refused = refusalOf(ctx, f);
    // a plain reference refused is reference-only's
    if (!refused || f.workload === 'kvm_fault' || f.workload === 'host_refs') return false;
    const { arch } = ctx;
    ctx.add({
      rule: 'cannot-fail', ...hunkOf(ctx.lv, ctx.hookOf(refused.site), refused.fn), severity: 'error',
      finding: TEXT['cannot-fail'].refusal({
        who: who(f.workload, arch.kvmFaultViaGup), archTitle: arch.title, privateName: arch.privateName,
        nothingUpTheStack: SITES[refused.site].mayFail === 'no' || refused.site === 'vm_normal_page',
        s390OnlyExport: refused.site === 'ptep_clear' && !arch.canExport, points: refusalPoints(refused.site, false),
      }),
      evidence: `${steps}; ${rate}`,
    }, refused.site);
    return true;
  },
  // kmap cannot fail, on any architecture: the thread's main objection to it, whether or
  // not this run ever needed a refusal there (an export on s390 never fails)
  hook(ctx, { h, se, where }) {
    if (h.site !== 'kmap' || ctx.findings.some((f) => f.rule === 'cannot-fail' && f.function === where.function)) return;
    ctx.add({
      rule: 'cannot-fail', ...where, severity: ctx.arch.canExport ? 'nit' : 'error',
      finding: TEXT['cannot-fail'].kmap(),
      evidence: `the hunk asserts VM_BUG_ON_PAGE(access_ret != 0, page); ${n1(se.refusals)} refusals and ${n1(se.exports)} exports per seed here in this run (${se.reachedBy.join(', ') || 'no workload'} reach${se.reachedBy.length === 1 ? 'es' : ''} it)`,
    }, h.site);
  },
};
