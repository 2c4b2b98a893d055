// Rounds and standings: a round's window (entries after the deadline are listed, not
// ranked), standings per player across levels in every format, bad deadlines refused.
import { mkdtempSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeadline } from '../../src/io/workshop.js';
import { rankLevel, standings, type BoardEntry } from '../../src/workshop/rank.js';
import { expectRefused, pvlab } from '../helpers/cli.js';

function entry(file: string, player: string, stars: 0 | 1 | 2 | 3, cost: number, submitted: number): BoardEntry {
  return {
    file, player, name: file, level: 'lv', hooks: [], passed: stars > 0, failedSeeds: stars ? 0 : 1, seeds: 3, stars, submitted,
    metrics: { cost, exports: 0, imports: 0, wastedExports: 0, hooks: 1, guestStall: 0, hostOverhead: 0, ioErrors: 0, crashes: 0, freedSecure: 0 },
  };
}

describe('rounds', () => {
  it('entries after the deadline are listed after the ranked ones, not ranked, not on the front', () => {
    const b = rankLevel('lv', [entry('late-best', 'ada', 3, 1, 5000), entry('on-time', 'bob', 2, 9, 1000)], 6, {}, { until: 2000 });
    expect(b.entries.map((e) => [e.file, e.rank, e.outside ?? null, e.pareto])).toEqual([['on-time', 1, null, true], ['late-best', 0, 'late', false]]);
    expect(b.summary.solutions).toBe(1);
    expect(rankLevel('lv', [entry('early', 'ada', 3, 1, 10)], 6, {}, { since: 100 }).entries[0]!.outside).toBe('early');
  });

  it('standings: levels solved, then stars, then rank sum; late entries do not count', () => {
    const lv = (id: string, es: BoardEntry[]) => ({ ...rankLevel(id, es, 6, {}, { until: 10_000 }), level: id });
    const st = standings([
      lv('a', [entry('a1', 'ada', 3, 5, 1), entry('a2', 'bob', 3, 4, 2), entry('a3', 'cy', 1, 1, 3)]),
      lv('b', [entry('b1', 'ada', 2, 5, 1), entry('b2', 'cy', 3, 5, 99_999)]),
    ]);
    expect(st.map((s) => [s.player, s.place, s.solved, s.stars, s.rankSum])).toEqual([
      ['ada', 1, 2, 5, 3], // a: 2nd (bob is cheaper), b: 1st
      ['bob', 2, 1, 3, 1],
      ['cy', 3, 1, 1, 3], // b's entry came after the deadline
    ]);
    expect(st[0]!.levels).toEqual({ a: 2, b: 1 });
  });

  it('deadlines parse as dates and times; anything else is refused', () => {
    expect(parseDeadline('2026-12-07T22:00Z', '--until')).toBe(Date.UTC(2026, 11, 7, 22));
    expect(parseDeadline('2026-12-07 22:00:30+01:00', '--until')).toBe(Date.UTC(2026, 11, 7, 21, 0, 30));
    for (const bad of ['tomorrow', '2026-02-30', '2026-12-07 25:00', '12/07/2026', '']) {
      expect(() => parseDeadline(bad, '--until'), bad).toThrow(/--until: .* is not a date and time/);
    }
  });

  it('the CLI: standings in every format, a round file in the workshop, a bad deadline is one line and exit 2', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pvlab-round-')), 'ws');
    const configDir = `${dir}-config`;
    expect((await pvlab(['workshop', 'init', dir], { configDir })).code).toBe(0);
    const put = (rel: string, author: string, hooks: object[], t: number) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: rel, author, hooks }));
      utimesSync(join(dir, rel), t, t);
    };
    put('players/ada/saves/a.json', 'ada', [{ site: 'ptep_clear', when: 'live' }], 1_800_000_000);
    put('players/bob/saves/b.json', 'bob', [{ site: 'reclaim_scan' }, { site: 'ptep_clear', when: 'live' }], 1_700_000_000);
    writeFileSync(join(dir, 'round.json'), JSON.stringify({ levels: ['swap-pressure'], until: '2024-01-01T00:00Z' }));
    const text = await pvlab(['standings', join(dir, 'players')], { configDir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^round: swap-pressure; until 2024-01-01 00:00Z/);
    expect(text.stdout.split('\n')[2]).toMatch(/^ {2}1 +bob +1 +1 +1$/);
    const csv = await pvlab(['standings', join(dir, 'players'), '--format', 'csv'], { configDir });
    expect(csv.stdout.split('\r\n')[0]).toBe('"place","player","solved","stars","rank_sum","place:swap-pressure"');
    const md = await pvlab(['standings', join(dir, 'players'), '--format', 'markdown'], { configDir });
    expect(md.stdout).toContain('| 1 | bob | 1 | 1 | 1 |');
    const json = JSON.parse((await pvlab(['board', dir, '--json', '--until', '2025-01-01'], { configDir })).stdout);
    expect(json.standings.map((s: { player: string }) => s.player)).toEqual(['bob', 'ada']);
    expect(json.levels[0].entries.map((e: { player: string; outside: string | null }) => [e.player, e.outside])).toEqual([['bob', null], ['ada', 'late']]);
    expectRefused(await pvlab(['board', dir, '--until', 'next friday'], { configDir }), /--until: 'next friday' is not a date and time/);
  });
});
