// Levels beside the campaign: a level file given to `pvlab play`, or the workshop's levels/,
// is a chapter of its own in the game, open from the start; `pvlab patch` finds a custom
// level kept beside the solution without --level; a bad level file is one line, exit 2.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withCustomChapter, CUSTOM_CHAPTER_TITLE } from '../../src/tui/custom-levels.js';
import { initialState, isUnlocked } from '../../src/tui/state.js';
import { expectRefused, pvlab } from '../helpers/cli.js';
import { FIXTURE_LEVELS, KEYS, campaign, defaultSettings, renderApp, tempDir, type Rendered } from './helpers.js';

let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

const fixtureLevel = () => JSON.parse(readFileSync(join(FIXTURE_LEVELS, '01-swap.json'), 'utf8')) as Record<string, unknown>;

describe('custom levels in the game', () => {
  it('rule: a chapter of their own after the campaign, open from the start, never reusing a campaign id', () => {
    const [base] = campaign();
    const mine = { ...base!, id: 'my-level', title: 'My level', chapter: 1 };
    const r = withCustomChapter(campaign(), [mine]);
    if ('clash' in r) throw new Error('no clash expected');
    expect(r.customIds).toEqual(['my-level']);
    const last = r.campaign[r.campaign.length - 1]!;
    expect(last).toMatchObject({ id: 'my-level', chapter: base!.chapter + 1, chapterTitle: CUSTOM_CHAPTER_TITLE, optional: true });
    const s = initialState({ campaign: r.campaign, customIds: r.customIds, progress: { levels: {} }, settings: defaultSettings() });
    expect(isUnlocked(s, r.campaign.length - 1)).toBe(true); // the campaign's level is unsolved
    expect(withCustomChapter(campaign(), [{ ...base! }])).toEqual({ clash: base!.id });
  });

  it('rule: `pvlab play <file>` opens its briefing; the level list shows the custom chapter', async () => {
    const [base] = campaign();
    const r = withCustomChapter(campaign(), [{ ...base!, id: 'my-level', title: 'My very own level' }]);
    if ('clash' in r) throw new Error('no clash expected');
    app = await renderApp({ campaign: r.campaign, customIds: r.customIds, startLevel: 'my-level' });
    expect(app.frame()).toContain('pvlab · briefing');
    expect(app.frame()).toContain('My very own level');
    await app.press(KEYS.escape);
    const f = app.frame();
    expect(f).toContain(`Chapter 2: ${CUSTOM_CHAPTER_TITLE}`);
    expect(f).toMatch(/My very own level/);
    expect(f).not.toMatch(/×[^\n]*My very own level/); // not locked
  });
});

describe('custom levels on the command line', () => {
  it('rule: patch finds a custom level kept beside the solution (or in levels/ above it) without --level', async () => {
    const dir = tempDir('pvlab-custom-');
    mkdirSync(join(dir, 'levels'));
    mkdirSync(join(dir, 'saves'));
    writeFileSync(join(dir, 'levels', 'mine.json'), JSON.stringify({ ...fixtureLevel(), id: 'my-level', title: 'My level' }));
    const sol = join(dir, 'saves', 'my-level--unmap.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'my-level', name: 'unmap', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'live' }] }));
    const r = await pvlab(['patch', sol, '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ level: 'my-level', passed: true });
    // a solution of a level that is nowhere: refused as before
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'no-such-level', name: 'x', author: 'ada', hooks: [] }));
    expectRefused(await pvlab(['patch', sol], { cwd: dir }), /unknown level 'no-such-level'/);
  });

  it('rule: `pvlab play <file>` reads the level file first: a bad one is one line, exit 2', async () => {
    const dir = tempDir('pvlab-custom-');
    expectRefused(await pvlab(['play', join(dir, 'missing.json')]), /missing\.json/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...fixtureLevel(), chapter: 'one' }));
    expectRefused(await pvlab(['play', join(dir, 'bad.json')]), /bad\.json.*chapter/);
  });
});
