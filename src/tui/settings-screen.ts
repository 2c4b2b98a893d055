// The settings screen: its items and what its keys do (the view is SettingsView in
// screens.tsx, the registry entry in registry.tsx). The cursor is State.cursor.settings;
// a text item opens the shell's text field, whose submission state.ts handles.
import { ANIMATION_MODES, COLOR_MODES, FOG_MODES } from '../io/setting-modes.js';
import type { Action as KeyAction } from './keymap.js';
import { clamp, cycle, withEffect } from './nav.js';
import type { State } from './state.js';

export const SETTINGS_ITEMS = ['color', 'animation', 'playerName', 'savesDir', 'workshopDir', 'fog'] as const;

export function settingsKey(s: State, a: KeyAction): State {
  const n = SETTINGS_ITEMS.length;
  const c = s.cursor.settings;
  switch (a) {
    case 'up': return { ...s, cursor: { ...s.cursor, settings: clamp(c - 1, 0, n - 1) } };
    case 'down': return { ...s, cursor: { ...s.cursor, settings: clamp(c + 1, 0, n - 1) } };
    case 'toggle': case 'select': {
      const item = SETTINGS_ITEMS[c];
      if (item === 'color') return withEffect(s, { kind: 'settings', patch: { color: cycle(COLOR_MODES, s.settings.color, 1) } });
      if (item === 'animation') return withEffect(s, { kind: 'settings', patch: { animation: cycle(ANIMATION_MODES, s.settings.animation, 1) } });
      if (item === 'fog') return withEffect(s, { kind: 'settings', patch: { fog: cycle(FOG_MODES, s.settings.fog ?? 'auto', 1) } });
      return { ...s, text: { purpose: item, value: s.settings[item] } };
    }
    default: return s;
  }
}
