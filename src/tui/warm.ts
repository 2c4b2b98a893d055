// Warming the screens a player opens first. The first time a screen is drawn, its
// components and the parts of Ink they use run cold (compiled on first call): the first
// Enter on the menu took ~30 ms to its frame, the same key later ~5 ms. While the game waits
// for the first key, it draws the screens a few likely keys lead to, off screen (Ink's
// renderToString), one per timer tick so that a key pressed meanwhile waits for at most
// one of them. Only the reducer's next states are drawn: no effect runs, nothing is written.
import { reduce, type State } from './state.js';

/** Key sequences from the menu whose screens are worth warming, in the order a player meets them. */
export const WARM_PATHS: readonly (readonly string[])[] = [
  ['enter'], // Continue: the briefing
  ['enter', 'h'], // a hint
  ['enter', 'enter'], // the board
  ['enter', 'enter', 'right', 'space'], // a hook placed
  ['?'], // help
  ['down', 'enter'], // the campaign list
];

/** The states those keys lead to from `s` (the menu); the same state twice is drawn once. */
export function warmStates(s: State, paths: readonly (readonly string[])[] = WARM_PATHS): State[] {
  const out: State[] = [];
  for (const keys of paths) {
    const next = keys.reduce((acc, name) => reduce(acc, { type: 'input', name, text: name.length === 1 ? name : '' }), s);
    if (next !== s && !out.includes(next)) out.push({ ...next, effects: [] });
  }
  return out;
}
