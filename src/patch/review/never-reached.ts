// never-reached: no workload of the level executes the hunk. On a review level, a hunk of
// the posted patch whose removal would go over the changes par is only a nit.
import { SITES } from '../../sim/model.js';
import { changesBetween, hooksOf } from '../../sim/score.js';
import type { ThreadPoint } from '../thread.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const neverReached: Rule = {
  id: 'never-reached',
  hook(ctx, { h, se, where }) {
    if (se.reachedBy.length || ctx.flagged.has(h.site)) return;
    const { lv, ev, hooks } = ctx;
    const gup = h.site === 'gup_fast' || h.site === 'gup_slow';
    const points: ThreadPoint[] = h.site === 'dma_map' && lv.device === 'ccw' ? ['dma-api', 'ccw-no-dma-api']
      : gup && ev.failingWorkloads.some((w) => w === 'sendfile' || w === 'mmap_sync') ? ['other-walkers'] : [];
    // a review level: a hunk of the posted patch whose removal would be a change over par stays
    const kept = lv.start && lv.par?.changes !== undefined &&
      changesBetween(hooksOf(lv.start), hooks.filter((x) => x !== h)) > lv.par.changes;
    ctx.add({
      rule: 'never-reached', ...where, severity: kept ? 'nit' : 'warning',
      finding: TEXT['never-reached'].finding({
        mix: lv.workloads.map((w) => w.kind).join(', '), gupWhen: gup ? h.when : undefined,
        reachedBy: SITES[h.site].reachedBy, keptChanges: kept ? lv.par!.changes! : null, points,
      }),
      evidence: `0 hook checks on ${ev.seeds} seeds with this hook placed alone (engine count); no workload's reached flag set for ${h.site}`,
    }, h.site);
  },
};
