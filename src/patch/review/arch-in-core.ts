// arch-in-core: a hook in core mm that, on an architecture without the s390 export, never
// finds a private page (and no other hook covers for it): s390 logic where it does nothing.
import { idleHook } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const archInCore: Rule = {
  id: 'arch-in-core',
  hook(ctx, c) {
    const idle = idleHook(ctx, c);
    if (!idle || idle.covering.length || ctx.arch.canExport || !idle.core) return;
    ctx.add({
      rule: 'arch-in-core', ...c.where, severity: 'warning',
      finding: TEXT['arch-in-core'].finding({ archTitle: ctx.arch.title, privateName: ctx.arch.privateName }),
      evidence: `${idle.calls}; ${idle.without}`,
    }, c.h.site);
  },
};
