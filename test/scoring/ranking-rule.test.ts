// The one ranking rule (src/sim/ranking.ts), on the two boards a workshop did not trust:
// swap-pressure, where a 2-star solution cheaper by 0.001% ranked above the 3-star ones,
// and production, whose par has no cost: its 3-star entry ranked 7th of 8 and was off the
// board's Pareto front while `pvlab analyze` listed it as Pareto-optimal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLevel, type Level } from '../../src/io/schema.js';
import { paretoFront } from '../../src/sim/analyze.js';
import { RANK_TOLERANCE, compareMerit, paretoIndexes, rankMetrics, sameWithin } from '../../src/sim/ranking.js';
import type { Hook } from '../../src/sim/types.js';
import { RANK_RULE, buildBoard, rankLevel, type BoardEntry, type BoardMetric } from '../../src/workshop/rank.js';
import { boardCsv } from '../../src/commands/leaderboard.js';
import { ROOT } from '../helpers/cli.js';

const level = (file: string): Level => parseLevel(JSON.parse(readFileSync(join(ROOT, 'levels', file), 'utf8')), file);
const SWAP = level('01-swap-pressure.json');
const PRODUCTION = level('08-production.json');

function entry(file: string, stars: 0 | 1 | 2 | 3, m: Partial<Record<BoardMetric, number>>, submitted = 0): BoardEntry {
  return {
    file, player: file, name: file, level: 'lv', hooks: [], passed: stars > 0, failedSeeds: stars > 0 ? 0 : 3, seeds: 15, stars, submitted,
    metrics: { cost: 0, exports: 0, imports: 0, wastedExports: 0, hooks: 1, guestStall: 0, hostOverhead: 0, ioErrors: 0, crashes: 0, freedSecure: 0, ...m },
  };
}

describe('the ranking rule', () => {
  it('ranks by the par metrics in the order the level states them, with a 0.1% tolerance', () => {
    expect(rankMetrics(PRODUCTION.par)).toEqual(['exports', 'imports', 'wastedExports', 'hostOverhead']);
    expect(rankMetrics(SWAP.par)).toEqual(['cost', 'exports', 'imports', 'wastedExports', 'hooks', 'guestStall']);
    expect(rankMetrics(undefined)).toEqual(['cost', 'hooks', 'wastedExports', 'guestStall']);
    expect(RANK_TOLERANCE).toBe(0.001);
    expect(RANK_RULE).toContain(`${RANK_TOLERANCE * 100}%`);
    expect(sameWithin(11763.213, 11763.087)).toBe(true);
    expect(sameWithin(100, 100.2)).toBe(false);
    const a = entry('a', 3, { cost: 100 }), b = entry('b', 3, { cost: 100.05, hooks: 0 });
    expect(compareMerit(a, b, ['cost', 'hooks'])).toBeGreaterThan(0); // cost within 0.1%: hooks decide
  });

  it('swap-pressure: a 2-star solution 0.001% cheaper no longer ranks above the 3-star ones', () => {
    const par = SWAP.par!;
    const three = [0, 1, 2, 3, 4, 5].map((i) => entry(`three${i}`, 3, { ...par, hooks: 1, cost: par.cost! + i * 0.01 }, 1000 * (10 - i)));
    // two hooks (over the hook par: 2 stars), cost lower by 0.126 of 11763 (0.001%)
    const two = entry('two', 2, { ...par, hooks: 2, cost: par.cost! - 0.126 }, 0);
    const b = rankLevel('swap-pressure', [two, ...three], 6, { par });
    expect(b.entries.at(-1)!.file).toBe('two');
    expect(b.entries.at(-1)!.rank).toBe(7);
    expect(b.entries.find((e) => e.file === 'two')!.pareto).toBe(false);
    // the six 3-star ones are equal on merit (cost within 0.1%): earlier submission first, not code-point order
    expect(b.entries.slice(0, 6).map((e) => e.file)).toEqual(['three5', 'three4', 'three3', 'three2', 'three1', 'three0']);
    expect(b.entries.slice(0, 6).map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.ties).toEqual([{ rank: 1, files: b.entries.slice(0, 6).map((e) => e.file), byTime: true }]);
  });

  it('production: the 3-star entry is first and on the board\'s front, as on analyze\'s', () => {
    const sets: Record<string, Hook[]> = {
      reference: [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'ptep_clear', when: 'any' }, { site: 'splice' }],
      lean: [{ site: 'gup_fast', when: 'pin' }, { site: 'ptep_clear', when: 'live' }, { site: 'splice' }],
      writeback: [{ site: 'gup_fast', when: 'pin' }, { site: 'writeback' }, { site: 'splice' }],
      mainline: [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }],
    };
    const found = Object.entries(sets).map(([name, hooks], i) => ({
      file: `players/p${i}/${name}.json`, folder: `p${i}`, submitted: 1000 * (10 - i),
      solution: { level: 'production', name, hooks },
    }));
    const b = buildBoard(found, [PRODUCTION]).levels[0]!;
    expect(b.metrics).toEqual(['exports', 'imports', 'wastedExports', 'hostOverhead']);
    expect(b.entries[0]).toMatchObject({ name: 'reference', stars: 3, rank: 1, pareto: true });
    expect(b.entries.filter((e) => e.stars < 3 && e.passed).length).toBeGreaterThan(0);
    // analyze's front is the same rule: over these points it keeps what the board marks
    const passing = b.entries.filter((e) => e.passed);
    const front = paretoFront(passing.map((e) => ({ file: e.file, metrics: { ...e.metrics } })), rankMetrics(PRODUCTION.par)).map((p) => p.file);
    expect(front).toContain(b.entries[0]!.file);
    expect(front.sort()).toEqual(b.entries.filter((e) => e.pareto).map((e) => e.file).sort());
    expect(paretoIndexes(passing.map((e) => e.metrics), b.metrics).length).toBe(front.length);
  });

  it('CSV names each column once (the hook count `hooks`, the hook set `hook_set`)', () => {
    const b = rankLevel('lv', [entry('a', 3, {})]);
    const head = boardCsv({ levels: [b], invalid: [], solutions: 1, verified: 1, cached: 0 }).split('\r\n')[0]!.split(',');
    expect(new Set(head).size).toBe(head.length);
    expect(head).toContain('"hook_set"');
  });
});
