// wasted-exports: a hook the placement passes without, with an over-par metric (not the
// guest's stall: early-export) coming down; and exports, charged to the hook that made
// them from the traces, that are imported back or freed before any device or CPU reads them.
import type { WorkloadId } from '../../sim/model.js';
import { busiestFns, fmtMetric, hunkOf, lighterWithout, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const wastedExports: Rule = {
  id: 'wasted-exports',
  cost(ctx) {
    const { ev, loo, par, lv, metrics: m } = ctx;
    // not needed: without this hunk it still passes, and something over par comes down
    for (const h of ctx.hooks) {
      const better = lighterWithout(ctx, h);
      if (!better.length || better.includes('guestStall')) continue;
      const se = ev.sites[h.site]!;
      const l = loo.get(h.site)!;
      ctx.add({
        rule: 'wasted-exports', ...hunkOf(lv, h, busiestFns(se.fns)[0]), severity: 'warning',
        finding: TEXT['wasted-exports'].notNeeded({ better }),
        evidence: `${better.map((k) => `${k} ${n1(ev.baseline[k])} -> ${n1(l.metrics[k])} without it (par ${n1(par[k] ?? NaN)})`).join('; ')}; ${n1(se.exports)} exports per seed by this hook`,
      }, h.site);
    }
    // wasted exports, charged to the hook that made them (from the traces)
    if (!ctx.over.includes('wastedExports')) return;
    for (const h of ctx.hooks) {
      if (ctx.flagged.has(h.site)) continue;
      const se = ev.sites[h.site];
      if (!se || se.wasted < 1) continue;
      const ws = (Object.keys(se.exportsBy) as WorkloadId[]).filter((w) => (ev.workloads[w]?.wastedExports ?? 0) > 0);
      const fn = busiestFns(se.fns);
      const where = hunkOf(lv, h, (ws.includes('teardown') ? fn.find((x) => x.includes('zap_pte_range')) : undefined) ?? fn[0]);
      ctx.add({
        rule: 'wasted-exports', ...where, severity: 'warning',
        finding: TEXT['wasted-exports'].wasted({ workloads: ws }),
        evidence: `${n1(se.wasted)} of this hook's ${n1(se.exports)} exports per seed were wasted (traced on every seed); ${fmtMetric(m, par, 'wastedExports')}, ${fmtMetric(m, par, 'cost')}`,
      }, h.site);
    }
  },
};
