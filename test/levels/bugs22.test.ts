// Level texts that the new player of issue 22 found at odds with the level's own data:
// an objective naming a par that par does not have, a trade-off the board cannot show,
// an epilogue sentence about real s390 without a word on the game's own score.
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Level } from '../../src/io/schema.js';
import { scoreLevel } from '../../src/sim/score.js';

const levels: Level[] = loadCampaign().map((e) => e.level);
const level = (id: string) => levels.find((l) => l.id === id)!;
const WORDS: Record<string, number> = { no: 0, zero: 0, one: 1, two: 2, three: 3, four: 4 };

describe('objectives agree with par (par is derived: the text follows it)', () => {
  it.each(levels.map((l) => [l.id, l] as const))('%s: an objective "par: N hooks" has par.hooks = N', (_id, lv) => {
    for (const o of lv.objectives ?? []) {
      const m = /\bpar: (\w+) hooks?\b/.exec(o);
      if (!m) continue;
      expect(lv.par.hooks, `${lv.id}: "${o}"`).toBe(WORDS[m[1]!] ?? Number(m[1]));
    }
  });

  it('cpu-copies ("Copies are not I/O") names the metrics its par ranks, not a hooks par it has not', () => {
    const lv = level('cpu-copies');
    expect(lv.par.hooks).toBeUndefined();
    expect(lv.objectives!.join(' ')).not.toMatch(/par: one hook/);
    expect(lv.objectives).toContain('par on cost, wasted exports and guest stall');
    expect(Object.keys(lv.par).sort()).toEqual(['cost', 'guestStall', 'wastedExports']);
  });
});

describe('msync: the stall trade-off is measured, and the epilogue says why the real s390 export scores one star', () => {
  const lv = level('msync');
  it('the objective and the briefing say the board does not show what a site costs: it is to be measured', () => {
    expect(lv.objectives!.find((o) => o.startsWith('low guest stall'))).toMatch(/not what it costs.*measure/);
    expect(lv.briefing).toMatch(/for you to measure/);
  });
  it('the epilogue gives the export at page_mkclean()\'s PTE clear its ★☆☆, and that is what the game scores', () => {
    expect(lv.epilogue).toContain('exports the page first (pgtable.h)');
    expect(lv.epilogue).toContain('The game still scores that export ★☆☆');
    expect(scoreLevel(lv, [{ site: 'ptep_clear' }]).stars).toBe(1);
    // real s390: the PTE clear exports, and the writeback hook finds nothing to do
    expect(scoreLevel(lv, [{ site: 'ptep_clear' }, { site: 'writeback' }]).stars).toBe(1);
    expect(scoreLevel(lv, [{ site: 'writeback' }]).stars).toBe(3);
    // its comparison is a declared claim (test/levels/claims.test.ts checks it holds)
    expect(lv.claims!.filter((c) => c.about === 'epilogue' && lv.epilogue!.includes(c.says))).toHaveLength(2);
  });
});
