// Reading level and solution files: size limits, JSON errors, schema errors, all as
// one-line InputErrors naming the file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';
import { LIMITS, parseLevel, parseSolution, type Level, type Solution } from './schema.js';

/** The shipped campaign: `<package>/levels` (both src/io and dist/io sit two levels down). */
export function campaignDir(): string {
  return process.env.PVLAB_LEVELS_DIR || fileURLToPath(new URL('../../levels/', import.meta.url));
}

function errnoMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return code ? code.toLowerCase() : String((err as Error)?.message ?? err);
  }
}

/** Read a JSON file of at most `maxBytes`. */
export function readJsonFile(path: string, maxBytes: number): unknown {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    size = st.size;
  } catch (err) {
    throw new InputError(`${path}: ${errnoMessage(err)}`);
  }
  if (size > maxBytes) throw new InputError(`${path}: file is ${size} bytes, more than the limit of ${maxBytes}`);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: ${errnoMessage(err)}`);
  }
  return parseJsonText(raw, path);
}

export function parseJsonText(raw: string, source: string): unknown {
  try {
    return JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  } catch (err) {
    const msg = (err as Error).message.replace(/^JSON\.parse: /, '').split('\n')[0];
    throw new InputError(`${source}: not valid JSON (${msg})`);
  }
}

export function loadLevelFile(path: string): Level {
  return parseLevel(readJsonFile(path, LIMITS.levelFileBytes), path);
}

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
    throw new InputError(`${dir}: ${errnoMessage(err)}`);
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
    const close = all.filter((e) => e.level.id.includes(ref)).map((e) => e.level.id).slice(0, 3);
    throw new InputError(`unknown level '${ref}'${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; see 'pvlab levels'`);
  }
  return hit;
}
