// One scoring rule: every place that says "does this solution pass this level, with how
// many stars" gives the same answer for the same files. `pvlab verify` (in process), the
// workshop board (buildBoard) and the game's results screen (the EffectRunner's verify
// effect) score campaign references, naive solutions (failing, or passing over par), and a
// placement every seed passes but the exhaustive search fails; verdicts, stars, failing seeds and figures must agree.
// A new scorer (such as `pvlab analyze`) joins by adding an entry to SCORERS.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBoard } from '../../src/workshop/rank.js';
import { loadLevelFile, loadSolutionFile, resolveLevel } from '../../src/io/files.js';
import { solutionHooks, type Level, type Solution } from '../../src/io/schema.js';
import { PAR_METRICS, type ParMetric } from '../../src/sim/verify.js';
import { EffectRunner } from '../../src/tui/effects.js';
import type { Msg } from '../../src/tui/state.js';
import { FIXTURES, ROOT, pvlab } from '../helpers/cli.js';
import { fakePersistence } from '../tui/helpers.js';

/** What every scorer must agree on. */
interface Verdict {
  passed: boolean;
  stars: number;
  failedSeeds: number;
  seeds: number;
  metrics: Record<ParMetric, number>;
}

interface Case {
  /** how `pvlab verify` is given the level: a campaign id or a file */
  levelRef: string;
  level: Level;
  file: string;
  solution: Solution;
  /** what the case is there for */
  expect: 'pass' | 'pass over par' | 'fail' | 'seeds pass, exhaustive fails';
}

const par = (m: Record<string, number>) => Object.fromEntries(PAR_METRICS.map((k) => [k, m[k]!])) as Record<ParMetric, number>;

/** The scorers, by the name a failure shows. */
const SCORERS: Record<string, (c: Case) => Promise<Verdict>> = {
  'pvlab verify': async (c) => {
    const r = await pvlab(['verify', c.levelRef, '--solution', c.file, '--json']);
    expect(r.stderr, `verify ${c.file}`).toBe('');
    const j = JSON.parse(r.stdout);
    // the exit code is the verdict too
    expect(r.code, `verify ${c.file}: exit code`).toBe(j.passed ? 0 : 1);
    return {
      passed: j.passed, stars: j.stars, seeds: j.seeds.length,
      failedSeeds: j.seeds.filter((s: { passed: boolean }) => !s.passed).length, metrics: par(j.metrics),
    };
  },
  'pvlab board': async (c) => {
    const b = buildBoard([{ file: c.file, solution: c.solution }], [c.level]);
    expect(b.invalid, `board ${c.file}`).toEqual([]);
    const e = b.levels[0]!.entries[0]!;
    return { passed: e.passed, stars: e.stars, seeds: e.seeds, failedSeeds: e.failedSeeds, metrics: par(e.metrics) };
  },
  'results screen': async (c) => {
    const msgs: Msg[] = [];
    const runner = new EffectRunner({
      ports: fakePersistence(), dispatch: (m) => msgs.push(m), exit: () => {}, defer: (fn) => fn(),
    });
    runner.run({ kind: 'verify', runId: 1, level: c.level, hooks: solutionHooks(c.solution, c.level, c.file) });
    const m = msgs.find((x) => x.type === 'verified' || x.type === 'error');
    if (m?.type !== 'verified') throw new Error(`results screen: ${JSON.stringify(m)}`);
    const v = m.result;
    return {
      passed: v.passed, stars: v.stars, seeds: v.seeds.length, failedSeeds: v.seeds.filter((s) => !s.passed).length,
      metrics: par(v.metrics),
    };
  },
};

function campaignCase(levelId: string, kind: 'reference' | 'naive', expected: Case['expect']): Case {
  const file = join(ROOT, 'test/solutions', `${levelId}.${kind}.json`);
  return { levelRef: levelId, level: resolveLevel(levelId).level, file, solution: loadSolutionFile(file), expect: expected };
}

function fixtureCase(solution: string, expected: Case['expect']): Case {
  const levelFile = join(FIXTURES, 'scoring/lucky-seeds.json');
  const file = join(FIXTURES, 'scoring', solution);
  return { levelRef: levelFile, level: loadLevelFile(levelFile), file, solution: loadSolutionFile(file), expect: expected };
}

const CASES: Case[] = [
  campaignCase('swap-pressure', 'reference', 'pass'),
  // the generic writeback hook keeps the disk safe, but every zswap store faults first
  campaignCase('swap-pressure', 'naive', 'pass over par'),
  campaignCase('sendfile-hole', 'reference', 'pass'),
  campaignCase('sendfile-hole', 'naive', 'fail'),
  // a level that declares a small machine: seeds and the exhaustive search both count
  campaignCase('before-busy', 'reference', 'pass'),
  campaignCase('before-busy', 'naive', 'fail'),
  fixtureCase('lucky-seeds--after-the-mark.json', 'pass'),
  fixtureCase('lucky-seeds--early.json', 'seeds pass, exhaustive fails'),
];

describe('one scoring rule: verify, the board and the results screen agree', () => {
  for (const c of CASES) {
    it(`${basename(c.file)} on ${c.level.id}: ${c.expect}`, async () => {
      const verdicts: [string, Verdict][] = [];
      for (const [name, score] of Object.entries(SCORERS)) verdicts.push([name, await score(c)]);
      const [firstName, first] = verdicts[0]!;
      for (const [name, v] of verdicts.slice(1)) expect(v, `${name} vs ${firstName}`).toEqual(first);

      // and the agreed verdict is the one the case is there for
      const passes = c.expect === 'pass' || c.expect === 'pass over par';
      expect(first.passed).toBe(passes);
      if (passes) expect(first.stars).toBeGreaterThan(0);
      else expect(first.stars).toBe(0);
      // over par costs a star
      if (c.expect === 'pass over par') expect(first.stars).toBeLessThan(3);
      if (c.expect === 'seeds pass, exhaustive fails') expect(first.failedSeeds).toBe(0);
      if (c.expect === 'fail') expect(first.failedSeeds).toBeGreaterThan(0);
    });
  }
});
