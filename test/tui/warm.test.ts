// The screens warmed off screen while the game waits for its first key (src/tui/warm.ts):
// the reducer's next states for a few likely keys, never their effects.
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/tui/state.js';
import { WARM_PATHS, warmStates } from '../../src/tui/warm.js';
import { KEYS, campaign, defaultSettings, renderApp, settle } from './helpers.js';

describe('warming the first screens', () => {
  const menu = () => initialState({ campaign: campaign(), progress: { levels: {} }, settings: defaultSettings() });

  it('draws the briefing, a hint, the board, a placed hook, help and the campaign list, in that order', () => {
    const states = warmStates(menu());
    expect(states.map((s) => `${s.screen}${s.help ? '+help' : ''}`)).toEqual(['briefing', 'briefing', 'board', 'board', 'menu+help', 'levels']);
    expect(states[1]!.hintsShown).toBe(1);
    expect(states[3]!.board).not.toEqual(states[2]!.board);
    expect(states).toHaveLength(WARM_PATHS.length);
  });

  it('runs no effect: the states it draws carry none', () => {
    for (const s of warmStates(menu())) expect(s.effects).toEqual([]);
  });

  it('a key sequence that changes nothing draws nothing', () => {
    expect(warmStates(menu(), [['left']])).toEqual([]);
  });
});

describe('warming in the game', () => {
  it('leaves the screen, the store and the keys alone: the menu stays, nothing is saved, Enter still opens the briefing', async () => {
    const app = await renderApp({}, { warm: true });
    try {
      const first = app.frame();
      for (let i = 0; i < WARM_PATHS.length + 2; i++) await settle();
      expect(app.frame()).toBe(first);
      expect(app.ports.saved).toEqual([]);
      await app.press(KEYS.enter);
      expect(app.frame()).toContain('pvlab · briefing');
    } finally {
      await app.unmount();
    }
  });
});
