// The projector screen: one level of the workshop board a screen, large and aligned (the
// view is projector-view.tsx), j/k scrolling, the levels cycling on a timer, and the
// countdown to the round's deadline. The timer is the app's clock: it sends `tick`
// messages with the time (app.tsx, while a workshop screen is open); this reducer only
// reads the time it is given, so it stays pure. The board's data is State.workshop (the
// workshop board screen's slice: the projector and the standings show the same board).
import type { Action as KeyAction } from './keymap.js';
import { bodySize } from './layout.js';
import { back, clamp, go, withEffect } from './nav.js';
import type { State, WorkshopView } from './state.js';
import { openStandings } from './standings-screen.js';

/** How long the projector shows a level before it moves on to the next one. */
export const CYCLE_MS = 20_000;

/** Lines of the projector's body around its rows: title, par, blank, column heads, the "more" line. */
const CHROME = 5;

/** How many entries the projector shows on a body of `height` lines; spaced (a blank line between rows) when they all fit so. */
export function projectorRows(height: number, entries: number): { rows: number; spaced: boolean } {
  const room = Math.max(1, height - CHROME);
  if (entries > 0 && entries * 2 - 1 <= room) return { rows: entries, spaced: true };
  return { rows: room, spaced: false };
}

/** The last first-row of the projector's table on this terminal. */
export function projectorMaxScroll(s: State): number {
  const w = s.workshop;
  const n = w?.board?.levels[w.level]?.entries.length ?? 0;
  return Math.max(0, n - projectorRows(bodySize(s.size, 'projector').height, n).rows);
}

/** Whether the app's clock runs: a workshop screen is open (the countdown, the projector's cycle). */
export function clockOn(s: State): boolean {
  return !!s.workshop && (s.screen === 'workshop' || s.screen === 'projector' || s.screen === 'standings');
}

const withView = (s: State, w: WorkshopView): State => ({ ...s, workshop: w });

export function openProjector(s: State): State {
  const w = s.workshop;
  if (!w) return s;
  return withView(go(s, 'projector'), { ...w, scroll: 0, cycleAt: w.now !== null ? w.now + CYCLE_MS : null });
}

/** Another level on the projector: from its first row, the cycle's timer starts again. */
function toLevel(w: WorkshopView, d: number): WorkshopView {
  const n = w.board?.levels.length ?? 0;
  if (!n) return w;
  return { ...w, level: (w.level + d + n) % n, scroll: 0, cycleAt: w.now !== null ? w.now + CYCLE_MS : null };
}

/** The clock: the time now; on the projector, the next level when the cycle's time has come. */
export function clockTick(s: State, now: number): State {
  const w = s.workshop;
  if (!w) return s;
  const next: WorkshopView = { ...w, now };
  if (s.screen !== 'projector' || !w.cycle || (w.board?.levels.length ?? 0) < 2) return withView(s, { ...next, cycleAt: null });
  if (next.cycleAt === null) return withView(s, { ...next, cycleAt: now + CYCLE_MS });
  return withView(s, now >= next.cycleAt ? toLevel(next, 1) : next);
}

/** R: show (or hide again) a sealed workshop's hook sets and names; only where the trainer's key is. */
export function revealKey(s: State): State {
  const w = s.workshop;
  const b = w?.board;
  if (!w || !b) return s;
  if (!b.sealed && !b.hidden) return { ...s, message: 'nothing is sealed here: every name is shown' };
  if (!b.canReveal) return { ...s, message: "only the trainer's machine (with the workshop's key) can reveal the board" };
  const reveal = !w.reveal;
  return withEffect({ ...withView(s, { ...w, reveal }), message: reveal ? 'revealing hook sets and solution names…' : 'hiding hook sets and solution names…' },
    { kind: 'workshopReveal', reveal });
}

export function projectorKey(s: State, a: KeyAction): State {
  const w = s.workshop;
  if (!w) return s;
  switch (a) {
    case 'left': return withView(s, toLevel(w, -1));
    case 'right': return withView(s, toLevel(w, 1));
    case 'up': return withView(s, { ...w, scroll: clamp(Math.min(w.scroll, projectorMaxScroll(s)) - 1, 0, projectorMaxScroll(s)) });
    case 'down': return withView(s, { ...w, scroll: clamp(w.scroll + 1, 0, projectorMaxScroll(s)) });
    case 'cycle': {
      const cycle = !w.cycle;
      return { ...withView(s, { ...w, cycle, cycleAt: cycle && w.now !== null ? w.now + CYCLE_MS : null }), message: cycle ? `cycling through the levels every ${CYCLE_MS / 1000} s` : 'cycling paused' };
    }
    case 'projector': return back(s);
    case 'standings': return openStandings(s);
    case 'reveal': return revealKey(s);
    default: return s;
  }
}
