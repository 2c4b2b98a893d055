// Share codes: a solution as one copy-pasteable line.
//
//   pvlab1.<base64url of: mode(1) payload check(4)>
//
// payload (mode 0 as is, mode 1 deflate-raw when that is shorter):
//   flags(1: bit0 author, bit1 created, bit2 notes)
//   level, name, [author]            strings: LEB128 byte length + UTF-8
//   hook count(1), one byte per hook: site index (SITE_IDS) << 3 | when code (0 none,
//   1 pin, 2 get, 3 any, 4 live)
//   [created], [notes], [generator version: LEB128]
// check: the first 4 bytes of SHA-256("pvlab1" + mode + payload).
//
// A solution of a generated level (id gen-<difficulty>-<seed> or daily-YYYY-MM-DD) carries
// the seed in its level id, and flag bit3 with the generator version that made the level,
// so the importer can regenerate the level and tell when this pvlab's generator differs.
// Codes without the flag (every older code) decode as before.
//
// Decoding is bounded: the code's length, the inflated size (maxOutputLength), every
// string length; then the result is validated by the solution schema like any file.
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SITE_IDS, SITES, type When } from '../sim/model.js';
import { GENERATOR_VERSION, parseGeneratedId, type GeneratedRef } from '../sim/generate/index.js';
import { InputError } from './errors.js';
import { hasLoneSurrogate } from './sanitize.js';
import { describeIssue, LIMITS, SOLUTION_FORMAT, SolutionSchema, type Solution } from './schema.js';

export const SHARE_VERSION = 1;
export const SHARE_PREFIX = `pvlab${SHARE_VERSION}.`;
/** Longest code accepted (characters, after removing whitespace). */
export const MAX_CODE_CHARS = 16 * 1024;
/** Largest decoded payload (bytes); a valid solution needs well under half of it. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

const WHEN_CODES: readonly (When | undefined)[] = [undefined, 'pin', 'get', 'any', 'live'];
const FLAG_AUTHOR = 1;
const FLAG_CREATED = 2;
const FLAG_NOTES = 4;
const FLAG_GENERATOR = 8;
const KNOWN_FLAGS = FLAG_AUTHOR | FLAG_CREATED | FLAG_NOTES | FLAG_GENERATOR;
const MODE_RAW = 0;
const MODE_DEFLATE = 1;
const CHECK_BYTES = 4;

function checksum(mode: number, payload: Uint8Array): Buffer {
  return createHash('sha256').update(`pvlab${SHARE_VERSION}`).update(Uint8Array.of(mode)).update(payload)
    .digest().subarray(0, CHECK_BYTES);
}

class Writer {
  private readonly bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  varint(n: number): void {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      this.bytes.push(b);
    } while (n);
  }
  str(s: string, field: string): void {
    if (hasLoneSurrogate(s)) throw new InputError(`cannot share: the ${field} contains an unpaired UTF-16 surrogate`);
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    for (const x of b) this.bytes.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  private fail(what: string): never {
    throw new InputError(`share code is malformed (${what})`);
  }
  byte(what: string): number {
    if (this.pos >= this.b.length) this.fail(`ends before the ${what}`);
    return this.b[this.pos++]!;
  }
  varint(what: string): number {
    let n = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const b = this.byte(what);
      n |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return n;
    }
    this.fail(`${what} length is too large`);
  }
  str(what: string, maxBytes: number): string {
    const len = this.varint(what);
    if (len > maxBytes) this.fail(`${what} is ${len} bytes, more than ${maxBytes}`);
    if (this.pos + len > this.b.length) this.fail(`ends inside the ${what}`);
    const s = this.b.subarray(this.pos, this.pos + len);
    this.pos += len;
    try {
      return utf8.decode(s);
    } catch {
      this.fail(`${what} is not valid UTF-8`);
    }
  }
  end(): void {
    if (this.pos !== this.b.length) this.fail(`${this.b.length - this.pos} unexpected bytes at the end`);
  }
}

/** The compact binary form of a solution (before compression and checksum). */
function pack(sol: Solution): Uint8Array {
  if (sol.hooks.length > 255) throw new InputError('cannot share: too many hooks');
  const w = new Writer();
  const author = sol.author ?? '';
  const generated = parseGeneratedId(sol.level) !== null;
  w.byte((author ? FLAG_AUTHOR : 0) | (sol.created !== undefined ? FLAG_CREATED : 0) | (sol.notes !== undefined ? FLAG_NOTES : 0) |
    (generated ? FLAG_GENERATOR : 0));
  w.str(sol.level, 'level');
  w.str(sol.name, 'name');
  if (author) w.str(author, 'author');
  w.byte(sol.hooks.length);
  for (const h of sol.hooks) {
    const site = SITE_IDS.indexOf(h.site);
    const when = WHEN_CODES.indexOf(h.when as When | undefined);
    if (site < 0 || site > 31 || when < 0) throw new InputError(`cannot share: hook ${h.site}${h.when ? `[${h.when}]` : ''} has no code`);
    w.byte((site << 3) | when);
  }
  if (sol.created !== undefined) w.str(sol.created, 'created');
  if (sol.notes !== undefined) w.str(sol.notes, 'notes');
  if (generated) w.varint(GENERATOR_VERSION);
  return w.done();
}

// Bounds in bytes: UTF-16 code units of the schema's limits, at most 3 UTF-8 bytes each.
const MAX = { level: 64, name: 80 * 3, author: 80 * 3, created: 40 * 3, notes: 2000 * 3 };

function unpack(payload: Uint8Array): { value: unknown; generator?: number } {
  const r = new Reader(payload);
  const flags = r.byte('flags');
  if (flags & ~KNOWN_FLAGS) throw new InputError('share code is malformed (unknown flags)');
  const level = r.str('level', MAX.level);
  const name = r.str('name', MAX.name);
  const author = flags & FLAG_AUTHOR ? r.str('author', MAX.author) : '';
  const count = r.byte('hook count');
  if (count > LIMITS.hooks) throw new InputError(`share code is malformed (${count} hooks, at most ${LIMITS.hooks})`);
  const hooks: { site: string; when?: string }[] = [];
  for (let i = 0; i < count; i++) {
    const b = r.byte('hooks');
    const site = SITE_IDS[b >> 3];
    const when = (b & 7) < WHEN_CODES.length ? WHEN_CODES[b & 7] : null;
    if (!site || !SITES[site].placeable || when === null) throw new InputError(`share code is malformed (hook ${i + 1} has an unknown site or condition)`);
    hooks.push(when ? { site, when } : { site });
  }
  const out: Record<string, unknown> = { format: SOLUTION_FORMAT, level, name, author, hooks };
  if (flags & FLAG_CREATED) out.created = r.str('created', MAX.created);
  if (flags & FLAG_NOTES) out.notes = r.str('notes', MAX.notes);
  const generator = flags & FLAG_GENERATOR ? r.varint('generator version') : undefined;
  r.end();
  return generator === undefined ? { value: out } : { value: out, generator };
}

/** One line that `decodeShare` turns back into the same solution. */
export function encodeShare(sol: Solution): string {
  const parsed = SolutionSchema.safeParse(sol);
  if (!parsed.success) throw new InputError(`cannot share: ${describeIssue(parsed.error)}`);
  const raw = pack(parsed.data);
  const deflated = deflateRawSync(raw, { level: 9 });
  return deflated.length < raw.length ? frameCode(MODE_DEFLATE, deflated) : frameCode(MODE_RAW, raw);
}

/**
 * Low level: a code from an encoding mode (0 raw, 1 deflate-raw) and payload bytes, with
 * a correct checksum. For tests and fuzzing of the decoder; `encodeShare` uses it.
 */
export function frameCode(mode: number, payload: Uint8Array): string {
  const body = Buffer.concat([Uint8Array.of(mode & 0xff), payload, checksum(mode & 0xff, payload)]);
  return SHARE_PREFIX + body.toString('base64url');
}

/** Remove what chat programs add around or inside a pasted code: whitespace, quotes. */
export function cleanCode(text: string): string {
  return text.replace(/\s+/g, '').replace(/^[`'"<]+/, '').replace(/[`'">]+$/, '');
}

/**
 * The solution in a share code. Every problem (not a code, another version, damaged,
 * truncated, too large, invalid content) is an InputError with one clear line.
 */
export function decodeShare(input: string): Solution {
  return decodeShareInfo(input).solution;
}

/** What a share code says beyond its solution: the generated level it was made for. */
export interface ShareInfo {
  solution: Solution;
  /** the solution's level is a generated or daily one: how to regenerate it, and by which generator */
  generated?: GeneratedRef & { generatorVersion: number; sameGenerator: boolean };
}

/** decodeShare, plus the generated level the code names (its seed or date, and the generator version). */
export function decodeShareInfo(input: string): ShareInfo {
  // a paste can be anything: bound the work before cleaning it up
  if (input.length > 4 * MAX_CODE_CHARS) throw new InputError(`share code is ${input.length} characters long, more than the limit of ${MAX_CODE_CHARS}`);
  const code = cleanCode(input);
  if (!code) throw new InputError('share code is empty');
  if (code.length > MAX_CODE_CHARS) throw new InputError(`share code is ${code.length} characters long, more than the limit of ${MAX_CODE_CHARS}`);
  const m = /^pvlab(\d{1,6})\./.exec(code);
  if (!m) {
    if (code.startsWith('{')) throw new InputError('this is solution JSON, not a share code: save it to a file and use that file');
    throw new InputError(`not a pvlab share code (a code starts with '${SHARE_PREFIX}')`);
  }
  const version = Number(m[1]);
  if (version !== SHARE_VERSION) {
    throw new InputError(version > SHARE_VERSION
      ? `share code version ${version} comes from a newer pvlab; this one reads version ${SHARE_VERSION}`
      : `share code version ${version} is not supported; this pvlab reads version ${SHARE_VERSION}`);
  }
  const data = code.slice(m[0].length);
  const bad = /[^A-Za-z0-9_-]/.exec(data);
  if (bad) {
    const cp = bad[0].codePointAt(0)!;
    const ch = cp > 0x20 && cp < 0x7f ? JSON.stringify(bad[0]) : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new InputError(`share code is damaged (character ${ch} at position ${m[0].length + bad.index + 1} cannot be in a code)`);
  }
  if (data.length % 4 === 1) throw new InputError('share code is damaged (its length is impossible: it was truncated or has extra characters)');
  const body = Buffer.from(data, 'base64url');
  if (body.length < 1 + 2 + CHECK_BYTES) throw new InputError('share code is too short: it was truncated');
  const mode = body[0]!;
  const payload = body.subarray(1, body.length - CHECK_BYTES);
  const check = body.subarray(body.length - CHECK_BYTES);
  if (!checksum(mode, payload).equals(check)) {
    throw new InputError('share code is damaged (checksum mismatch): it was truncated or altered while copying');
  }
  let raw: Uint8Array;
  if (mode === MODE_RAW) {
    raw = payload;
  } else if (mode === MODE_DEFLATE) {
    try {
      raw = inflateRawSync(payload, { maxOutputLength: MAX_PAYLOAD_BYTES });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new InputError(`share code expands to more than ${MAX_PAYLOAD_BYTES} bytes; refused`);
      }
      throw new InputError('share code is malformed (its compressed data does not decompress)');
    }
  } else {
    throw new InputError(`share code is malformed (unknown encoding ${mode})`);
  }
  const { value, generator } = unpack(raw);
  const r = SolutionSchema.safeParse(value);
  if (!r.success) throw new InputError(`share code holds an invalid solution: ${describeIssue(r.error)}`);
  const ref = parseGeneratedId(r.data.level);
  if (!ref) return { solution: r.data };
  // an older code of a generated level has no version: it came from the first generator
  const made = generator ?? 1;
  return { solution: r.data, generated: { ...ref, generatorVersion: made, sameGenerator: made === GENERATOR_VERSION } };
}
