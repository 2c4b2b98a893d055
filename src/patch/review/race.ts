// race: a placed hook exported the page, the guest imported it back before any use, then
// the page failed (reached the device, or was freed, while secure).
import type { SiteId } from '../../sim/model.js';
import type { TraceEvent } from '../../sim/types.js';
import type { FailureEvidence } from '../evidence.js';
import { hunkOf } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

/** The placed hook's export the guest undid before the page was used, if that is the story. */
function raceIn(f: FailureEvidence, placed: ReadonlySet<SiteId>): TraceEvent | null {
  const s = f.story;
  for (let i = s.length - 2; i >= 0; i--) {
    const e = s[i];
    if (e.action === 'export' && e.site && e.site !== 'fault') {
      if (!placed.has(e.site)) return null;
      const after = s.slice(i + 1, -1);
      const used = after.some((x) => /^(device-|cpu-access|free|swap-in)/.test(x.action) || (x.action === 'export'));
      const imported = after.some((x) => x.action === 'import');
      return imported && !used ? e : null;
    }
  }
  return null;
}

export const race: Rule = {
  id: 'race',
  failure(ctx, { f, steps, rate }) {
    const e = raceIn(f, ctx.placed);
    if (!e || !e.site) return false;
    ctx.add({
      rule: 'race', ...hunkOf(ctx.lv, ctx.hookOf(e.site), e.fn), severity: 'error',
      finding: TEXT.race.finding({ workload: f.workload, freed: f.kind === 'freed-secure' }),
      evidence: `${steps}${rate ? `; ${rate}` : ''}`,
    }, e.site);
    return true;
  },
};
