// Colours as roles, off under NO_COLOR / --no-color. Colour only ever doubles a symbol or
// a word: every state also reads in monochrome (✓ ✗ ! [locked] ...).
import { Text } from 'ink';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

export type Role = 'ok' | 'bad' | 'warn' | 'accent' | 'dim' | 'title' | 'plain';

const COLORS: Record<Role, string | undefined> = {
  ok: 'green', bad: 'red', warn: 'yellow', accent: 'cyan', dim: 'gray', title: 'magenta', plain: undefined,
};

export const ThemeContext = createContext<{ color: boolean }>({ color: true });

export function useColor(): boolean {
  return useContext(ThemeContext).color;
}

interface TProps {
  role?: Role;
  bold?: boolean;
  inverse?: boolean;
  wrap?: 'wrap' | 'truncate' | 'truncate-end' | 'truncate-middle';
  children?: ReactNode;
}

/** Text in a role's colour (when colours are on). */
export function T({ role = 'plain', bold, inverse, wrap, children }: TProps) {
  const color = useColor();
  const c = color ? COLORS[role] : undefined;
  return (
    <Text color={c} bold={bold} inverse={inverse} wrap={wrap}>
      {children}
    </Text>
  );
}

/** A piece of a line in a role's style. */
export interface Span {
  text: string;
  role?: Role;
  bold?: boolean;
  inverse?: boolean;
}

const sameStyle = (a: Span, b: Span) => (a.role ?? 'plain') === (b.role ?? 'plain') && !a.bold === !b.bold && !a.inverse === !b.inverse;

/**
 * One line of styled pieces as one Text (neighbours of one style joined): the frame a row
 * of <T> would draw, without a layout node and a write per piece (the board's rows have
 * one per slot, and every key redraws them). The line must fit its box: it is not wrapped
 * piece by piece.
 */
export function Spans({ spans }: { spans: readonly Span[] }) {
  const color = useColor();
  const runs: Span[] = [];
  for (const sp of spans) {
    const last = runs[runs.length - 1];
    if (last && (sameStyle(last, sp) || !color && !!last.bold === !!sp.bold && !!last.inverse === !!sp.inverse)) runs[runs.length - 1] = { ...last, text: last.text + sp.text };
    else runs.push(sp);
  }
  return (
    <Text>
      {runs.map((r, i) => (
        <Text key={i} color={color ? COLORS[r.role ?? 'plain'] : undefined} bold={r.bold} inverse={r.inverse}>{r.text}</Text>
      ))}
    </Text>
  );
}

/** A bar of `width` cells for value/max: filled ▇, empty ·. */
export function bar(value: number, max: number, width: number): string {
  const w = Math.max(1, width);
  const n = max > 0 ? Math.round(Math.min(1, Math.max(0, value / max)) * w) : 0;
  return '█'.repeat(n) + '░'.repeat(w - n);
}

export function stars(n: number): string {
  return '★'.repeat(n) + '☆'.repeat(Math.max(0, 3 - n));
}

/** Numbers on screen: the same format as the headless commands. */
export { fmtNum as num } from '../io/format.js';

/** The frames of the busy spinner (braille dots, one column each) and their interval. */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const SPINNER_MS = 80;

/** A spinner and what the game is busy with; the spinner in the accent colour when colours are on. */
export function Spinner({ label }: { label: string }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setFrame((f) => (f + 1) % SPINNER_FRAMES.length), SPINNER_MS);
    return () => clearInterval(t);
  }, []);
  return (
    <Text>
      <T role="accent">{SPINNER_FRAMES[frame]}</T> {label}
    </Text>
  );
}
