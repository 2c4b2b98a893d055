// Untrusted text: the sanitizer (nothing a terminal acts on survives), terminal-safe
// JSON (same data, nothing raw), and the strict JSON check (agrees with JSON.parse on
// what is JSON, refuses duplicate keys, deep nesting and overflowing numbers with a line
// and column, never quoting raw input).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, MAX_ERROR_CHARS } from '../../src/io/errors.js';
import { JsonTextError, MAX_JSON_DEPTH, checkJsonText, lineCol, parseStrictJson } from '../../src/io/json.js';
import { quote, sanitize, sanitizeLine, terminalSafeJson, visible } from '../../src/io/sanitize.js';
import { UNSAFE } from './helpers.js';

const ESC = '\u001b';
/** Strings rich in terminal-relevant characters. */
const hostileChar = fc.oneof(
  fc.constantFrom(ESC, '\u0007', '\u009b', '\u009d', '\u0090', '\u009c', '\u202e', '\u2066', '\u200f', '\u2028', '\r', '\n', '\t', '\b', '\u007f', '\ufeff', '\ud800', '\udc00', '[', ']', ';', '\\', 'P', '0', 'm', 'H'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const hostileString = fc.array(hostileChar, { maxLength: 40 }).map((a) => a.join(''));

describe('sanitize', () => {
  it('leaves nothing a terminal acts on, whatever the input (property)', () => {
    fc.assert(fc.property(hostileString, (s) => {
      const out = sanitize(s);
      expect(out).not.toMatch(UNSAFE); // newlines may stay, tabs become spaces
      const line = sanitizeLine(s);
      expect(line).not.toMatch(UNSAFE);
      expect(line).not.toContain('\n');
      // idempotent: sanitizing twice changes nothing more
      expect(sanitize(out)).toBe(out);
    }), { numRuns: 2000 });
  });

  it('removes OSC title changes, CSI cursor moves, 8-bit C1 sequences and bidi overrides whole', () => {
    expect(sanitizeLine(`a${ESC}]0;pwned\u0007b`)).toBe('ab');
    expect(sanitizeLine(`a${ESC}]2;x${ESC}\\b`)).toBe('ab');
    expect(sanitizeLine(`a${ESC}[10;20Hb${ESC}[2Jc${ESC}[?1049h`)).toBe('abc');
    expect(sanitizeLine(`a\u009b31mb\u009d0;t\u009cc`)).toBe('abc');
    expect(sanitizeLine(`a${ESC}P+q\u0007x${ESC}\\b`)).toBe('ab');
    expect(sanitizeLine('abc\u202edcba\u202c')).toBe('abcdcba');
    expect(sanitizeLine('x\u2066y\u2069\u200fz\u061c')).toBe('xyz');
    // text hidden by "conceal" or overwritten by a carriage return becomes visible
    expect(sanitizeLine(`shown ${ESC}[8mhidden${ESC}[0m`)).toBe('shown hidden');
    expect(sanitizeLine('innocent\rEVIL')).toBe('innocentEVIL');
    expect(sanitize('para 1\n\npara 2\ttab')).toBe('para 1\n\npara 2  tab');
    expect(sanitizeLine('a\u2028b')).toBe('a b');
    expect(sanitizeLine('lone \ud800 half')).toBe('lone \ufffd half');
    expect(sanitizeLine('emoji 👩‍🔬 ok')).toBe('emoji 👩‍🔬 ok');
  });

  it('quote and visible: bounded, printable; visible shows what was there', () => {
    expect(quote('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(visible(`kmap${ESC}[2J`)).toBe('kmap\\u001b[2J');
    expect(visible('a\u202eb\u009bc')).toBe('a\\u202eb\\u009bc');
    expect(visible(`${ESC}`.repeat(50), 20)).not.toMatch(/\\u?[0-9a-f]{0,3}…$/);
    fc.assert(fc.property(hostileString, fc.integer({ min: 2, max: 50 }), (s, max) => {
      expect(visible(s, max)).not.toMatch(UNSAFE);
      expect(visible(s, max).length).toBeLessThanOrEqual(max);
      expect(quote(s, max)).not.toMatch(UNSAFE);
    }));
  });

  it('terminalSafeJson: the same JSON value, no raw control or bidi character (property)', () => {
    const value = fc.jsonValue().chain((v) => hostileString.map((s) => ({ v, s, nested: [s, { [s]: s }] })));
    fc.assert(fc.property(value, (v) => {
      const text = terminalSafeJson(v);
      expect(text).not.toMatch(UNSAFE);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
    }), { numRuns: 500 });
  });

  it('InputError messages are printable, one line and bounded', () => {
    const e = new InputError(`file${ESC}]0;t\u0007.json: bad\nsecond line \u202e${'x'.repeat(5000)}`);
    expect(e.message).not.toMatch(UNSAFE);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
    expect(e.message).toMatch(/^file\.json: bad second line x+…$/);
  });
});

describe('strict JSON', () => {
  /** null when accepted, else the reason */
  const refusal = (t: string): string | null => {
    try {
      checkJsonText(t);
      return null;
    } catch (err) {
      if (err instanceof JsonTextError) return err.reason;
      throw err;
    }
  };
  const parses = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };
  it('accepts exactly what JSON.parse accepts, but for the refusals on purpose (differential property)', () => {
    // valid JSON, reformatted, and mutations of it
    const doc = fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v, null, 1));
    const mutated = fc.tuple(doc, fc.nat(), fc.constantFrom('', ',', ']', '}', '"', '\\', '-', '0', 'e', '.', ' ', '\n', ':', 'tru', 'nul', '\u0001', '1e999'), fc.boolean())
      .map(([t, at, ins, del]) => {
        const i = t.length ? at % t.length : 0;
        return t.slice(0, i) + ins + t.slice(i + (del ? 1 : 0));
      });
    fc.assert(fc.property(fc.oneof(doc, mutated, fc.string({ maxLength: 30 })), (t) => {
      const why = refusal(t);
      if (why === null) expect(parses(t)).toBe(true); // never accepts what is not JSON
      else if (parses(t)) expect(why).toMatch(/^duplicate key|is too large$|^nested more than/);
    }), { numRuns: 3000 });
  });

  it('refuses duplicate keys, even spelled differently, and says where both are', () => {
    expect(() => checkJsonText('{"a": 1, "b": {"a": 2}}')).not.toThrow();
    expect(() => checkJsonText('{"a":1,\n "a":2}')).toThrow(/duplicate key 'a' \(first at line 1, column 2\)/);
    expect(() => checkJsonText('{"name":"x","n\\u0061me":"y"}')).toThrow(/duplicate key 'name'/);
    expect(() => parseStrictJson('{"a":1,\n "a":2}', 'f.json')).toThrow(/^f\.json: not valid JSON \(line 2, column 2: duplicate key 'a'/);
  });

  it('refuses nesting beyond the limit without recursion, and overflowing numbers', { tags: ['timing'] }, () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(() => checkJsonText(deep(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJsonText(deep(MAX_JSON_DEPTH + 1))).toThrow(/nested more than 64 levels deep/);
    const t0 = performance.now();
    expect(() => checkJsonText(deep(1_000_000))).toThrow(/nested more than/);
    expect(() => checkJsonText('{"a":'.repeat(500_000))).toThrow(/nested more than/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => checkJsonText('[1e308, -1e308, 5e-324, 1e-400, -0]')).not.toThrow();
    expect(() => checkJsonText('{"pages": 1e309}')).toThrow(/number 1e309 is too large/);
    expect(() => checkJsonText(`[-${'9'.repeat(400)}]`)).toThrow(/is too large/);
  });

  it('explains the usual mistakes with a line and column, never quoting raw input', () => {
    const msg = (t: string) => {
      try {
        parseStrictJson(t, 'f.json');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(msg('')).toMatch(/line 1, column 1: the text is empty/);
    expect(msg('{"a": NaN}')).toMatch(/line 1, column 7: NaN is not a JSON value/);
    expect(msg('{"a": Infinity}')).toMatch(/Infinity is not a JSON value/);
    expect(msg('{"a": 1,}')).toMatch(/trailing commas are not allowed/);
    expect(msg('[1, 2,]')).toMatch(/trailing commas are not allowed/);
    expect(msg('// hi\n{}')).toMatch(/comments are not allowed/);
    expect(msg("{'a': 1}")).toMatch(/double quotes/);
    expect(msg('{"a": 1}\n{"b": 2}')).toMatch(/line 2, column 1: unexpected '\{' after the end of the JSON value/);
    expect(msg('{"a": "x\ny"}')).toMatch(/control character U\+000A inside a string/);
    expect(msg(`{"a": "${ESC}]0;pwned\u0007"}`)).toMatch(/control character U\+001B inside a string/);
    expect(msg(`{"a" ${ESC}[2J: 1}`)).toMatch(/unexpected U\+001B where ':' after the key 'a' should be/);
    expect(msg('{"a": "\\x41"}')).toMatch(/invalid escape \\x in a string/);
    expect(msg('{"a": "\\u12"}')).toMatch(/four hex digits/);
    expect(msg('{"a": tru}')).toMatch(/unexpected 't' where a value should be/);
    expect(msg('{"a": "open')).toMatch(/a string is not closed/);
    expect(msg('{"a": [1, 2')).toMatch(/the text ends where ',' or '\]' should be/);
    for (const t of ['{"a":1,\n "a":2}', `{"a": "${ESC}"}`, `${ESC}]0;x\u0007`, '\u202e{}']) expect(msg(t)).not.toMatch(UNSAFE);
    expect(parseStrictJson('\ufeff{"a": [1, {"b": null}]}', 'f')).toEqual({ a: [1, { b: null }] });
    expect(lineCol('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
  });
});
