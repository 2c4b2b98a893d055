// Reading level and solution files: size limits, JSON errors, schema errors, all as
// one-line InputErrors naming the file.
//
// Files come from strangers (workshop folders, downloads), so reading is bounded: the
// file is opened without blocking, must be a regular file (not a FIFO, a device such
// as /dev/zero, a socket or a folder, also behind a symbolic link), and is read into a
// buffer of at most the limit, whatever size it claims. The bytes must be UTF-8 (a
// UTF-8 or UTF-16 byte-order mark is honoured) and the text strict JSON (json.ts).
import { closeSync, constants as fsc, fstatSync, openSync, readSync, readdirSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, fsReason, isInputError } from './errors.js';
import { parseStrictJson } from './json.js';
import { LIMITS, parseLevel, parseSolution, type Level, type Solution } from './schema.js';
import { GenerateError, levelForId, parseGeneratedId } from '../sim/generate/index.js';

/** The shipped campaign: `<package>/levels` (both src/io and dist/io sit two levels down). */
export function campaignDir(): string {
  return process.env.PVLAB_LEVELS_DIR || fileURLToPath(new URL('../../levels/', import.meta.url));
}

/** What a non-regular file is, for the message refusing it. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a folder';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (st.isCharacterDevice()) return 'is a character device, not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const READ_FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOCTTY ?? 0);

/**
 * The bytes of a regular file of at most `maxBytes`. Never blocks on a FIFO, never reads
 * an endless device, never reads more than `maxBytes + 1` bytes even if the file grows.
 */
export function readBoundedFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait for one
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    throw new InputError(`${path}: ${fsReason(err)}`);
  }
  try {
    let st: Stats;
    try {
      st = fstatSync(fd);
    } catch (err) {
      throw new InputError(`${path}: ${fsReason(err)}`);
    }
    if (!st.isFile()) throw new InputError(`${path}: ${kindOf(st)}`);
    if (st.size > maxBytes) throw new InputError(`${path}: file is ${st.size} bytes, more than the limit of ${maxBytes}`);
    // the size can lie (a file still being written, /proc): read until the end of the
    // file, growing the buffer as needed, but never past the limit + 1 byte
    let buf = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(st.size, 4096)) + 1);
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      let got: number;
      try {
        got = readSync(fd, buf, len, buf.length - len, null);
      } catch (err) {
        throw new InputError(`${path}: ${fsReason(err)}`);
      }
      if (got === 0) return buf.subarray(0, len);
      len += got;
      if (len > maxBytes) throw new InputError(`${path}: file is more than the limit of ${maxBytes} bytes`);
    }
  } finally {
    try { closeSync(fd); } catch { /* nothing to do */ }
  }
}

/** Offset of the first byte that breaks UTF-8 (the buffer is known not to be UTF-8). */
function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !isUtf8(b.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return i;
}

const BOM_UTF8 = [0xef, 0xbb, 0xbf];

/**
 * File bytes as text. UTF-8 (with or without its BOM) and UTF-16 with a byte-order mark
 * (what Windows editors and PowerShell redirects write) are read; anything else is an
 * InputError naming the file and what was found (binary data, UTF-32, invalid bytes).
 */
export function decodeText(b: Uint8Array, source: string): string {
  const starts = (...bytes: number[]) => bytes.every((x, k) => b[k] === x);
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) {
    throw new InputError(`${source}: is UTF-32 text; save it as UTF-8`);
  }
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) {
    const le = b[0] === 0xff;
    if (b.length % 2) throw new InputError(`${source}: is UTF-16 text with an odd number of bytes (truncated?)`);
    const body = Buffer.from(b.subarray(2));
    if (!le) body.swap16();
    try {
      return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      throw new InputError(`${source}: is not valid UTF-16 text`);
    }
  }
  const body = starts(...BOM_UTF8) ? b.subarray(3) : b;
  const nul = body.indexOf(0);
  if (nul >= 0) {
    const utf16ish = body.length >= 2 && (body[0] === 0 || body[1] === 0);
    throw new InputError(utf16ish
      ? `${source}: looks like UTF-16 text without a byte-order mark; save it as UTF-8`
      : `${source}: contains a NUL byte at offset ${nul + (body === b ? 0 : 3)}: binary data, not a JSON text file`);
  }
  if (!isUtf8(body)) {
    const at = firstBadUtf8(body) + (body === b ? 0 : 3);
    throw new InputError(`${source}: is not UTF-8 text (invalid byte 0x${(b[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at})`);
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/** Read a JSON file of at most `maxBytes`: bounded, decoded, strictly parsed. */
export function readJsonFile(path: string, maxBytes: number): unknown {
  return parseJsonText(decodeText(readBoundedFile(path, maxBytes), path), path);
}

/** Parse untrusted JSON text; errors name `source`, the line and the column. */
export function parseJsonText(raw: string, source: string): unknown {
  return parseStrictJson(raw, source);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A level file: bounded, strict JSON, the level schema. */
export function loadLevelFile(path: string): Level {
  const value = readJsonFile(path, LIMITS.levelFileBytes);
  if (isObject(value) && typeof value.format === 'string' && value.format.startsWith('pvlab-solution@') && !('arch' in value)) {
    throw new InputError(`${path}: is a solution file, not a level (give it with --solution)`);
  }
  return parseLevel(value, path);
}

/** A solution file: bounded, strict JSON, `parseSolution` (the one solution loader). */
export function loadSolutionFile(path: string): Solution {
  return parseSolution(readJsonFile(path, LIMITS.solutionFileBytes), path);
}

export interface CampaignEntry {
  file: string;
  level: Level;
}

/** Every level of a folder, in campaign order (chapter, order, file name). */
export function loadCampaign(dir = campaignDir()): CampaignEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new InputError(`${dir}: ${fsReason(err)}`);
  }
  const out = names.map((n) => ({ file: join(dir, n), level: loadLevelFile(join(dir, n)) }));
  const ids = new Map<string, string>();
  for (const e of out) {
    const prev = ids.get(e.level.id);
    if (prev) throw new InputError(`${e.file}: level id '${e.level.id}' is also used by ${basename(prev)}`);
    ids.set(e.level.id, e.file);
  }
  out.sort((a, b) =>
    a.level.chapter - b.level.chapter || (a.level.order ?? 0) - (b.level.order ?? 0) || a.file.localeCompare(b.file));
  return out;
}

/** A level given as an id of the campaign or as a path to a JSON file. */
export function resolveLevel(ref: string, dir = campaignDir()): CampaignEntry {
  const looksLikePath = ref.endsWith('.json') || ref.includes('/') || ref.includes('\\');
  if (looksLikePath) {
    const file = resolve(ref);
    return { file, level: loadLevelFile(file) };
  }
  const all = loadCampaign(dir);
  const hit = all.find((e) => e.level.id === ref);
  if (!hit) {
    const generated = generatedLevel(ref);
    if (generated) return { file: `(generated ${ref})`, level: generated };
    const close = all.filter((e) => e.level.id.includes(ref)).map((e) => e.level.id).slice(0, 3);
    throw new InputError(`unknown level '${ref}'${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; see 'pvlab levels'`);
  }
  return hit;
}

/**
 * The level a generated or daily id names (`gen-<difficulty>-<seed>`, `daily-YYYY-MM-DD`),
 * regenerated and validated like a level file; null for any other id. The game, `play`,
 * `verify`, `analyze` and the workshop board find generated levels through this (or
 * resolveLevel, which falls back to it), so a room shares a level by its id alone.
 */
export function generatedLevel(id: string): Level | null {
  if (!parseGeneratedId(id)) return null;
  const known = generatedCache.get(id);
  if (known) return known;
  let g;
  try {
    g = levelForId(id);
  } catch (err) {
    if (err instanceof GenerateError) throw new InputError(`${id}: ${err.message}`);
    throw err;
  }
  if (!g) return null;
  const level = parseLevel(g.level, id);
  // a board ranks many solutions of one daily level: generate it once per process
  if (generatedCache.size >= 16) generatedCache.delete(generatedCache.keys().next().value!);
  generatedCache.set(id, level);
  return level;
}

const generatedCache = new Map<string, Level>();

/**
 * `levels` plus the generated levels (`gen-...`, `daily-...`) that `ids` name and `levels`
 * lacks, regenerated (a board of the daily level needs no level file). An id that cannot
 * be generated is left out: its solutions are listed as for an unknown level.
 */
export function withGeneratedLevels(levels: readonly Level[], ids: Iterable<string>): Level[] {
  const have = new Set(levels.map((l) => l.id));
  const out = [...levels];
  for (const id of ids) {
    if (have.has(id)) continue;
    have.add(id);
    try {
      const lv = generatedLevel(id);
      if (lv) out.push(lv);
    } catch (err) {
      if (!isInputError(err)) throw err;
    }
  }
  return out;
}
