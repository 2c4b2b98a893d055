// The review of every campaign reference solution: what is true of a placement that passes
// every par. Its own file (a review per level, the slowest part of the patch tests): the
// two test workers run it beside test/patch/patch.test.ts instead of after it.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { solutionHooks } from '../../src/io/schema.js';
import { reviewPlacement } from '../../src/patch/index.js';

const SOLUTIONS = join(resolve(__dirname, '../..'), 'test/solutions');
const campaign = loadCampaign().map((e) => e.level);
const byId = new Map(campaign.map((l) => [l.id, l]));

function solution(id: string, kind: 'naive' | 'reference') {
  const file = join(SOLUTIONS, `${id}.${kind}.json`);
  return { hooks: solutionHooks(loadSolutionFile(file), byId.get(id)!, file) };
}

describe('review rules: the campaign references', () => {
  it('a placement that passes every par gets no warning or error (every campaign reference); its nits are kmap\'s and kept hunks\' only', () => {
    for (const id of campaign.map((l) => l.id)) {
      const r = reviewPlacement(byId.get(id)!, solution(id, 'reference').hooks);
      expect(r.passed, id).toBe(true);
      expect(r.findings.filter((f) => f.severity !== 'nit'), id).toEqual([]);
      // what is true of the references today: kmap cannot fail (a nit on s390, where the
      // export never fails), and a posted patch's hunk kept on a review level (changes par)
      for (const f of r.findings) {
        expect(f.rule === 'cannot-fail' ? f.function : f.rule, id).toMatch(f.rule === 'cannot-fail' ? /^kmap/ : /^never-reached$/);
        if (f.rule === 'never-reached') expect(byId.get(id)!.start, id).toBeDefined();
      }
    }
  });

});
