// No spoilers before a level is solved: the briefing, the objectives and every hint but
// the last describe the machine, the workloads and the goal, never where the hook goes
// (the board's side panel is checked in test/sim/sitefacts.test.ts and the TUI tests).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { solutionHooks, type Level } from '../../src/io/schema.js';

const root = resolve(__dirname, '../..');
const levels: Level[] = loadCampaign().map((e) => e.level);
const solution = (lv: Level, kind: 'reference' | 'naive') => {
  const file = join(root, 'test/solutions', `${lv.id}.${kind}.json`);
  return solutionHooks(loadSolutionFile(file), lv, file);
};

describe('no spoilers before the level is solved', () => {
  it.each(levels.map((l) => [l.id, l] as const))('%s: the briefing and every hint but the last name none of the sites the reference uses', (_id, lv) => {
    // a review level's proposal is on the board from the start: naming it spoils nothing
    const shown = new Set((lv.start ?? []).map((h) => h.site));
    const used = [...new Set(solution(lv, 'reference').map((h) => h.site))].filter((s) => !shown.has(s));
    const early = [lv.briefing, ...(lv.objectives ?? []), ...lv.hints.slice(0, -1)];
    // site ids that are also plain kernel words (writeback, splice, kmap) name a path, not a hook
    for (const text of early) for (const s of used.filter((x) => x.includes('_'))) expect(text, `names ${s}`).not.toMatch(new RegExp(`\\b${s}\\b`));
  });
});

describe('the hint ladder', () => {
  it.each(levels.map((l) => [l.id, l] as const))('%s: the first hint sends the player to a run (its counterexample, trace or metrics)', (_id, lv) => {
    expect(lv.hints[0]).toMatch(/\b(run|counterexample|trace|pass)/i);
  });
});
