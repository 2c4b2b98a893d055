// The shell's navigation, shared by the reducer (state.ts) and the screens' own modules
// (settings-screen.ts, ...): a stack of screens, effects asked for as data. Pure.
import type { Effect, Screen, State } from './state.js';

export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** The state with effects for the app to run (effects.ts) after this transition. */
export const withEffect = (s: State, ...e: Effect[]): State => ({ ...s, effects: [...s.effects, ...e] });

/** Open a screen; `back` returns to this one. */
export function go(s: State, screen: Screen): State {
  return { ...s, stack: [...s.stack, s.screen], screen, message: null };
}

/** The screen before (quit from the menu); never back into a run. */
export function back(s: State): State {
  if (s.screen === 'menu') return withEffect({ ...s, quitting: true }, { kind: 'exit' });
  const stack = s.stack.slice();
  let screen: Screen = stack.pop() ?? 'menu';
  while (screen === 'run') screen = stack.pop() ?? 'board'; // never back into a run
  // leaving a run abandons it (its frame loop stops); leaving the workshop stops watching it
  const next = { ...s, stack, screen, message: null, run: s.screen === 'run' ? null : s.run };
  return s.screen === 'workshop' ? withEffect({ ...next, workshop: null }, { kind: 'workshopClose' }) : next;
}

/** The value `d` steps from `cur` in `list`, wrapping around. */
export function cycle<T>(list: readonly T[], cur: T, d: number): T {
  const i = list.indexOf(cur);
  return list[(i + d + list.length) % list.length];
}
