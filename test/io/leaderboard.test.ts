import { mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync, copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectSolutions, loadBoard, watchFolders } from '../../src/io/leaderboard.js';
import { openVerdictCache } from '../../src/io/verdict-cache.js';
import {
  FAILURE_METRICS, HISTOGRAM_METRICS, buildBoard, compareEntries, histogram, histogramLines, paretoFrontier,
  nameSkeleton, placeOnBoard, rankLevel, selectEntries, type Board, type BoardEntry, type BoardMetric,
} from '../../src/workshop/rank.js';
import { boardCsv, boardJson, boardMarkdown, boardText, fitRows } from '../../src/commands/leaderboard.js';
import { expectRefused, pvlab } from '../helpers/cli.js';
import { fmtNum } from '../../src/io/format.js';
import { terminalSafeJson } from '../../src/io/sanitize.js';
import { parseLevel, type Level } from '../../src/io/schema.js';

const FIX = fileURLToPath(new URL('../fixtures/board/', import.meta.url));
const WORKSHOP = join(FIX, 'workshop');
const SUBMITTED = new Date('2026-12-01T10:00:00Z');
const LEVEL: Level = parseLevel(JSON.parse(readFileSync(join(FIX, 'levels/swap-pressure.json'), 'utf8')), 'fixture');

function entry(file: string, m: Partial<Record<BoardMetric, number>>, over: Partial<BoardEntry> = {}): BoardEntry {
  return {
    file, player: file, name: file, level: 'lv', hooks: [], passed: true, failedSeeds: 0, seeds: 10, stars: 3,
    metrics: { cost: 100, exports: 10, imports: 10, wastedExports: 1, hooks: 1, guestStall: 50, hostOverhead: 1, ioErrors: 0, crashes: 0, freedSecure: 0, ...m },
    ...over,
  };
}

describe('ranking (pure)', () => {
  it('ranks passing first, ties share a rank, failing rank last', () => {
    const b = rankLevel('lv', [
      entry('fail-many', { cost: 1 }, { passed: false, failedSeeds: 9 }),
      entry('c', { cost: 120 }),
      entry('a', { cost: 100 }),
      entry('b', { cost: 100 + 1e-12 }), // float noise is a tie
      entry('fail-few', { cost: 5000 }, { passed: false, failedSeeds: 1 }),
      entry('d', { cost: 120, hooks: 2 }),
    ]);
    expect(b.entries.map((e) => [e.file, e.rank, e.tied])).toEqual([
      ['a', 1, true], ['b', 1, true], ['c', 3, false], ['d', 4, false], ['fail-few', 5, false], ['fail-many', 6, false],
    ]);
    expect(b.ties).toEqual([{ rank: 1, files: ['a', 'b'], byTime: false }]);
  });

  it('breaks cost ties by hooks, wasted exports, then guest stall', () => {
    const xs = [entry('s', { guestStall: 40 }), entry('w', { wastedExports: 0 }), entry('h', { hooks: 0 }), entry('base', {})];
    expect(rankLevel('lv', xs).entries.map((e) => e.file)).toEqual(['h', 'w', 's', 'base']);
    expect(compareEntries(xs[0]!, xs[0]!)).toBe(0);
  });

  it('finds the Pareto frontier over cost, wasted exports, hooks and guest stall', () => {
    const xs = [
      entry('cheap', { cost: 10, hooks: 3 }),
      entry('small', { cost: 50, hooks: 1 }),
      entry('dominated', { cost: 60, hooks: 3 }),
      entry('dup-small', { cost: 50, hooks: 1 }),
      entry('failing-best', { cost: 1, hooks: 0 }, { passed: false, failedSeeds: 1 }),
      entry('stall', { cost: 99, hooks: 3, guestStall: 1 }),
    ];
    expect(paretoFrontier(xs).map((i) => xs[i]!.file)).toEqual(['cheap', 'small', 'dup-small', 'stall']);
    const b = rankLevel('lv', xs);
    expect(b.pareto).toEqual(['cheap', 'dup-small', 'small', 'stall']);
    expect(b.entries.find((e) => e.file === 'dominated')!.pareto).toBe(false);
    expect(rankLevel('lv', [entry('f', {}, { passed: false, failedSeeds: 2 })]).pareto).toEqual([]);
  });

  it('builds histograms: one bin per value when few, equal-width bins otherwise', () => {
    expect(histogram([])).toEqual([]);
    expect(histogram([3, 1, 3, 3])).toEqual([{ lo: 1, hi: 1, count: 1 }, { lo: 3, hi: 3, count: 3 }]);
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], 4);
    expect(h).toHaveLength(4);
    expect(h.map((x) => x.count)).toEqual([11, 0, 0, 1]);
    expect(h[0]).toEqual({ lo: 0, hi: 25, count: 11 });
    expect(h[3]!.hi).toBe(100);
    const lines = histogramLines(h, fmtNum, 10);
    expect(lines[0]).toBe('  0..25 |########## 11');
    expect(lines[1]).toBe(' 25..50 |           0');
    expect(lines[3]).toBe('75..100 |#          1');
    // histograms cover passing solutions only, for every board metric but the failure metrics (0 on each of them)
    const b = rankLevel('lv', [entry('a', { cost: 1 }), entry('b', { cost: 2 }), entry('f', { cost: 3 }, { passed: false, failedSeeds: 1 })]);
    expect(b.histograms.map((x) => x.metric)).toEqual([...HISTOGRAM_METRICS]);
    for (const k of FAILURE_METRICS) expect(HISTOGRAM_METRICS).not.toContain(k);
    expect(b.histograms[0]!.bins).toEqual([{ lo: 1, hi: 1, count: 1 }, { lo: 2, hi: 2, count: 1 }]);
  });

  it('places a new result on an existing board (for the results screen)', () => {
    const b = rankLevel('lv', [entry('a', { cost: 100 }), entry('b', { cost: 200 }), entry('c', { cost: 300, hooks: 0 })]);
    const p = placeOnBoard(b, entry('me', { cost: 200 }));
    // equal on merit with b: the later submission ranks after it
    expect(p).toMatchObject({ rank: 3, of: 3, tiedWith: ['b'], pareto: false });
    expect(p.metrics.cost).toEqual({ better: 1, equal: 1, worse: 1 });
    expect(p.metrics.hooks).toEqual({ better: 1, equal: 2, worse: 0 });
    expect(placeOnBoard(b, entry('me', { cost: 50 }))).toMatchObject({ rank: 1, tiedWith: [], pareto: true });
    expect(placeOnBoard(b, entry('me', { cost: 1 }, { passed: false, failedSeeds: 1 }))).toMatchObject({ rank: 4, pareto: false });
  });
});

describe('board on a workshop folder', () => {
  let board: Board;
  beforeAll(() => {
    board = loadBoard([WORKSHOP], [LEVEL]);
  });

  it('ranks the valid solutions with ties, failures last', () => {
    expect(board.solutions).toBe(7);
    expect(board.levels.map((l) => l.level)).toEqual(['swap-pressure']);
    const rows = board.levels[0]!.entries.map((e) => [e.player, e.rank, e.tied, e.passed, e.pareto]);
    expect(rows).toEqual([
      // the fixture level's par is {hooks: 1}: three stars and one hook tie, whatever the cost
      ['ada', 1, true, true, true],
      ['bob', 1, true, true, true],
      ['dave', 1, true, true, true], // writeback passes (every zswap store faults first: dearer, not slower by the par)
      ['carol', 4, false, true, false], // two hooks: over par, two stars
      ['erin', 5, false, false, false], // failing on every seed: by hooks
      ['frank', 6, true, false, false],
      ['mallory', 6, true, false, false],
    ]);
    const lb = board.levels[0]!;
    expect(lb.ties).toHaveLength(2);
    expect(lb.ties[0]!.files.map((f) => f.slice(WORKSHOP.length + 1))).toEqual(['ada/swap-pressure--unmap.json', 'bob/swap-pressure--unmap-any.json', 'dave/swap-pressure--mainline.json']);
    const ada = lb.entries[0]!;
    expect(ada).toMatchObject({ seeds: 15, failedSeeds: 0, stars: 3, hooks: [{ site: 'ptep_clear', when: 'live' }] });
    expect(lb.entries.find((e) => e.player === 'dave')).toMatchObject({ failedSeeds: 0, passed: true });
    expect(lb.entries.find((e) => e.player === 'mallory')).toMatchObject({ failedSeeds: 15, passed: false, stars: 0 });
  });

  it('rule: the player is the folder; text output strips control sequences, JSON escapes them (not removed)', () => {
    const players = board.levels[0]!.entries.map((e) => e.player);
    expect(players).toContain('erin'); // no author: the folder
    const frank = board.levels[0]!.entries.find((e) => e.player === 'frank')!;
    expect(frank.name).toBe('kmap\u001b[2J');
    expect(frank.authorDiffers).toBe(true); // its author field is not the folder's name
    const json = JSON.stringify(boardJson(board));
    expect(json).not.toMatch(/\u001b/);
    const doc = JSON.parse(json) as { levels: { entries: { player: string; name: string; author: string | null }[] }[] };
    const fj = doc.levels[0]!.entries.find((e) => e.player === 'frank')!;
    expect(fj.name).toBe('kmap\u001b[2J');
    expect(fj.author).toBe('\u001b]0;pwned\u0007frank\u001b[31m');
    expect(boardText(board, [LEVEL])).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('lists each invalid file with its reason and skips .git, .backup and non-JSON files', () => {
    const reasons = Object.fromEntries(board.invalid.map((f) => [f.file.slice(WORKSHOP.length + 1), f.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'broken/a-level.json', 'broken/not-json.json', 'broken/not-offered.json', 'broken/old-site.json',
      'broken/sandbox.json', 'broken/unknown-field.json', 'broken/unknown-level.json',
    ]);
    expect(reasons['broken/a-level.json']).toBe('a level file, not a solution');
    expect(reasons['broken/not-json.json']).toMatch(/^not valid JSON/);
    expect(reasons['broken/not-offered.json']).toMatch(/does not offer site 'gup_fast'/);
    expect(reasons['broken/old-site.json']).toMatch(/hook site 'arch_make_page_accessible' is unknown/);
    expect(reasons['broken/sandbox.json']).toMatch(/sandbox solution/);
    expect(reasons['broken/unknown-field.json']).toBe("(top level): unknown field 'score'");
    expect(reasons['broken/unknown-level.json']).toMatch(/level 'no-such-level' is not in the campaign/);
  });

  it('prints a table, the ties, the Pareto frontier and histograms', () => {
    const text = boardText(board, [LEVEL]);
    expect(text).toMatch(/^pvlab board: 7 solutions on 1 level, 7 invalid files\n/);
    expect(text).toContain('swap-pressure: Swap under memory pressure (s390-pv, kernel 6.5, ccw; 15 seeds');
    expect(text).toMatch(/\n {2}=1 {6}ada +unmap +pass \*\*\* /);
    expect(text).toMatch(/\n {2}=1 {6}bob +unmap any +pass \*\*\* /);
    expect(text).toMatch(/\n {2}=1 {6}dave +writeback only +pass \*\*\* /);
    expect(text).toMatch(/\n {2}4 {7}carol +belt and braces +pass \*\*\. /);
    expect(text).toMatch(/\n {2}=6 {6}mallory +export early +FAIL 15\/15 +- +- /); // a failing row shows no figures
    expect(text).toContain("tie at rank 1: ada 'unmap', bob 'unmap any', dave 'writeback only' (equal on every ranking key)");
    expect(text).toContain('ranked by: stars, then hooks, then submission time');
    expect(text).toContain('    ptep_clear[live] hooks 1: 1 file (ada)');
    expect(text).toContain('    ptep_clear[any] hooks 1: ');
    expect(text).toMatch(/ {4}hooks\n +1 \|#{20} 3\n +2 \|#{7} +1\n/);
    expect(text).toContain('invalid files (not ranked):');
    // columns line up: every table row is as wide as the header up to the last metric
    const table = text.split('\n').filter((l) => /^ {2}(rank |=?\d+ )/.test(l));
    const width = table[0]!.length;
    expect(table).toHaveLength(8);
    for (const row of table) expect(row.replace(/ P$/, '').length).toBe(width);
  });

  it('rule: a failing run shows why: I/O errors, crashes and secure pages freed are in the JSON and CSV', () => {
    const doc = boardJson(board) as { levels: { entries: { player: string; passed: boolean; metrics: Record<string, number> }[] }[] };
    const rows = doc.levels[0]!.entries;
    for (const e of rows) for (const k of FAILURE_METRICS) expect(typeof e.metrics[k], `${e.player} ${k}`).toBe('number');
    // mallory exports in the aging scan: the guest imports the page back before the write
    expect(rows.find((e) => e.player === 'mallory')!.metrics.ioErrors).toBeGreaterThan(0);
    for (const e of rows.filter((x) => x.passed)) expect([e.metrics.ioErrors, e.metrics.crashes, e.metrics.freedSecure]).toEqual([0, 0, 0]);
    const head = boardCsv(board).split('\r\n')[0]!;
    for (const k of FAILURE_METRICS) expect(head).toContain(`"${k}"`);
  });

  it('verifies identical hook sets once, and takes explicit files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-board-'));
    for (const p of ['x', 'y', 'z']) {
      mkdirSync(join(dir, p));
      copyFileSync(join(WORKSHOP, 'ada/swap-pressure--unmap.json'), join(dir, p, 'copy.json'));
      utimesSync(join(dir, p, 'copy.json'), SUBMITTED, SUBMITTED);
    }
    const b = loadBoard([dir, join(WORKSHOP, 'carol/swap-pressure--belt-and-braces.json')], [LEVEL]);
    expect(b.solutions).toBe(4);
    expect(b.verified).toBe(2);
    expect(b.levels[0]!.entries.map((e) => `${e.player}:${e.rank}`)).toEqual(['x:1', 'y:1', 'z:1', 'carol:4']);
  });

  it('never crashes on odd folders: symlinks, empty files, a missing path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-board-'));
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'huge.json'), ' '.repeat(200_000));
    writeFileSync(join(dir, 'null.json'), 'null');
    symlinkSync('/etc/passwd', join(dir, 'link.json'));
    const { found, invalid } = collectSolutions([dir]);
    expect(found).toEqual([]);
    const reasons = Object.fromEntries(invalid.map((f) => [f.file.slice(dir.length + 1), f.reason]));
    expect(reasons['link.json']).toBe('symbolic link, not followed');
    expect(reasons['empty.json']).toMatch(/not valid JSON/);
    expect(reasons['huge.json']).toMatch(/more than the limit/);
    expect(reasons['null.json']).toMatch(/\(top level\)/);
    expect(() => collectSolutions([join(dir, 'missing')])).toThrow(/missing: no such file or folder/);
    // a reason quoting hostile content stays printable, in text and in --json
    writeFileSync(join(dir, 'evil.json'), JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'x', hooks: [], '\u001b]0;t\u0007\u202eevil': 1 }));
    const b = loadBoard([dir], [LEVEL]);
    const evil = b.invalid.find((f) => f.file.endsWith('evil.json'))!;
    expect(evil.reason).toBe("(top level): unknown field 'evil'");
    expect(JSON.stringify(boardJson(b))).not.toMatch(/\\u001b|\u202e/);
    expect(buildBoard([], [LEVEL])).toMatchObject({ levels: [], invalid: [], solutions: 0 });
  });
});

describe('a board a workshop can trust', () => {
  const sol = (author: string, hooks: object[], name = 'x') =>
    JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name, author, hooks });
  const unmap = [{ site: 'ptep_clear', when: 'live' }];

  function workshop(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-board-trust-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
      // one submission time for all: the order is then the merit's (and the path's)
      utimesSync(join(dir, rel), SUBMITTED, SUBMITTED);
    }
    return dir;
  }

  it('rule: impersonation is visible: folder shown, differing author marked, look-alike names marked', () => {
    const dir = workshop({
      'ada/s.json': sol('ada', unmap),
      'mallory/a.json': sol('ada', unmap, 'a'),
      'mallory/b.json': sol('\u202eada', unmap, 'b'),
      'mallory/c.json': sol('\u0430da', unmap, 'c'), // Cyrillic a
      '\u0430da/d.json': sol('\u0430da', unmap, 'd'), // a look-alike folder
      'bob/e.json': sol('bob', unmap, 'e'),
    });
    const b = loadBoard([dir], [LEVEL]).levels[0]!;
    const by = (name: string) => b.entries.find((e) => e.name === name)!;
    expect(by('x')).toMatchObject({ player: 'ada', authorDiffers: false, lookalike: true });
    expect(by('a')).toMatchObject({ player: 'mallory', author: 'ada', authorDiffers: true });
    expect(by('b')).toMatchObject({ player: 'mallory', authorDiffers: true, lookalike: true });
    expect(by('c')).toMatchObject({ player: 'mallory', authorDiffers: true, lookalike: true });
    expect(by('d')).toMatchObject({ player: '\u0430da', lookalike: true });
    expect(by('e').lookalike).toBeFalsy();
    expect(nameSkeleton('\u0430da')).toBe(nameSkeleton('ada'));
    expect(nameSkeleton('\uff41\u200bda')).toBe('ada');
    expect(nameSkeleton('bob')).not.toBe(nameSkeleton('ada'));
    const text = boardText({ levels: [b], invalid: [], solutions: 6, verified: 1, cached: 0 }, [LEVEL]);
    expect(text).toMatch(/author field says '\\u\{430\}da', not the folder/);
    expect(b.summary).toMatchObject({ solutions: 6, players: 4, approaches: 1 });
  });

  it('rule: folders that show as "ada" through control sequences, zero-width or tag characters are marked L; none reaches the terminal raw', () => {
    const tag = String.fromCodePoint(0xe0041); // an invisible Unicode tag character
    const dir = workshop({
      'ada/s.json': sol('ada', unmap, 's'),
      '\u001b[0mada/a.json': sol('', unmap, 'a'),
      'ada\u001b[0m/b.json': sol('', unmap, 'b'),
      '\u001b]0;x\u0007ada/c.json': sol('', unmap, 'c'),
      'a\u200bda/d.json': sol('', unmap, 'd'),
      [`ad${tag}a/e.json`]: sol('', unmap, 'e'),
      'bob/f.json': sol('', unmap, 'f'),
    });
    const b = loadBoard([dir], [LEVEL]).levels[0]!;
    for (const n of ['s', 'a', 'b', 'c', 'd', 'e']) expect(b.entries.find((e) => e.name === n), n).toMatchObject({ lookalike: true });
    expect(b.entries.find((e) => e.name === 'f')!.lookalike).toBeFalsy();
    const board: Board = { levels: [b], invalid: [], solutions: 7, verified: 1, cached: 0 };
    for (const out of [boardText(board, [LEVEL]), boardCsv(board), boardMarkdown(board, [LEVEL]), terminalSafeJson(boardJson(board))]) {
      expect(out).not.toMatch(/[\u001b\u0007\u200b]/);
      expect(out).not.toContain(tag);
    }
  });

  it('rule: a folder whose name is not UTF-8 is listed with its reason; files over the limit are listed, the rest ranked', () => {
    const dir = workshop({ 'ada/s.json': sol('ada', unmap, 's'), 'bob/t.json': sol('bob', unmap, 't'), 'carol/u.json': sol('carol', unmap, 'u') });
    const bad = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x66, 0xff, 0x6f])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from('/x.json')]), sol('fo', unmap));
    const { found, invalid } = collectSolutions([dir], { maxFiles: 2 });
    expect(found.map((f) => f.solution.name)).toEqual(['s', 't']);
    expect(invalid).toEqual(expect.arrayContaining([
      { file: join(dir, 'f\\xffo'), reason: 'the name is not UTF-8 text, not read (rename it)' },
      { file: join(dir, 'carol/u.json'), reason: 'over the limit of 2 files a board reads, not ranked' },
    ]));
  });

  it('rule: players/<name>/saves/... belongs to <name> (a whole workshop folder given)', () => {
    const dir = workshop({ 'players/ada/saves/s.json': sol('ada', unmap, 's'), 'players/bob/saves/t.json': sol('bob', unmap, 't') });
    expect(collectSolutions([dir]).found.map((f) => f.folder)).toEqual(['ada', 'bob']);
    expect(collectSolutions([join(dir, 'players')]).found.map((f) => f.folder)).toEqual(['ada', 'bob']);
  });

  it('rule: a folder given twice (relative and absolute, or through a symlink) counts each file once', () => {
    const dir = workshop({ 'ada/s.json': sol('ada', unmap), 'bob/t.json': sol('bob', [{ site: 'writeback' }]) });
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    const rel = relative(process.cwd(), dir);
    const b = loadBoard([dir, rel, link, join(dir, 'ada', 's.json')], [LEVEL]);
    expect(b.solutions).toBe(2);
  });

  it('rule: Pareto groups by distinct hook set; summary counts players, solved, approaches; --top keeps ties; best per player', () => {
    const files: Record<string, string> = {};
    // 20 copies of the unmap hook; 5 of writeback alone (passing, dominated: zswap faults); 5 failing
    const other = (i: number) => (i % 6 ? [{ site: 'writeback' }] : [{ site: 'reclaim_scan' }]);
    for (let i = 0; i < 30; i++) files[`p${i % 10}/s${i}.json`] = sol(`p${i % 10}`, i % 3 ? unmap : other(i), `s${i}`);
    const b = loadBoard([workshop(files)], [LEVEL]).levels[0]!;
    // the fixture's par is {hooks: 1}: both one-hook sets that pass are on the front
    expect(b.paretoGroups).toHaveLength(2);
    expect(b.paretoGroups[0]!.hooks).toEqual(unmap);
    expect(b.paretoGroups[0]!.files).toHaveLength(20);
    expect(b.paretoGroups[0]!.players).toHaveLength(10);
    expect(b.paretoGroups[1]!.hooks).toEqual([{ site: 'writeback' }]);
    expect(b.paretoGroups[1]!.files).toHaveLength(5);
    expect(b.summary).toEqual({ solutions: 30, passing: 25, players: 10, solvedBy: 10, approaches: 3, passingApproaches: 2 });
    expect(selectEntries(b, { top: 3 })).toHaveLength(25); // all 25 tie at rank 1 (three stars, one hook, one time)
    const best = selectEntries(b, { bestPerPlayer: true });
    expect(best.map((e) => e.player)).toEqual([...new Set(best.map((e) => e.player))]);
    expect(best).toHaveLength(10);
    expect(selectEntries(b, { bestPerPlayer: true, top: 2 }).length).toBe(10); // still all tied
  });

  it('rule: text fits the width; csv and markdown escape what would break them', () => {
    const dir = workshop({ 'ada/s.json': sol('=cmd|x', unmap, 'a | b "q" *x*'), 'bob/t.json': sol('bob', [{ site: 'writeback' }]) });
    const board = loadBoard([dir], [LEVEL]);
    for (const w of [60, 80, 100, 160]) {
      for (const line of boardText(board, [LEVEL], {}, w).split('\n')) expect([...line].length).toBeLessThanOrEqual(w);
    }
    const csv = boardCsv(board);
    expect(csv.split('\r\n')[0]).toMatch(/^"level","rank","tied","player","author"/);
    expect(csv).toContain('"\'=cmd|x"'); // no formula
    expect(csv).toContain('"a | b ""q"" *x*"');
    const mdText = boardMarkdown(board, [LEVEL]);
    expect(mdText).toContain('a \\| b "q" \\*x\\*');
    const json = boardJson(board, {}, '9.9.9') as { pvlab: string; levels: { title: string; par: object }[] };
    expect(json.pvlab).toBe('9.9.9');
    expect(json.levels[0]!.title).toBe(LEVEL.title);
    expect(json.levels[0]!.par).toEqual(LEVEL.par);
  });

  it('rule: verdicts are cached by pvlab version + level content: a hit skips scoring, a change misses', () => {
    const dir = workshop({ 'ada/s.json': sol('ada', unmap), 'bob/t.json': sol('bob', [{ site: 'writeback' }]) });
    const cdir = mkdtempSync(join(tmpdir(), 'pvlab-cache-'));
    const c1 = openVerdictCache('1.0.0', cdir)!;
    const b1 = loadBoard([dir], [LEVEL], { cache: c1 });
    c1.save();
    expect(b1.cached).toBe(0);
    const b2 = loadBoard([dir], [LEVEL], { cache: openVerdictCache('1.0.0', cdir)! });
    expect(b2.cached).toBe(2);
    expect(b2.levels[0]!.entries.map((e) => [e.file, e.rank, e.metrics.cost])).toEqual(b1.levels[0]!.entries.map((e) => [e.file, e.rank, e.metrics.cost]));
    expect(loadBoard([dir], [LEVEL], { cache: openVerdictCache('1.0.1', cdir)! }).cached).toBe(0);
    const changed = { ...LEVEL, seeds: { ...LEVEL.seeds, hidden: LEVEL.seeds.hidden - 1 } };
    expect(loadBoard([dir], [changed], { cache: openVerdictCache('1.0.0', cdir)! }).cached).toBe(0);
    // a damaged cache file is ignored, not trusted
    writeFileSync(c1.file, JSON.stringify({ format: 'pvlab-verdicts@1', verdicts: { ['a'.repeat(64)]: { passed: 'yes' } } }));
    expect(loadBoard([dir], [LEVEL], { cache: openVerdictCache('1.0.0', cdir)! }).cached).toBe(0);
  });

  it('rule: watchFolders calls back (debounced) on a new file, a file replaced by rename, a new folder', async () => {
    const dir = workshop({ 'ada/s.json': sol('ada', unmap) });
    let calls = 0;
    const stop = watchFolders([dir], () => { calls++; }, { debounceMs: 100, pollMs: 500 });
    const waitFor = async (n: number) => {
      for (let i = 0; i < 60 && calls < n; i++) await new Promise((r) => setTimeout(r, 50));
      expect(calls).toBeGreaterThanOrEqual(n);
    };
    try {
      writeFileSync(join(dir, 'ada', 't.json'), sol('ada', unmap, 't'));
      await waitFor(1);
      // git pull style: write elsewhere, rename over
      writeFileSync(join(dir, 'tmp'), sol('ada', [{ site: 'writeback' }]));
      renameSync(join(dir, 'tmp'), join(dir, 'ada', 's.json'));
      await waitFor(2);
      mkdirSync(join(dir, 'carol'));
      writeFileSync(join(dir, 'carol', 'c.json'), sol('carol', unmap));
      await waitFor(3);
    } finally {
      stop();
    }
  });
});

describe('--watch fits a room', () => {
  it('a board taller than the terminal shows its top and says how many lines are left', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const fit = fitRows(text, 24).split('\n').filter(Boolean);
    expect(fit).toHaveLength(23);
    expect(fit[0]).toBe('line 0');
    expect(fit[22]).toMatch(/^… 18 more lines/);
    expect(fitRows('a\nb\n', 24)).toBe('a\nb\n');
  });

  it('--pull needs --watch and a sane interval (one line, exit 2)', async () => {
    expectRefused(await pvlab(['board', WORKSHOP, '--pull', '10']), /--pull needs --watch/);
    expectRefused(await pvlab(['board', WORKSHOP, '--watch', '--pull', '1']), /--pull: give the interval in whole seconds, 5 or more/);
  });
});
