// Rules changed by the issue-21 audit, each pinned with the id of its docs/model.md entry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectRefused, pvlab } from '../helpers/cli.js';
import { DEFAULT_COSTS, SITES, whenProblem, whensOn } from '../../src/sim/model.js';
import { placementCount } from '../../src/sim/analyze.js';
import { toggleHook } from '../../src/tui/state.js';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-fid21-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('[R9] destroy at teardown came with 6.0 (2022); 5.7 exported', () => {
  it('[R9] a 5.7 level refuses ptep_clear with when "live", with one line and exit 2', async () => {
    const file = join(dir, 'live.json');
    writeFileSync(file, JSON.stringify({ format: 'pvlab-solution@1', level: 'review-v4', name: 'x', author: 'x', hooks: [{ site: 'ptep_clear', when: 'live' }] }));
    const o = await pvlab(['verify', 'review-v4', '--solution', file]);
    expectRefused(o, /ptep_clear 'live' \(destroy at teardown\) needs Linux 6\.0 or later/, 'verify');
    // the same placement on a 6.5 level is accepted
    expect(whenProblem('ptep_clear', 'live', '6.5')).toBeNull();
  });

  it('[R9] on 5.7 the board and the enumeration offer only "any" for ptep_clear', () => {
    expect(whensOn('ptep_clear', '5.7')).toEqual(['any']);
    expect(whensOn('ptep_clear', '6.5')).toEqual(SITES.ptep_clear.when);
    expect(placementCount(['ptep_clear'], '5.7')).toBe(2);
    expect(placementCount(['ptep_clear'], '6.5')).toBe(3);
    expect(toggleHook([{ site: 'ptep_clear', when: 'any' }], 'ptep_clear', '5.7')).toEqual([]);
    expect(toggleHook([{ site: 'ptep_clear', when: 'any' }], 'ptep_clear', '6.5')).toEqual([{ site: 'ptep_clear', when: 'live' }]);
  });
});

describe('[Costs] the destroy price follows the one relative figure on record', () => {
  it('[Costs] a destroy costs half an export ("Destroying is about twice as fast as the export", 2020)', () => {
    expect(DEFAULT_COSTS.destroy * 2).toBe(DEFAULT_COSTS.export);
  });
});
