// Warnings that are true: a trap's note shows only for a hook the player placed (site and
// condition) and only when the run shows what the note claims. The false warnings players
// saw are pinned here, each with a control where the same note is true.
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Hook } from '../../src/sim/types.js';
import { levelConfig } from '../../src/sim/score.js';
import { claimHolds, claimOf, missedBy, runEvidence, trueWarnings, type SiteEvidence, type Trap } from '../../src/sim/warnings.js';

const levels = new Map(loadCampaign().map((e) => [e.level.id, e.level] as const));

/**
 * The notes players saw when they were false, as traps on the levels' machines (the
 * level files' own wording may change; what is pinned is the rule).
 */
const NOTES = {
  alreadyExported: 'Only written pages reach __test_set_page_writeback(), and the unmap has exported them already: one more check per write for nothing.',
  kmapAlready: 'Only zswap_store() maps the page here, and the unmap has exported it already: checks for nothing.',
  bioAlready: 'Every page submit_bio() sees was exported at unmap already; clean pages never reach it at all.',
  neverPinned: 'Nothing pins with FOLL_PIN in this 5.7 mix: never reached.',
  exportsEarly: 'Passes, but exports at GUP time, before the bio is even built: the guest stalls on pages QEMU still holds.',
};

function warned(id: string, traps: Trap[], hooks: Hook[]): string[] {
  const lv = levels.get(id)!;
  const ev = runEvidence(levelConfig(lv), hooks, lv.seeds.visible[0]);
  return trueWarnings(traps, hooks, ev).map((t) => `${t.site}${t.when ? `[${t.when}]` : ''}`);
}

describe('trap notes are shown only when the run shows them', () => {
  it('swap-pressure, writeback or bio_submit without an unmap hook: no "the unmap has exported them already"', () => {
    const traps: Trap[] = [{ site: 'writeback', reason: NOTES.alreadyExported }, { site: 'bio_submit', reason: NOTES.bioAlready }];
    expect(claimOf(NOTES.alreadyExported)).toBe('idle');
    expect(warned('swap-pressure', traps, [{ site: 'writeback' }])).toEqual([]);
    expect(warned('swap-pressure', traps, [{ site: 'bio_submit' }])).toEqual([]);
    // control: with the unmap hook placed, writeback really only checks
    expect(warned('swap-pressure', traps, [{ site: 'ptep_clear' }, { site: 'writeback' }])).toEqual(['writeback']);
  });

  it('kmap, the kmap hook without an unmap hook: no "the unmap has exported it already"', () => {
    const traps: Trap[] = [{ site: 'kmap', reason: NOTES.kmapAlready }];
    expect(warned('kmap', traps, [{ site: 'kmap' }])).toEqual([]);
    expect(warned('kmap', traps, [{ site: 'ptep_clear' }, { site: 'kmap' }])).toEqual(['kmap']);
  });

  it('odirect-5-7, only gup_fast[get]: no "nothing pins with FOLL_PIN: never reached" (that note is about gup_fast[pin])', () => {
    const traps: Trap[] = [{ site: 'gup_fast', reason: NOTES.neverPinned }, { site: 'gup_fast', when: 'get', reason: NOTES.exportsEarly }];
    // the FOLL_GET hook's own note (it exports at GUP time) is the true one
    expect(warned('odirect-5-7', traps, [{ site: 'gup_fast', when: 'get' }])).toEqual(['gup_fast[get]']);
    // and the FOLL_PIN hook really is never reached in 5.7
    expect(warned('odirect-5-7', traps, [{ site: 'gup_fast', when: 'pin' }])).toEqual(['gup_fast']);
  });

  it('never speaks about a site the player did not place', () => {
    const traps: Trap[] = [{ site: 'writeback', reason: NOTES.alreadyExported }];
    expect(warned('swap-pressure', traps, [{ site: 'ptep_clear' }])).toEqual([]);
  });
});

describe('claims and evidence', () => {
  const ev = (o: Partial<SiteEvidence>): SiteEvidence => ({ reached: true, exported: 0, failed: 0, destroyed: 0, sharedWith: [], runFaults: 0, ...o });
  it('reads the claim of every kind of note', () => {
    expect(claimOf('Neither path sets PG_writeback: never reached.')).toBe('unreached');
    expect(claimOf('Written pages were exported at unmap: checks for nothing.')).toBe('idle');
    expect(claimOf('Never refuses anything: checks for nothing.')).toBe('idle');
    expect(claimOf('Covers O_DIRECT too, but dma_map already refuses it: one hook too many.')).toBe('redundant');
    expect(claimOf('Fails at teardown on a private page: VM_BUG_ON.')).toBe('fails');
    expect(claimOf('Exports before the page is marked busy: a race.')).toBe('exports');
    // the first sentence carries the claim; a later one is conditional
    expect(claimOf('Safe for the disk, but zswap compresses the page first: each store takes the 0x3d exception. With the unmap hook placed it only adds checks.')).toBe('faults');
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
    expect(claimHolds('faults', ev({ runFaults: 2 }))).toBe(true);
    expect(claimHolds('faults', ev({}))).toBe(false);
  });
  it('every trap note of the campaign has a claim it can be checked against', () => {
    for (const lv of levels.values()) for (const t of lv.traps ?? []) expect(claimOf(t.reason), `${lv.id} ${t.site}`).not.toBe('unknown');
  });
});

describe('a note names the metric that missed par (issue 22)', () => {
  const lv = levels.get('challenge-copies')!;
  const trap = lv.traps!.find((t) => t.site === 'ptep_clear')!;
  it('challenge-copies: beside guestStall ok and cost over, the PTE-clear note is about cost only', async () => {
    const { scoreLevel } = await import('../../src/sim/score.js');
    const hooks: Hook[] = [{ site: 'gup_fast', when: 'pin' }, { site: 'writeback' }, { site: 'kmap' }, { site: 'ptep_clear' }];
    const v = scoreLevel(lv, hooks);
    expect(v.passed).toBe(true);
    expect(v.meetsPar.guestStall).toBe(true);
    expect(v.meetsPar.cost).toBe(false);
    expect(missedBy(trap, lv.claims, v.meetsPar)).toEqual(['cost']);
  });
  it('a note whose metrics all met par explains nothing the run missed: empty', () => {
    // ptep_clear's claims: guest stall (and cost) and host overhead; imports is not among them
    expect(missedBy(trap, lv.claims, { cost: true, guestStall: true, imports: false })).toEqual([]);
    expect(missedBy(trap, lv.claims, { cost: false, guestStall: false, imports: false })).toEqual(['cost', 'guestStall']);
  });
  it('a note without a claim on a par metric is read from its words ("one hook too many": hooks)', () => {
    const t: Trap = { site: 'writeback', reason: 'Covered at the unmap already: one hook too many.' };
    expect(missedBy(t, [], { hooks: false, guestStall: false })).toEqual(['hooks']);
  });
});
