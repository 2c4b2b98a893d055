// Warnings that are true: a trap's note shows only for a hook the player placed (site and
// condition) and only when the run shows what the note claims. The false warnings players
// saw are pinned here, each with a control where the same note is true.
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Level } from '../../src/io/schema.js';
import type { Hook } from '../../src/sim/types.js';
import { levelConfig } from '../../src/sim/score.js';
import { claimHolds, claimOf, runEvidence, trueWarnings, type SiteEvidence } from '../../src/sim/warnings.js';

const levels = new Map(loadCampaign().map((e) => [e.level.id, e.level] as const));
function warned(id: string, hooks: Hook[]): string[] {
  const lv = levels.get(id)!;
  const ev = runEvidence(levelConfig(lv), hooks, lv.seeds.visible[0]);
  return trueWarnings(lv.traps ?? [], hooks, ev).map((t) => `${t.site}${t.when ? `[${t.when}]` : ''}`);
}
const trapOf = (id: string, site: string) => (levels.get(id) as Level).traps!.find((t) => t.site === site && !t.when)!;

describe('trap notes are shown only when the run shows them', () => {
  it('swap-pressure, writeback without a ptep_clear hook: no "the unmap has exported them already"', () => {
    expect(claimOf(trapOf('swap-pressure', 'writeback').reason)).toBe('idle');
    expect(warned('swap-pressure', [{ site: 'writeback' }])).not.toContain('writeback');
    expect(warned('swap-pressure', [{ site: 'bio_submit' }])).not.toContain('bio_submit');
    // control: with the unmap hook placed, writeback really only checks
    expect(warned('swap-pressure', [{ site: 'ptep_clear' }, { site: 'writeback' }])).toContain('writeback');
  });

  it('kmap, the kmap hook without a ptep_clear hook: no "the unmap has exported it already"', () => {
    expect(claimOf(trapOf('kmap', 'kmap').reason)).toBe('idle');
    expect(warned('kmap', [{ site: 'kmap' }])).not.toContain('kmap');
    expect(warned('kmap', [{ site: 'writeback' }])).not.toContain('writeback');
  });

  it('odirect-5-7, only gup_fast[get]: no "nothing pins with FOLL_PIN: never reached" (that note is about gup_fast[pin])', () => {
    const w = warned('odirect-5-7', [{ site: 'gup_fast', when: 'get' }]);
    expect(w).not.toContain('gup_fast');
    // control: the note on the FOLL_GET hook itself (it exports at GUP time) is true
    expect(w).toContain('gup_fast[get]');
    // and the FOLL_PIN hook really is never reached in 5.7
    expect(warned('odirect-5-7', [{ site: 'gup_fast', when: 'pin' }])).toContain('gup_fast');
  });

  it('never speaks about a site the player did not place', () => {
    expect(warned('swap-pressure', [{ site: 'ptep_clear' }])).toEqual([]);
  });
});

describe('claims and evidence', () => {
  const ev = (o: Partial<SiteEvidence>): SiteEvidence => ({ reached: true, exported: 0, failed: 0, destroyed: 0, sharedWith: [], ...o });
  it('reads the claim of every kind of note', () => {
    expect(claimOf('Neither path sets PG_writeback: never reached.')).toBe('unreached');
    expect(claimOf('Written pages were exported at unmap: checks for nothing.')).toBe('idle');
    expect(claimOf('Never refuses anything: checks for nothing.')).toBe('idle');
    expect(claimOf('Covers O_DIRECT too, but dma_map already refuses it: one hook too many.')).toBe('redundant');
    expect(claimOf('Fails at teardown on a private page: VM_BUG_ON.')).toBe('fails');
    expect(claimOf('Exports before the page is marked busy: a race.')).toBe('exports');
  });
  it('holds a claim only on matching evidence', () => {
    expect(claimHolds('unreached', ev({ reached: false }))).toBe(true);
    expect(claimHolds('unreached', ev({}))).toBe(false);
    expect(claimHolds('idle', ev({}))).toBe(true);
    expect(claimHolds('idle', ev({ exported: 3 }))).toBe(false);
    expect(claimHolds('redundant', ev({}))).toBe(false);
    expect(claimHolds('redundant', ev({ sharedWith: ['dma_map'] }))).toBe(true);
    expect(claimHolds('fails', ev({ failed: 1 }))).toBe(true);
    expect(claimHolds('exports', ev({}))).toBe(false);
    expect(claimHolds('exports', undefined)).toBe(false);
  });
  it('every trap note of the campaign has a claim it can be checked against', () => {
    for (const lv of levels.values()) for (const t of lv.traps ?? []) expect(claimOf(t.reason), `${lv.id} ${t.site}`).not.toBe('unknown');
  });
});
