// duplicate: every page that reaches the hook was made accessible (or refused) earlier by
// another placed hook, so it never has anything to do.
import { hunkOf, idleHook, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const duplicate: Rule = {
  id: 'duplicate',
  hook(ctx, c) {
    const idle = idleHook(ctx, c);
    if (!idle || !idle.covering.length) return;
    const { lv, ev, arch } = ctx;
    const by = idle.covering.map((g) => {
      const o = ev.sites[g.site]!;
      return `${g.site} (${hunkOf(lv, g).function}, ${n1(o.exports ? o.exports : o.refusals)} ${o.exports ? 'exports' : 'refusals'} per seed)`;
    }).join(', ');
    ctx.add({
      rule: 'duplicate', ...c.where, severity: 'nit',
      finding: TEXT.duplicate.finding({ canExport: arch.canExport, earlier: idle.covering.map((g) => hunkOf(lv, g).function).join(' and ') }),
      evidence: `${idle.calls}; covered by ${by}; ${idle.without}`,
    }, c.h.site);
  },
};
