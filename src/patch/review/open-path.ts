// open-path: a failure no placed hook acted on. Either a GUP hook's flag test let the
// workload's lookup through (FOLL_GET where it tests FOLL_PIN, or the reverse), or nothing
// of the patch is on the path at all.
import { WORKLOADS } from '../../sim/model.js';
import { escapePoint, hunkOf, openPathThread, who } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

/** The GUP walk's function an engine event names. */
const walkFn = (site: string) => (site === 'gup_fast' ? 'gup_pte_range' : 'follow_page_pte');

export const openPath: Rule = {
  id: 'open-path',
  failure(ctx, { f, steps, rate }) {
    const { lv, hooks, arch } = ctx;
    const evidence = `${steps}${rate ? `; ${rate}` : ''}`;
    const passedThrough = hooks.filter((h) => (h.site === 'gup_fast' || h.site === 'gup_slow') &&
      f.story.some((e) => e.fn.includes(walkFn(h.site)) && (e.action === 'get' || e.action === 'pin')));
    const skipped = passedThrough.find((h) => {
      const act = f.story.find((e) => e.fn.includes(walkFn(h.site)) && (e.action === 'get' || e.action === 'pin'))!.action;
      const when = h.when ?? 'pin';
      return (when === 'pin' && act === 'get') || (when === 'get' && act === 'pin');
    });
    if (skipped) {
      ctx.add({
        rule: 'open-path', ...hunkOf(lv, skipped), severity: 'error',
        finding: TEXT['open-path'].skipped({ who: who(f.workload, arch.kvmFaultViaGup), flag: (skipped.when ?? 'pin') === 'pin' ? 'FOLL_GET' : 'FOLL_PIN', kernel: lv.kernel, privateName: arch.privateName }),
        evidence,
      }, skipped.site);
      return true;
    }
    const exit = escapePoint(f.workload, f.kind, lv.kernel, ctx.target);
    ctx.add({
      rule: 'open-path', ...exit, severity: 'error',
      finding: TEXT['open-path'].open({ who: who(f.workload, arch.kvmFaultViaGup), kind: f.kind, privateName: arch.privateName, exit: exit.function, path: WORKLOADS[f.workload].path, points: openPathThread(f.workload, f.kind) }),
      evidence,
    });
    return true;
  },
};
