// idle: a reached hook that never finds anything to do in this mix, with no other hook
// covering for it, where arch-in-core does not apply (an exporting architecture, or a hook
// in an arch header).
import { idleHook } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const idle: Rule = {
  id: 'idle',
  hook(ctx, c) {
    const i = idleHook(ctx, c);
    if (!i || i.covering.length || (!ctx.arch.canExport && i.core)) return;
    ctx.add({
      rule: 'idle', ...c.where, severity: 'nit',
      finding: TEXT.idle.finding(),
      evidence: `${i.calls}; ${i.without}`,
    }, c.h.site);
  },
};
