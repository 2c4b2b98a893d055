// too-late: a workload copies the page with the CPU before it reaches the hook, so the
// fault handler exports it (an exception per copy) and the hook finds nothing left to do.
import { WORKLOADS } from '../../sim/model.js';
import { busiestFns, fmtMetric, hunkOf, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const tooLate: Rule = {
  id: 'too-late',
  cost(ctx) {
    const { ev, metrics: m, par } = ctx;
    if (!(m.exceptions > 0 && ctx.costly)) return;
    for (const h of ctx.hooks) {
      const se = ev.sites[h.site];
      if (!se || ctx.flagged.has(h.site)) continue;
      const late = se.reachedBy.filter((w) => (ev.workloads[w]?.exceptions ?? 0) > 0 && !(se.exportsBy[w] ?? 0) && !(se.refusalsBy[w] ?? 0));
      if (!late.length) continue;
      ctx.add({
        rule: 'too-late', ...hunkOf(ctx.lv, h, busiestFns(se.fns)[0]), severity: 'warning',
        finding: TEXT['too-late'].finding({ late, paths: late.map((w) => WORKLOADS[w].path).join('; ') }),
        evidence: `${late.map((w) => `${w}: ${n1(se.callsAloneBy[w] ?? 0)} hook checks per seed here (this hook alone), 0 exports by it, ${n1(ev.workloads[w]!.exceptions)} exceptions per seed`).join('; ')}; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}`,
      }, h.site);
    }
  },
};
