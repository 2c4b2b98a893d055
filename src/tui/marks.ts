// Start-up phase marks (ms since the process started), for `pvlab bench --startup`: the
// CLI, the start-up module and the game's bundle are separate files, so the marks live on
// one global array that each of them appends to. Cheap enough to record on every start.

type Mark = [phase: string, ms: number];
const KEY = Symbol.for('pvlab.startupMarks');
const store = globalThis as unknown as Record<symbol, Mark[] | undefined>;

/** Record that `phase` was reached now. */
export function mark(phase: string): void {
  (store[KEY] ??= []).push([phase, Math.round(performance.now() * 10) / 10]);
}

/** The phases reached so far, in order. */
export function startupMarks(): Mark[] {
  return [...(store[KEY] ?? [])];
}
