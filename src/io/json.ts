// Strict JSON for untrusted files. JSON.parse alone accepts a file with duplicate keys
// (the last one wins, so two tools can read two different files), turns 1e999 into
// Infinity, and explains a syntax error by quoting the raw input (escape sequences
// included) without a line number. `checkJsonText` walks the text first, without
// recursion and without building anything, and refuses those cases with the line and
// column; only then is the text handed to JSON.parse.
import { InputError } from './errors.js';
import { quote } from './sanitize.js';

/** Deepest nesting of arrays and objects accepted (the file formats need about 4). */
export const MAX_JSON_DEPTH = 64;

/** A syntax or structure problem at a position of the text. */
export class JsonTextError extends Error {
  constructor(readonly reason: string, readonly pos: number) {
    super(reason);
  }
}

/** 1-based line and column (in UTF-16 units) of a position. */
export function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: pos - start + 1 };
}

/** A character as it can be shown in a message: 'x' when printable ASCII, else U+XXXX. */
export function showChar(c: string | undefined): string {
  if (c === undefined) return 'the end of the text';
  const cp = c.codePointAt(0)!;
  return cp > 0x20 && cp < 0x7f ? `'${c}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

interface Frame {
  /** null for an array; the keys seen so far (with their positions) for an object */
  keys: Map<string, number> | null;
}

/**
 * Check that `text` is one JSON value, nested at most `maxDepth` deep, with no
 * duplicate key in any object and no number that overflows to Infinity. Throws
 * JsonTextError (reason, position) on the first problem. Linear time, no recursion.
 */
export function checkJsonText(text: string, maxDepth = MAX_JSON_DEPTH): void {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  const fail = (reason: string, pos = i): never => {
    throw new JsonTextError(reason, pos);
  };
  const skipWs = () => {
    while (i < n && WS.has(text[i]!)) i++;
  };
  const unexpected = (what: string): never => {
    const c = text[i];
    if (c === undefined) fail(`the text ends where ${what} should be`);
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail('comments are not allowed in JSON');
    if (c === "'") fail(`strings must use double quotes, not single quotes (where ${what} should be)`);
    for (const word of ['NaN', 'Infinity', 'undefined']) {
      if (text.startsWith(word, i)) fail(`${word} is not a JSON value`);
    }
    return fail(`unexpected ${showChar(String.fromCodePoint(text.codePointAt(i)!))} where ${what} should be`);
  };
  /** A string starting at the quote at `i`; returns its end (after the closing quote). */
  const string = (): number => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) fail('a string is not closed (missing ")', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) return ++i;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX.test(text.slice(i + 2, i + 6))) fail('a \\u escape needs four hex digits');
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) {
          i += 2;
        } else {
          fail(`invalid escape \\${e === undefined ? '' : showChar(e).replace(/^'|'$/g, '')} in a string`);
        }
      } else if (c < 0x20) {
        fail(`control character ${showChar(text[i])} inside a string (write it as an escape)`);
      } else {
        i++;
      }
    }
  };
  const number = () => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === '-' || m[0].length === 0) unexpected('a value');
    const s = m![0];
    if (!Number.isFinite(Number(s))) fail(`number ${quote(s, 24)} is too large`);
    i += s.length;
  };
  const literal = (word: string) => {
    if (!text.startsWith(word, i)) unexpected('a value');
    i += word.length;
  };

  if (!/[^ \t\n\r]/.test(text)) fail('the text is empty (no JSON value)', 0);
  // states: a value is expected / a value just ended
  let wantValue = true;
  for (;;) {
    skipWs();
    if (wantValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        if (stack.length >= maxDepth) fail(`nested more than ${maxDepth} levels deep`);
        stack.push({ keys: c === '{' ? new Map() : null });
        i++;
        skipWs();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          wantValue = false;
          continue;
        }
        if (c === '{') {
          objectKey(stack[stack.length - 1]!);
          continue;
        }
        continue; // an array's first value
      }
      if (c === '"') string();
      else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
      else if (c === 't') literal('true');
      else if (c === 'f') literal('false');
      else if (c === 'n') literal('null');
      else unexpected('a value');
      wantValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) {
      if (i < n) fail(`unexpected ${showChar(String.fromCodePoint(text.codePointAt(i)!))} after the end of the JSON value`);
      return;
    }
    const close = top.keys ? '}' : ']';
    const c = text[i];
    if (c === close) {
      stack.pop();
      i++;
      continue;
    }
    if (c !== ',') unexpected(`',' or '${close}'`);
    i++;
    skipWs();
    if (text[i] === close) fail(`a comma before '${close}' (trailing commas are not allowed in JSON)`);
    if (top.keys) objectKey(top);
    else wantValue = true;
  }

  /** After '{' or ',' in an object: "key" : — then a value is wanted. */
  function objectKey(frame: Frame): void {
    skipWs();
    if (text[i] !== '"') unexpected('a key in double quotes');
    const at = i;
    const end = string();
    const raw = text.slice(at, end);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    const prev = frame.keys!.get(key);
    if (prev !== undefined) {
      const p = lineCol(text, prev);
      fail(`duplicate key '${quote(key, 40)}' (first at line ${p.line}, column ${p.column})`, at);
    }
    frame.keys!.set(key, at);
    skipWs();
    if (text[i] !== ':') unexpected(`':' after the key '${quote(key, 40)}'`);
    i++;
    wantValue = true;
  }
}

/**
 * Parse untrusted JSON text (a leading BOM is ignored) after `checkJsonText`; `source`
 * names it in the one-line InputError: "<source>: not valid JSON (line 3, column 7: …)".
 */
export function parseStrictJson(raw: string, source: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    checkJsonText(text, maxDepth);
  } catch (err) {
    if (!(err instanceof JsonTextError)) throw err;
    const { line, column } = lineCol(text, err.pos);
    throw new InputError(`${source}: not valid JSON (line ${line}, column ${column}: ${err.reason})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // not expected after the check; never show the engine's message, which quotes the input
    throw new InputError(`${source}: not valid JSON`);
  }
}
