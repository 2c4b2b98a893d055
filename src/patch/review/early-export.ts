// early-export: the placement passes without the hook and the guest stalls less: the hook
// exports while the page is held (pinned or locked), so the guest waits for the release.
import { busiestFns, hunkOf, lighterWithout, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const earlyExport: Rule = {
  id: 'early-export',
  cost(ctx) {
    const { ev, loo, par } = ctx;
    for (const h of ctx.hooks) {
      const better = lighterWithout(ctx, h);
      if (!better.includes('guestStall')) continue; // without the stall: wasted-exports
      const se = ev.sites[h.site]!;
      const l = loo.get(h.site)!;
      const pvr = (se.exportsBy.process_vm_readv ?? 0) > 0;
      ctx.add({
        rule: 'early-export', ...hunkOf(ctx.lv, h, busiestFns(se.fns)[0]), severity: 'warning',
        finding: TEXT['early-export'].finding({ reachedBy: se.reachedBy, processVmReadv: pvr }),
        evidence: `${better.map((k) => `${k} ${n1(ev.baseline[k])} -> ${n1(l.metrics[k])} without it (par ${n1(par[k] ?? NaN)})`).join('; ')}; ${n1(se.exports)} exports per seed by this hook`,
      }, h.site);
    }
  },
};
