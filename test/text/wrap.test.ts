// The one word wrap (src/text/wrap.ts): the screens, the review, the commit message and
// the leaderboard's prose all wrap with it, so its rules are tested here once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columns, wrapProse, wrapWords } from '../../src/text/wrap.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const ASCII = fc.stringMatching(/^[a-z.,()]{1,14}( {1,2}[a-z.,()]{1,14}){0,30}$/);
const SINGLE = fc.stringMatching(/^[a-z.,()]{1,14}( [a-z.,()]{1,14}){0,30}$/);
const WIDE = fc.array(fc.constantFrom('字', '한', 'ｱ', 'é', 'e\u0301', '😀', 'ab', 'x'), { minLength: 1, maxLength: 30 }).map((a) => a.join(''));
const MIXED = fc.array(WIDE, { minLength: 1, maxLength: 12 }).map((a) => a.join(' '));

describe('columns: what a terminal draws', () => {
  it('ASCII one column each, CJK and fullwidth two (halfwidth one), combining marks none, an astral emoji two', () => {
    expect(columns('pvlab')).toBe(5);
    expect(columns('字한')).toBe(4);
    expect(columns('Ａ')).toBe(2); // fullwidth A
    expect(columns('ｱ')).toBe(1); // halfwidth katakana
    expect(columns('e\u0301')).toBe(1);
    expect(columns('😀')).toBe(2);
    expect(columns('')).toBe(0);
  });
});

describe('wrapWords', () => {
  it('no line is wider than the width; the words come back in order, unbroken, when each fits a line', () => {
    fc.assert(fc.property(ASCII, fc.integer({ min: 15, max: 80 }), fc.constantFrom('', '  ', '    '), (t, w, indent) => {
      const lines = wrapWords(t, w, indent);
      for (const l of lines) expect(columns(l), l).toBeLessThanOrEqual(w);
      expect(lines.flatMap(words)).toEqual(words(t));
    }));
  });

  it('breaks only where the next word does not fit (greedy): a line and the next line\'s first word exceed the width', () => {
    fc.assert(fc.property(SINGLE, fc.integer({ min: 15, max: 80 }), (t, w) => {
      const lines = wrapWords(t, w);
      for (let i = 0; i + 1 < lines.length; i++) expect(columns(lines[i]!) + 1 + columns(words(lines[i + 1]!)[0]!)).toBeGreaterThan(w);
    }));
  });

  it('continuation lines start with the indent and never with a stray space of the text; no line ends in a space', () => {
    const lines = wrapWords('alpha beta gamma delta epsilon zeta', 12, '  ');
    expect(lines).toEqual(['alpha beta', '  gamma', '  delta', '  epsilon', '  zeta']);
    fc.assert(fc.property(ASCII, fc.integer({ min: 15, max: 60 }), (t, w) => {
      const lines = wrapWords(t, w, '   ');
      for (const l of lines.slice(1)) expect(l).toMatch(/^ {3}\S/);
      for (const l of lines) expect(l).not.toMatch(/ $/);
    }));
  });

  it('keeps a line\'s leading spaces and the spaces between words (aligned columns stay aligned); each \\n line wraps on its own', () => {
    expect(wrapWords('  name    value', 40)).toEqual(['  name    value']);
    expect(wrapWords('one two\nthree', 40)).toEqual(['one two', 'three']);
    expect(wrapWords('', 10)).toEqual(['']);
  });

  it('a word longer than a line is cut at the width (continuing after the indent), or with long: keep stays whole on its own line', () => {
    expect(wrapWords('a abcdefghijkl b', 5, ' ')).toEqual(['a', ' abcd', ' efgh', ' ijkl', ' b']);
    expect(wrapWords('a abcdefghijkl b', 5, ' ', { long: 'keep' })).toEqual(['a', ' abcdefghijkl', ' b']);
    // an indent as wide as the line: the cut goes on without it, and ends
    expect(wrapWords('abcdefgh', 3, '    ')).toEqual(['abc', 'def', 'gh']);
  });

  it('wide characters count two columns; a cut never splits a surrogate pair or a letter from its combining mark', () => {
    expect(wrapWords('字字字 字', 6)).toEqual(['字字字', '字']);
    expect(wrapWords('字字字字', 3)).toEqual(['字', '字', '字', '字']);
    // a character wider than the line, or than what the indent leaves, stays whole
    expect(wrapWords('字字', 1)).toEqual(['字', '字']);
    expect(wrapWords('a 字字', 2, ' ')).toEqual(['a', ' 字', ' 字']);
    fc.assert(fc.property(MIXED, fc.integer({ min: 1, max: 30 }), (t, w) => {
      const lines = wrapWords(t, w);
      for (const l of lines) {
        // one character of two columns on a line of one is the only overflow
        expect(columns(l) <= w || [...l.replace(/\p{M}/gu, '')].length === 1, l).toBe(true);
        expect(l).not.toMatch(/^\p{M}/u);
        expect(l).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/);
      }
      expect(lines.join('').replace(/\s/g, '')).toBe(t.replace(/\s/g, ''));
    }));
  });

  it('adds nothing but the indent and line breaks: text without control sequences comes out without them', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.integer({ min: 1, max: 40 }), (raw, w) => {
      const t = raw.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
      for (const l of wrapWords(t, w, '  ')) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }));
  });
});

describe('wrapProse', () => {
  it('collapses white space, indents every line, and gives no lines for no text', () => {
    expect(wrapProse('  a\n  b   c ', 40, '  ')).toEqual(['  a b c']);
    expect(wrapProse(' \n ', 40, '  ')).toEqual([]);
    expect(wrapProse('one two three', 9, '  ')).toEqual(['  one two', '  three']);
  });
});
