// The standings screen: the players of the workshop board ranked across its levels (levels
// solved, stars, rank sum; src/workshop/rank.ts `standings`, the CLI's rule), with the
// round and its countdown. The view is standings-view.tsx; the data is State.workshop.
import type { Action as KeyAction } from './keymap.js';
import { bodySize } from './layout.js';
import { back, clamp, go, withEffect } from './nav.js';
import type { State } from './state.js';

/** Lines of the standings' body around its rows: title, round, blank, column heads, the "more" line. */
const CHROME = 5;

export function standingsRows(height: number): number {
  return Math.max(1, height - CHROME);
}

export function standingsMaxScroll(s: State): number {
  const n = s.workshop?.board?.standings.length ?? 0;
  return Math.max(0, n - standingsRows(bodySize(s.size, 'standings').height));
}

export function openStandings(s: State): State {
  return s.workshop ? { ...go(s, 'standings'), workshop: { ...s.workshop, standScroll: 0 } } : s;
}

export function standingsKey(s: State, a: KeyAction): State {
  const w = s.workshop;
  if (!w) return s;
  const max = standingsMaxScroll(s);
  switch (a) {
    case 'up': return { ...s, workshop: { ...w, standScroll: clamp(Math.min(w.standScroll, max) - 1, 0, max) } };
    case 'down': return { ...s, workshop: { ...w, standScroll: clamp(w.standScroll + 1, 0, max) } };
    // from the projector: back to it; from the board: on to it (its cycle starts with the next tick)
    case 'projector': return s.stack[s.stack.length - 1] === 'projector' ? back(s) : { ...go(s, 'projector'), workshop: { ...w, scroll: 0, cycleAt: null } };
    case 'retry': return w.dir ? withEffect(s, { kind: 'workshopRescan' }) : s;
    default: return s;
  }
}
