// Source patches the game's bundles apply to two dependencies (scripts/bundle-tui.mjs).
// Each patch checks that the text it replaces is there, so an upgrade that changes it
// fails the build instead of shipping an unpatched copy. Tested in test/tui/bundle-patches.test.ts.

/**
 * Ink 6.8's incremental renderer (only the changed lines are written) moves the cursor up
 * one row too few when the previous frame ended with a newline, so every changed line lands
 * one row low. Ink 7.1 fixed it (`cursorUp(previousLines.length - 1)`: `previousLines`
 * counts the empty line after that newline); Ink 7 needs Node 22, so the fix is carried here.
 */
export function patchInkLogUpdate(text) {
  const from = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
  if (!text.includes(from)) throw new Error('ink/build/log-update.js changed: review the incremental-rendering patch');
  return text.replace(from, 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));');
}

/** Code points the narrow fast path may accept: the ranges the game's own glyphs come from. */
const CANDIDATES = [
  [0xa1, 0x24f], [0x2010, 0x2027], [0x2030, 0x205e], [0x2190, 0x23ff],
  [0x2460, 0x27bf], [0x2800, 0x28ff], [0x2b00, 0x2bff],
];

/**
 * The code points (from CANDIDATES) that `stringWidth` measures as one column alone, next
 * to ASCII and next to themselves: each is its own grapheme cluster, one column wide. A
 * string of printable ASCII and these characters is as wide as it is long.
 */
export function narrowCodePoints(stringWidth) {
  const out = [];
  for (const [lo, hi] of CANDIDATES) {
    for (let cp = lo; cp <= hi; cp++) {
      const c = String.fromCodePoint(cp);
      if (stringWidth(c) === 1 && stringWidth(`a${c}`) === 2 && stringWidth(`${c}a`) === 2 && stringWidth(c + c) === 2) out.push(cp);
    }
  }
  return out;
}

/** A regex character class (source) of printable ASCII and `codePoints`, as ranges. */
export function narrowClass(codePoints) {
  const hex = (cp) => `\\u${cp.toString(16).padStart(4, '0')}`;
  const parts = ['\\x20-\\x7e'];
  const cps = [...codePoints].sort((a, b) => a - b);
  for (let i = 0; i < cps.length; i++) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j] + 1) j++;
    parts.push(i === j ? hex(cps[i]) : `${hex(cps[i])}-${hex(cps[j])}`);
    i = j;
  }
  return `[${parts.join('')}]`;
}

/**
 * string-width measures a non-ASCII string grapheme by grapheme (Intl.Segmenter, and an
 * RGI_Emoji regex that takes ~12 ms to compile on first use). The game's frames are ASCII
 * and a few known one-column glyphs (›, ·, ●, ✓, box drawing): for such a string (colour
 * codes removed) the width is its length. Anything else, or options that change the
 * answer (wide ambiguous characters, counted escape codes), goes to the original.
 */
export function patchStringWidth(text, cls) {
  const from = 'export default function stringWidth(';
  if (!text.includes(from)) throw new Error('string-width changed: review the narrow fast path');
  return `${text.replace(from, 'function stringWidthFull(')}
const pvlabNarrow = /^${cls}*$/;
const pvlabSgr = /\\u001b\\[[0-9;]*m/g;
export default function stringWidth(input, options) {
  if (typeof input === 'string' && (options === undefined || (options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes))) {
    const plain = input.includes('\\u001b') ? input.replace(pvlabSgr, '') : input;
    if (pvlabNarrow.test(plain)) return plain.length;
  }
  return stringWidthFull(input, options);
}
`;
}

/**
 * Ink's Output.get() builds every frame as a grid of cells, one new object per cell (29 x 100
 * here: ~3,000 objects a frame, most of the first frame's garbage collection), then turns
 * each row into a string, trailing blank cells included, and trims the row's end. The patch
 * fills the grid with one shared, never-mutated blank cell and leaves a row's trailing blank
 * cells out of the string: they only add unstyled spaces that the trim removes, so every row
 * comes out the same (a property test compares the two on random frames).
 */
export function patchInkOutput(text) {
  const grid = `        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }`;
  const rows = `            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();`;
  if (!text.includes(grid) || !text.includes(rows)) throw new Error('ink/build/output.js changed: review the output-grid patch');
  return `${text
    .replace(grid, `        for (let y = 0; y < this.height; y++) {
            output.push(new Array(this.width).fill(PVLAB_BLANK));
        }`)
    .replace(rows, `            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            let end = lineWithoutEmptyItems.length;
            while (end > 0 && lineWithoutEmptyItems[end - 1] === PVLAB_BLANK) end--;
            return styledCharsToString(end === lineWithoutEmptyItems.length ? lineWithoutEmptyItems : lineWithoutEmptyItems.slice(0, end)).trimEnd();`)}
const PVLAB_BLANK = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
`;
}

/**
 * @alcalzone/ansi-tokenize (Ink's frame cells): every character gets its own copy of the
 * active styles, and turning a row into a string diffs the styles of each pair of
 * neighbours. The patch lets the characters of one run (no escape code between them) share
 * one styles array, never mutated by Ink or this module, and skips the diff of two cells
 * that share it (the diff of a list with itself is empty), so a frame builds and compares
 * far fewer arrays. The strings are the same (property test).
 */
export function patchAnsiStyledChars(text) {
  const from = `    let codes = [];
    const ret = [];
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
        }
        else if (token.type === "char") {
            ret.push({
                ...token,
                styles: [...codes],
            });
        }
    }`;
  const diff = `            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));`;
  if (!text.includes(from) || !text.includes(diff)) throw new Error('@alcalzone/ansi-tokenize changed: review the shared-styles patch');
  return text
    .replace(from, `    let codes = [];
    let styles = null;
    const ret = [];
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
            styles = null;
        }
        else if (token.type === "char") {
            ret.push({
                ...token,
                styles: (styles ??= [...codes]),
            });
        }
    }`)
    .replace(diff, `            if (chars[i - 1].styles !== char.styles) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));`);
}

/**
 * The code points (from CANDIDATES) that ansi-tokenize may take one UTF-16 unit at a time:
 * not full width, and each its own grapheme next to ASCII and next to itself.
 */
export function tokenizeNarrowCodePoints(isFullwidthCodePoint) {
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const count = (s) => [...seg.segment(s)].length;
  const out = [];
  for (const [lo, hi] of CANDIDATES) {
    for (let cp = lo; cp <= hi; cp++) {
      const c = String.fromCodePoint(cp);
      if (!isFullwidthCodePoint(cp) && count(`a${c}${c}a`) === 4 && count(`${c}a`) === 2) out.push(cp);
    }
  }
  return out;
}

/**
 * ansi-tokenize's tokenize() (every line of every frame) walks the string grapheme by
 * grapheme with Intl.Segmenter. A line of printable ASCII, escape codes and the code points
 * of `cls` (tokenizeNarrowCodePoints) has one grapheme per UTF-16 unit, none full width: the
 * patch walks such a line unit by unit, with the original's own parsing of escape codes, and
 * gives the same tokens (property test); any other line goes the original way.
 */
export function patchAnsiTokenize(text, cls) {
  const from = 'export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {\n';
  if (!text.includes(from) || !text.includes('function parseSGRSequence(') || !text.includes('function splitCompoundSGRSequences(')) {
    throw new Error('@alcalzone/ansi-tokenize changed: review the tokenize fast path');
  }
  return `${text.replace(from, `${from}    if (PVLAB_SIMPLE.test(str)) return pvlabTokenize(str, endChar);\n`)}
const PVLAB_SIMPLE = /^${cls.replace('[', '[\\u001b')}*$/;
function pvlabTokenize(str, endChar) {
    const ret = [];
    let visible = 0;
    for (let index = 0; index < str.length; index++) {
        if (str.charCodeAt(index) === 27) {
            let code;
            const nextCodePoint = str.codePointAt(index + 1);
            if (nextCodePoint === OSC) {
                code = parseLinkCode(str, index);
                if (code) ret.push({ type: "ansi", code: code, endCode: getEndCode(code) });
            }
            else if (nextCodePoint === CSI) {
                code = parseSGRSequence(str, index);
                if (code) {
                    for (const individualCode of splitCompoundSGRSequences(code)) {
                        ret.push({ type: "ansi", code: individualCode, endCode: getEndCode(individualCode) });
                    }
                }
            }
            if (code) {
                index += code.length - 1;
                continue;
            }
        }
        ret.push({ type: "char", value: str[index], fullWidth: false });
        visible += 1;
        if (visible >= endChar) break;
    }
    return ret;
}
`;
}
