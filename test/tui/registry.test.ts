// The screen registry is complete by construction: every screen id has its entry, its key
// contexts, and a help overlay that lists every one of their keys (the help once listed
// none on My solutions and Import).
import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/tui/app.js';
import { CONTEXT_TITLES, KEYMAP, keyLabel, type Context } from '../../src/tui/keymap.js';
import { SCREENS } from '../../src/tui/registry.js';
import { SCREEN_IDS, initialState, keyContext } from '../../src/tui/state.js';
import { campaign, defaultSettings } from './helpers.js';

const CONTEXTS = Object.keys(KEYMAP) as Context[];

describe('the screen registry', () => {
  it('has one entry per screen id, each with a title and a view', () => {
    expect(Object.keys(SCREENS).sort()).toEqual([...SCREEN_IDS].sort());
    for (const id of SCREEN_IDS) {
      expect(SCREENS[id].title, id).toMatch(/\S/);
      expect(typeof SCREENS[id].view, id).toBe('function');
      expect(SCREENS[id].contexts.length, id).toBeGreaterThan(0);
    }
  });

  it("puts a screen's own key context among its contexts", () => {
    const base = initialState({ campaign: campaign(), progress: { levels: {} }, settings: defaultSettings() });
    for (const id of SCREEN_IDS) {
      const ctx = keyContext({ ...base, screen: id, text: null, results: null });
      expect(SCREENS[id].contexts, id).toContain(ctx);
    }
  });

  it.each(SCREEN_IDS)('help on %s lists every key of every context', (id) => {
    const text = helpLines(SCREENS[id].contexts[0]!, 400).map((l) => l.text).join('\n');
    for (const c of CONTEXTS) {
      expect(text, `${id}: heading of ${c}`).toContain(CONTEXT_TITLES[c]);
      for (const b of KEYMAP[c]) expect(text, `${id}: ${c} ${b.label}`).toContain(`${b.keys.map(keyLabel).join('/').padEnd(13)} ${b.label}`);
    }
  });
});
