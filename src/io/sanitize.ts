import { CONTROL_SEQUENCES } from '../sim/text.js';

// Text from level files, solutions and share codes is untrusted: before it reaches a
// terminal, remove every escape/control sequence so it cannot move the cursor, set the
// title, hide text, ring the bell or reorder what is shown (bidi controls).
//
// The result of `sanitize` holds no C0 control but "\n", no DEL, no C1 control, no bidi
// control and no unpaired surrogate: with neither ESC nor an 8-bit introducer left, no
// terminal sequence of any kind can survive, whatever the input was.

// The character sets below are the one definition of "unsafe to show" in pvlab (regular
// expression class bodies, escaped): the sanitizer, the terminal-safe JSON writer, the
// settings schema and the tests all build on them.
/** C0 controls (newline and tab included). */
const C0 = '\\u0000-\\u001f';
/** DEL and the C1 controls (8-bit CSI, OSC, DCS, ...). */
const DEL_C1 = '\\u007f-\\u009f';
/** Bidi embeddings, overrides, isolates and marks that reorder or disguise text. */
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Line and paragraph separators: some terminals break lines on them. */
const LINE_SEPARATORS = '\\u2028\\u2029';
/**
 * Invisible characters that would disguise a name: the zero-width space, the word joiner
 * and invisible operators, the Mongolian vowel separator, the zero-width no-break space
 * (BOM) and the interlinear annotation controls. The zero-width (non-)joiners stay: emoji
 * sequences and several scripts need them (the board's look-alike mark sees through them).
 * Unicode tag characters, outside the BMP, are TAG_SOURCE.
 */
const INVISIBLE = '\\u180e\\u200b\\u2060-\\u2064\\ufeff\\ufff9-\\ufffb';
/** Unicode tag characters (U+E0000..U+E007F, invisible; they once spelled hidden text), as UTF-16 pairs. */
export const TAG_SOURCE = '\\udb40[\\udc00-\\udc7f]';
/** A surrogate half without its partner: not text, terminals show garbage or nothing. */
export const LONE_SURROGATE_SOURCE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
/** Every character that must not appear in one line of shown text (a class body). */
export const UNSAFE_CHARS = C0 + DEL_C1 + BIDI + LINE_SEPARATORS + INVISIBLE;
/** Text a one-line setting may hold: none of UNSAFE_CHARS (usable as a JSON-schema pattern). */
export const PRINTABLE_LINE = new RegExp(`^(?:(?!${TAG_SOURCE})[^${UNSAFE_CHARS}])*$`);

/** Whether `s` holds a surrogate half without its partner (it cannot be encoded as UTF-8). */
export function hasLoneSurrogate(s: string): boolean {
  return new RegExp(LONE_SURROGATE_SOURCE).test(s);
}

const SEQUENCES = CONTROL_SEQUENCES;
// removed: C0 controls except \n and \t (a tab becomes spaces), DEL, C1, bidi, invisible
const CONTROLS = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${DEL_C1}${BIDI}${INVISIBLE}]|${TAG_SOURCE}`, 'g');
const LONE_SURROGATE = new RegExp(LONE_SURROGATE_SOURCE, 'g');
// separators become newlines
const SEPARATORS = new RegExp(`[${LINE_SEPARATORS}]`, 'g');

/** Strip terminal control sequences; keep newlines, turn tabs into spaces. */
export function sanitize(text: string): string {
  return String(text)
    .replace(SEQUENCES, '')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(SEPARATORS, '\n')
    .replace(/\t/g, '  ');
}

/** For one-line fields (names, titles): also fold newlines into spaces. */
export function sanitizeLine(text: string): string {
  return sanitize(text).replace(/[\r\n]+/g, ' ').trim();
}

/**
 * A one-line, printable quote of untrusted text for a message: sanitized and cut to
 * `max` characters (code points), marking the cut with '…'.
 */
export function quote(text: string, max = 60): string {
  const s = sanitizeLine(text);
  const cps = [...s];
  return cps.length > max ? `${cps.slice(0, Math.max(1, max - 1)).join('')}…` : s;
}

/**
 * Untrusted text shown exactly but harmlessly, for identifiers a message quotes (field
 * names, site names, ids): every control, bidi or separator character is written as
 * a \uXXXX escape instead of being removed, so 'kmap\u001b[2J' does not pass for 'kmap'.
 * Cut to `max` characters, marked with '…'.
 */
export function visible(text: string, max = 60): string {
  const s = terminalSafeJson(String(text)).slice(1, -1);
  // the cut must not leave half an escape or half a surrogate pair
  return s.length > max ? `${s.slice(0, max - 1).replace(/\\u?[0-9a-fA-F]{0,3}$|\\$|[\ud800-\udbff]$/, '')}…` : s;
}

// Characters JSON.stringify leaves raw that a terminal may act on: every unsafe character
// but the C0 controls (which it escapes itself), and unpaired surrogates.
const JSON_UNSAFE = new RegExp(`[${DEL_C1}${BIDI}${LINE_SEPARATORS}${INVISIBLE}]|${TAG_SOURCE}|${LONE_SURROGATE_SOURCE}`, 'g');

/**
 * JSON.stringify for output that may land on a terminal: the same JSON value, but every
 * character a terminal could interpret is written as a \uXXXX escape (JSON.stringify
 * already escapes C0 controls; it leaves C1 controls and bidi overrides raw). A JSON
 * reader gets exactly the data; a terminal gets only printable text.
 */
export function terminalSafeJson(value: unknown, space?: number): string {
  // outside strings JSON.stringify emits only ASCII punctuation, digits, letters and
  // whitespace, so every match is inside a string literal, where \uXXXX is valid
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => c.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
}
