// refused-twice: a page one placed hook refuses goes on to another placed hook that
// checks and refuses it again (two checks per refused page), for a placement over par.
import { fmtMetric, hunkOf, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const refusedTwice: Rule = {
  id: 'refused-twice',
  cost(ctx) {
    const { ev, lv, metrics: m, par, placed, loo } = ctx;
    if (!ctx.costly) return;
    for (const a of ev.refusedAgain) {
      if (a.pages < 1 || !placed.has(a.first) || !placed.has(a.second)) continue;
      const first = hunkOf(lv, ctx.hookOf(a.first), Object.keys(ev.sites[a.first]?.fns ?? {})[0]);
      const second = hunkOf(lv, ctx.hookOf(a.second), Object.keys(ev.sites[a.second]?.fns ?? {})[0]);
      const l1 = loo.get(a.first), l2 = loo.get(a.second);
      const both = l1 && l2 && !l1.passed && !l2.passed;
      ctx.add({
        rule: 'refused-twice', ...first, severity: 'warning',
        finding: TEXT['refused-twice'].finding({ privateName: ctx.arch.privateName, second: second.function, both: !!both }),
        evidence: `${Object.entries(a.byWorkload).map(([w, c]) => `${w}: ${n1(c)} pages per seed refused in ${first.function} and again in ${second.function}`).join('; ')}; ${n1(m.hookChecks)} hook checks per seed; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}${both ? `; without ${a.first}: FAIL (${l1.failingWorkloads.join(', ')}), without ${a.second}: FAIL (${l2.failingWorkloads.join(', ')})` : ''}`,
      }, a.first);
    }
  },
};
