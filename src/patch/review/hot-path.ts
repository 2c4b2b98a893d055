// hot-path: on an architecture that exports, the hook runs far more often than pages
// leave for a device or a CPU copy, and each call that finds a private page exports it.
import { WORKLOADS } from '../../sim/model.js';
import { fmtMetric, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

/** Hook checks per seed (with the hook alone) from which a hot path starts, and how many per page that leaves. */
export const HOT_CALLS = 20;
export const HOT_RATIO = 2;

export const hotPath: Rule = {
  id: 'hot-path',
  hook(ctx, { h, se, where }) {
    const { arch, ev } = ctx;
    if (!se.reachedBy.length || !arch.canExport) return;
    const io = se.reachedBy.filter((w) => WORKLOADS[w].io !== 'none');
    const alone = io.reduce((a, w) => a + (se.callsAloneBy[w] ?? 0), 0);
    const leaving = io.reduce((a, w) => a + (ev.workloads[w]?.deviceIos ?? 0) + (ev.workloads[w]?.cpuAccesses ?? 0), 0);
    if (!io.length || alone < HOT_CALLS || alone < HOT_RATIO * Math.max(1, leaving)) return;
    ctx.add({
      rule: 'hot-path', ...where, severity: 'warning',
      finding: TEXT['hot-path'].finding({ workloads: io.join(', '), privateName: arch.privateName }),
      evidence: `${n1(alone)} hook checks per seed from ${io.join(', ')} with this hook alone (engine count) against ${n1(leaving)} device I/Os and CPU copies per seed by them (${n1(alone / Math.max(1, leaving))} checks per page that leaves; ${n1((se.callsAlone / Math.max(1, se.hostOps)) * 100)} checks per 100 host operations); ${n1(se.exports)} exports per seed here, ${fmtMetric(ev.score.metrics, ctx.par, 'wastedExports')}`,
    }, h.site);
  },
};
