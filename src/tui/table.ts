// Aligned text columns for the projector and the standings: every column has one width for
// all its rows (worked out over every row, not only the rows on screen, so scrolling never
// moves a column), text columns are left-aligned and cut with '~', number columns
// right-aligned. What does not fit the width is taken away in a stated order: names shrink
// to their minimum first, then optional columns are dropped from the right. Pure.

export interface Column {
  head: string;
  /** one cell per row (printable text: the caller sanitizes) */
  cells: readonly string[];
  align: 'left' | 'right';
  /** a name column: may shrink down to this width (cut with '~'); others keep their width */
  min?: number;
  /** the widest a name column gets */
  max?: number;
  /** may be left out when the table does not fit (dropped from the right, last first) */
  optional?: boolean;
}

export interface Table {
  /** the header line and one line per row, every line the same width */
  head: string;
  rows: string[];
  /** the columns kept, in order */
  kept: string[];
  width: number;
}

const len = (s: string) => [...s].length;

function cut(s: string, w: number): string {
  const t = [...s];
  return t.length > w ? `${t.slice(0, Math.max(0, w - 1)).join('')}~` : s;
}

function pad(s: string, w: number, align: Column['align']): string {
  const t = cut(s, w);
  const room = Math.max(0, w - len(t));
  return align === 'right' ? ' '.repeat(room) + t : t + ' '.repeat(room);
}

/** Lay out `cols` in at most `width` columns, `gap` spaces between cells. */
export function layoutTable(cols: readonly Column[], width: number, gap = 2): Table {
  let kept = [...cols];
  const natural = (c: Column) => Math.min(c.max ?? Infinity, Math.max(len(c.head), ...c.cells.map(len), 1));
  let widths = kept.map(natural);
  const total = () => widths.reduce((a, w) => a + w, 0) + gap * Math.max(0, widths.length - 1);
  for (;;) {
    // shrink names (the widest first) down to their minimum
    let over = total() - width;
    while (over > 0) {
      let best = -1;
      for (let i = 0; i < kept.length; i++) {
        const m = kept[i]!.min;
        if (m !== undefined && widths[i]! > m && (best < 0 || widths[i]! > widths[best]!)) best = i;
      }
      if (best < 0) break;
      widths[best]!--;
      over--;
    }
    if (total() <= width) break;
    // then leave out the last optional column
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i]!.optional) { drop = i; break; }
    if (drop < 0) break; // nothing left to drop: the caller's width is too small, lines are cut by the view
    kept = kept.filter((_, i) => i !== drop);
    widths = kept.map(natural);
  }
  const sep = ' '.repeat(gap);
  const line = (cell: (c: Column, i: number) => string) => kept.map((c, i) => pad(cell(c, i), widths[i]!, c.align)).join(sep);
  const n = Math.max(0, ...kept.map((c) => c.cells.length));
  return {
    head: line((c) => c.head),
    rows: Array.from({ length: n }, (_, r) => line((c) => c.cells[r] ?? '')),
    kept: kept.map((c) => c.head),
    width: total(),
  };
}

/** The rows of a list that fit `room` lines from `scroll`, and what is above and below them. */
export function windowOf<T>(items: readonly T[], scroll: number, room: number): { top: number; shown: T[]; above: number; below: number } {
  const rows = Math.max(1, room);
  const top = Math.max(0, Math.min(scroll, items.length - rows));
  const shown = items.slice(top, top + rows);
  return { top, shown, above: top, below: Math.max(0, items.length - top - shown.length) };
}

/** "closes in 1:02:03" / "closes in 4:05" before a deadline, "closed at 22:00 UTC" after it. */
export function countdown(until: number, now: number): string {
  const left = Math.ceil((until - now) / 1000);
  if (left <= 0) return `round closed at ${new Date(until).toISOString().slice(11, 16)} UTC`;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const sec = left % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return `closes in ${h ? `${h}:${two(m)}` : m}:${two(sec)}`;
}
