// Hostile text in the game: a campaign level and a share code full of terminal
// sequences, and a terminal resized to tiny and back in the middle of an animated run.
// Every frame the game draws must be free of anything a terminal acts on (colours are
// off here, so the frames hold no escape sequence of Ink's own either).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelSchema, SolutionSchema, type Level } from '../../src/io/schema.js';
import { KEYS, campaign, defaultSettings, fakePersistence, renderApp, settle, type Rendered } from '../tui/helpers.js';
import { UNSAFE } from './helpers.js';

const { down, enter, right, space } = KEYS;
const ESC = '\u001b';
const NASTY = `${ESC}]0;pwned\u0007${ESC}[2J${ESC}[H\u009b31m\u202eevil\u202c${ESC}[8mhidden${ESC}[0m`;

let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

const settings = () => ({ ...defaultSettings(), color: 'never' as const, animation: 'off' as const });

function expectCleanFrames(r: Rendered): void {
  for (const f of [...r.frames, r.frame()]) {
    const bad = UNSAFE.exec(f);
    expect(bad, bad ? `U+${bad[0].charCodeAt(0).toString(16)} in frame:\n${f}` : '').toBeNull();
  }
}

/** The fixture campaign's first level with every text field hostile. */
function hostileLevel(): Level {
  const [lv] = campaign();
  const file = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/hostile/levels/escapes-everywhere.json', import.meta.url)), 'utf8'));
  return LevelSchema.parse({
    ...lv,
    title: file.title, chapterTitle: file.chapterTitle, briefing: file.briefing, objectives: file.objectives,
    hints: [...file.hints, `third ${NASTY}`], epilogue: file.epilogue,
  });
}

describe('hostile text in the game', () => {
  it('a level with escapes in every text field: menu, campaign, briefing and hints are drawn clean', async () => {
    const lv = hostileLevel();
    const ports = fakePersistence({ settings: settings() });
    app = await renderApp({ campaign: [lv], settings: settings() }, { ports, size: { columns: 100, rows: 40 } });
    expect(app.frame()).toContain('Title with OSC');
    await app.press(enter); // briefing
    await app.press('h', 'h', 'h');
    const f = app.frame();
    expect(f).toContain('Briefing');
    expect(f).toContain('hidden'); // concealed text is shown, not hidden
    await app.press(KEYS.escape, down, enter); // the campaign list
    expectCleanFrames(app);
  });

  it('a share code whose solution name and author are hostile: loaded, and the message line is clean', async () => {
    const [lv] = campaign();
    const ports = fakePersistence({ settings: settings() });
    const code = ports.encodeShare(SolutionSchema.parse({
      format: 'pvlab-solution@1', level: lv!.id, name: `shared ${NASTY}`, author: NASTY, hooks: [{ site: lv!.sites[0] }],
    }));
    app = await renderApp({ settings: settings() }, { ports });
    await app.menuTo('import');
    await app.press(enter);
    expect(app.frame()).toContain('Import a share code');
    await app.type(code);
    await app.press(enter);
    expect(app.frame()).toContain(`hooks (1): ${lv!.sites[0]}`);
    expect(app.frame()).toMatch(/loaded 'shared evilhidden'/);
    expectCleanFrames(app);
  });

  it('a terminal resized to tiny and back in the middle of an animated run: no crash, the run goes on', async () => {
    const ports = fakePersistence({ settings: { ...settings(), animation: 'full' } });
    app = await renderApp({ settings: { ...settings(), animation: 'full' } }, { ports, size: { columns: 100, rows: 30 } });
    await app.press(enter, enter); // briefing, board
    await app.press(right, right, space, 'r');
    await settle(50);
    expect(app.frame()).toContain('pvlab · run');
    for (const size of [{ columns: 20, rows: 5 }, { columns: 1, rows: 1 }, { columns: 79, rows: 23 }, { columns: 120, rows: 40 }]) {
      await app.rerender(size);
      await settle(30);
      if (size.columns < 80 || size.rows < 24) expect(app.frame()).toContain('pvlab needs a terminal of at least 80x24');
      else expect(app.frame()).toContain('pvlab · run');
    }
    await app.press(enter); // to the results (an unfinished run is run to its end first)
    await settle(50);
    expectCleanFrames(app);
  });
});
