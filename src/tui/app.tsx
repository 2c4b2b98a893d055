// The app shell: one reducer for everything, the keymap adapter, the effect runner, the
// frame loop of a run, the screen frame (title, body, message, key hints), the help overlay
// and the too-small screen.
import { Box, Text, renderToString, useApp, useInput, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import { sanitizeLine } from '../io/sanitize.js';
import { EffectRunner } from './effects.js';
import { CONTEXT_TITLES, KEYMAP, keyLabel, keyNames, type Context } from './keymap.js';
import { bodySize, hintLines, wrapWords } from './layout.js';
import type { Persistence } from './ports.js';
import { SCREENS } from './registry.js';
import { levelTitle } from './screens.js';
import { SPEEDS, colorOn, initialState, keyContext, nextLevel, reduce, type Init, type State } from './state.js';
import { T, ThemeContext } from './theme.js';
import { warmStates } from './warm.js';
import { clockOn } from './projector-screen.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;
/** Frame period of an animated run (~30 fps). */
export const FRAME_MS = 33;

export type { Size } from './layout.js';
import type { Size } from './layout.js';

/** Timing probe: the launcher measures keypress-to-frame latency with it. */
export interface Probe {
  /** when the last key's handler ran (performance.now()), until a frame shows it */
  keyAt: number | null;
  /** that key's name and the screen it was pressed on */
  key?: string;
  screen?: string;
}

export interface AppProps {
  init: Init;
  /** a promise at start-up: the store loads after the first frame */
  ports: Persistence | PromiseLike<Persistence>;
  /** fixed size (tests); otherwise the terminal's, following resizes */
  size?: Size;
  probe?: Probe;
  /** called once when the player quits (before Ink unmounts) */
  onExit?: () => void;
  /** draw the first screens a player opens off screen while waiting for the first key (warm.ts); the launcher sets it */
  warm?: boolean;
}

function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/**
 * Every binding as lines of at most `width` columns: the context under the overlay first,
 * then the global keys. A long description wraps under itself (never into the next
 * section); a section heading never ends a column.
 */
export function helpLines(first: Context, width = 48): { text: string; head: boolean }[] {
  const order = ([first, 'global', ...Object.keys(CONTEXT_TITLES)] as Context[])
    .filter((c, i, all) => all.indexOf(c) === i);
  const pad = ' '.repeat(16);
  return order.flatMap((c) => [
    { text: CONTEXT_TITLES[c], head: true },
    ...KEYMAP[c].flatMap((b) => wrapWords(`  ${b.keys.map(keyLabel).join('/').padEnd(13)} ${b.label}`, width, pad).map((text) => ({ text, head: false }))),
  ]);
}

const HELP_INTRO = 'Place hooks so no device ever sees a secure page, at the least cost. Marks: o on the path · ● hook · X failed here · ✓ ok · ✗ failed.';

/** The help's columns: `lines` cut into columns of `colH` rows, a heading never last in one. */
export function helpColumns<X extends { head: boolean }>(lines: readonly X[], colH: number): X[][] {
  const cols: X[][] = [];
  let i = 0;
  while (i < lines.length) {
    let end = Math.min(lines.length, i + colH);
    while (end - 1 > i && end < lines.length && lines[end - 1]!.head) end--;
    cols.push(lines.slice(i, end));
    i = end;
  }
  return cols;
}

export function HelpOverlay({ width, height, page, first }: { width: number; height: number; page: number; first: Context }) {
  const inner = width - 4;
  const colW = Math.floor((inner - 2) / 2);
  const intro = wrapWords(HELP_INTRO, inner);
  const cols = helpColumns(helpLines(first, colW), Math.max(4, height - 3 - intro.length));
  const pages = Math.max(1, Math.ceil(cols.length / 2));
  const p = page % pages;
  const col = (c: { text: string; head: boolean }[] | undefined) => (
    <Box flexDirection="column" width={colW}>
      {(c ?? []).map((l, i) => (
        l.head ? <T key={i} bold role="accent">{l.text}</T> : <Text key={i}>{l.text}</Text>
      ))}
    </Box>
  );
  return (
    <Box flexDirection="column" width={width} borderStyle="double" paddingX={1}>
      <T bold wrap="truncate">{`Help: every key · page ${p + 1}/${pages} (↓ next page, ? or esc closes)`}</T>
      <Text>{intro.join('\n')}</Text>
      <Box>
        {col(cols[p * 2])}
        <Box width={2} />
        {col(cols[p * 2 + 1])}
      </Box>
    </Box>
  );
}

export function TooSmall({ size }: { size: Size }) {
  return (
    <Box flexDirection="column" padding={1}>
      <Text bold>pvlab needs a terminal of at least {MIN_COLUMNS}x{MIN_ROWS}.</Text>
      <Text>This one is {size.columns}x{size.rows}. Make the window bigger and the game comes back.</Text>
      <Text>(q or ctrl+c quits)</Text>
    </Box>
  );
}

export function App({ init, ports, size: fixed, probe, onExit, warm }: AppProps) {
  const size = useTerminalSize(fixed);
  const [s, dispatch] = useReducer(reduce, { ...init, size }, initialState);
  const { exit } = useApp();
  useEffect(() => {
    if (s.size.columns !== size.columns || s.size.rows !== size.rows) dispatch({ type: 'resize', size });
  }, [size.columns, size.rows]);
  const runner = useRef<EffectRunner | null>(null);
  runner.current ??= new EffectRunner({
    ports, dispatch,
    exit: () => { onExit?.(); exit(); },
    defer: (fn) => { setTimeout(fn, 0); },
  });

  const small = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  const smallRef = useRef(small);
  smallRef.current = small;
  const screenRef = useRef(s.screen);
  screenRef.current = s.screen;
  useInput((input, key) => {
    const names = keyNames(input, key);
    if (probe) Object.assign(probe, { keyAt: performance.now(), key: names[names.length - 1], screen: screenRef.current });
    if (smallRef.current) { // only quitting makes sense on the too-small screen
      if (names.includes('q') || names.includes('escape')) runner.current!.run({ kind: 'exit' });
      return;
    }
    for (const name of names) dispatch({ type: 'input', name, text: name === 'escape' && names.length > 1 ? '' : input });
  });

  // effects asked for by the reducer: take them, then run them in order
  useEffect(() => {
    if (!s.effects.length) return;
    const todo = s.effects;
    dispatch({ type: 'effectsTaken', count: todo.length });
    for (const e of todo) runner.current!.run(e);
  }, [s.effects]);

  // the frame loop of an animated run: a few scheduler choices per frame, never blocking input
  const r = s.run;
  const looping = s.screen === 'run' && !!r && r.phase === 'running' && !r.paused && !!r.snap && !r.snap.done;
  const reduced = s.settings.animation === 'reduced';
  const perFrame = Math.max(1, Math.round(SPEEDS[r?.speed ?? 0] * s.settings.animationSpeed * (reduced ? 3 : 1)));
  useEffect(() => {
    if (!looping || !r) return;
    const id = r.id;
    const t = setInterval(() => {
      const snap = runner.current!.frame(id, perFrame);
      if (snap) dispatch({ type: 'runFrame', runId: id, snap });
    }, reduced ? FRAME_MS * 3 : FRAME_MS);
    return () => clearInterval(t);
  }, [looping, r?.id, perFrame, reduced]);

  // the clock of the workshop screens (the countdown, the projector's cycle): the reducer is
  // given the time, it never reads a clock (projector-screen.ts)
  const clock = clockOn(s);
  useEffect(() => {
    if (!clock) return;
    dispatch({ type: 'tick', now: Date.now() });
    const t = setInterval(() => dispatch({ type: 'tick', now: Date.now() }), 1000);
    return () => clearInterval(t);
  }, [clock]);

  // the screens a first key leads to, drawn off screen once, one per tick (warm.ts)
  useEffect(() => {
    if (!warm || small) return;
    let todo: State[] | null = null; // worked out in the first tick, not during the first frame's commit
    let t: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      todo ??= warmStates(s);
      const w = todo.shift();
      if (!w) return;
      renderToString(<ThemeContext.Provider value={{ color: colorOn(w) }}><Frame s={w} size={size} /></ThemeContext.Provider>, { columns: size.columns });
      t = setTimeout(next, 0);
    };
    t = setTimeout(next, 0);
    return () => clearTimeout(t);
  }, [warm]);

  return (
    <ThemeContext.Provider value={{ color: colorOn(s) }}>
      {small ? <TooSmall size={size} /> : <Frame s={s} size={size} />}
    </ThemeContext.Provider>
  );
}

function Frame({ s, size }: { s: State; size: Size }) {
  const width = size.columns;
  // one line short of the terminal: Ink redraws the whole screen when output fills it
  const height = size.rows - 1;
  const ctx = keyContext(s);
  // no `n next level` where there is none (after the last level, in the sandbox)
  const hints = hintLines(ctx, width, 2, s.screen === 'results' && !nextLevel(s) ? ['next'] : []);
  const bodyH = bodySize(size, ctx).height;
  const def = SCREENS[s.screen];
  const View = def.view;
  const title = `pvlab · ${def.title}`;
  const lv = def.aboutLevel ? levelTitle(s.level) : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box justifyContent="space-between" width={width}>
        <T role="title" bold>{title}</T>
        <T role="dim" wrap="truncate">{lv}</T>
      </Box>
      <Box height={bodyH} overflowY="hidden" flexDirection="column">
        {/* no shrinking: content taller than the body is cut at the bottom, never squeezed */}
        <Box flexDirection="column" flexShrink={0} width={width}>
          {s.help ? <HelpOverlay width={width} height={bodyH} page={s.helpPage} first={s.helpFor} /> : <View s={s} width={width} height={bodyH} />}
        </Box>
      </Box>
      {/* messages quote names from share codes, saves and files: printable only */}
      <T role={s.message ? 'warn' : 'dim'} wrap="truncate">{s.message ? `» ${sanitizeLine(s.message)}` : ' '}</T>
      <T role="dim">{hints.join('\n')}</T>
    </Box>
  );
}
