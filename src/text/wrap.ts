// The one word wrap of pvlab: the game's screens (src/tui/layout.ts), the review the
// patch view and `pvlab patch` print, the patch's commit message (src/patch) and the
// leaderboard's prose lines (src/commands/leaderboard.ts). Pure, imports nothing, so every
// layer may use it (eslint.config.js). Text reaching it is sanitized (no control
// sequences: src/io/sanitize.ts); widths are terminal columns, not string lengths.

/** Combining marks (variation selectors among them): drawn on the character before. */
const MARK = /^[\p{Mn}\p{Me}]$/u;

/** East Asian Wide and Fullwidth code points (and the emoji blocks a terminal draws two columns wide). */
function wide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/** The columns one code point takes on a terminal: 0, 1 or 2. */
function charColumns(c: string): number {
  const cp = c.codePointAt(0)!;
  if (cp < 0x7f) return 1; // ASCII first: almost all of pvlab's text (a tab counts one column, as Ink counts it)
  if ((cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || MARK.test(c)) return 0; // zero-width spaces and joiners, marks
  return wide(cp) ? 2 : 1;
}

/** The columns `s` takes on a terminal (wide characters count 2, combining marks 0). */
export function columns(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x7f) { n++; continue; }
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    n += charColumns(ch);
    i += ch.length - 1;
  }
  return n;
}

/**
 * The longest head of `s` that fits in `w` columns, and the rest. The head holds at least
 * one character that is not a space (with its combining marks), so a cut always makes
 * progress (a wide character after an indent that leaves it no room goes with it); a
 * surrogate pair or a base and its marks are never split.
 */
function cut(s: string, w: number): [string, string] {
  let used = 0;
  let at = 0;
  let shown = false; // a character other than a space is in the head
  for (const ch of s) {
    const c = charColumns(ch);
    if (c > 0 && shown && used + c > w) break;
    if (ch !== ' ') shown = true;
    used += c;
    at += ch.length;
  }
  return [s.slice(0, at), s.slice(at)];
}

export interface WrapOptions {
  /**
   * A word longer than a line: `cut` (the default) cuts it at the width, continuing on
   * the next line after the indent; `keep` keeps it whole on a line of its own, longer
   * than the width (a commit message never breaks a word; a caller may clip the line).
   */
  long?: 'cut' | 'keep';
}

/**
 * Greedy word wrap to `width` columns. Each line of `text` (split at `\n`) is wrapped on
 * its own; its leading spaces are kept on its first line, and the spaces between words
 * are kept (aligned columns stay aligned) unless the line breaks there. Continuation
 * lines start with `indent`, never with a stray space of the text. No line ends in a space.
 */
export function wrapWords(text: string, width: number, indent = '', opts: WrapOptions = {}): string[] {
  const w = Math.max(1, width);
  const cutWords = (opts.long ?? 'cut') === 'cut';
  // a cut word goes on after the indent, unless the indent leaves no room for it
  const cutIndent = columns(indent) < w ? indent : '';
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^\s*/.exec(para)![0].slice(0, Math.max(0, w - 1));
    const words = para.slice(lead.length).match(/\S+\s*/g) ?? [];
    let line = lead;
    let fresh = true; // nothing but the lead or indent on the line yet
    for (const tok of words) {
      const word = tok.trimEnd();
      const body = line.trimEnd();
      if (!fresh && columns(body) + (line.length - body.length || 1) + columns(word) > w) {
        out.push(body);
        line = indent;
        fresh = true;
      }
      if (!fresh && line === line.trimEnd()) line += ' ';
      line += word;
      fresh = false;
      if (cutWords) {
        while (columns(line) > w) {
          const [head, rest] = cut(line, w);
          if (!rest) break; // one character wider than the line (after the indent): it stays
          out.push(head);
          line = cutIndent + rest;
        }
      }
      line += tok.slice(word.length);
    }
    out.push(line.trimEnd());
  }
  return out;
}

/**
 * Prose as lines of `width` columns, every one starting with `indent`: runs of white
 * space (newlines too) become one space; no text, no lines.
 */
export function wrapProse(text: string, width: number, indent = '', opts: WrapOptions = {}): string[] {
  const words = text.split(/\s+/).filter(Boolean).join(' ');
  return words ? wrapWords(indent + words, width, indent, opts) : [];
}
