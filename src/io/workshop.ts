// A workshop folder on disk: `workshop.json` (the trainer's public key and its id), `levels/`
// (the workshop's own levels, beside the campaign), `players/<name>/` (each player's
// folder: `sealed/` for sealed entries, `saves/` for the game's saves, kept out of git),
// and an optional `round.json` (the levels of the round and its deadline). The trainer's
// private key never goes in the folder: by default it is kept in the pvlab config folder,
// `workshop-keys/<id>.pem`, readable by its owner only.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { writeFileAtomic } from './atomic.js';
import { InputError, fsReason } from './errors.js';
import { readBoundedFile, readJsonFile } from './files.js';
import { PRINTABLE_LINE, sanitizeLine } from './sanitize.js';
import { configDir, defaultConfigPath } from './settings.js';
import { keyId, newWorkshopKeys, privateKeyOf, publicKeyOf } from './sealed.js';

export const WORKSHOP_FORMAT = 'pvlab-workshop@1';
export const WORKSHOP_FILE = 'workshop.json';
export const ROUND_FILE = 'round.json';

export interface WorkshopInfo {
  /** the workshop folder (absolute) */
  dir: string;
  id: string;
  publicKey: KeyObject;
}

/** Where the trainer's private key for workshop `id` is kept by default (outside any workshop folder). */
export function defaultKeyPath(id: string): string {
  const base = configDir() ?? dirname(defaultConfigPath());
  return join(resolve(base), 'workshop-keys', `${id}.pem`);
}

/** A player name: the name of a folder every machine can make and every screen shows as it is. */
export function checkPlayerName(name: string): string {
  if (!name) throw new InputError('--name: give a player name');
  if (!PRINTABLE_LINE.test(name) || name !== sanitizeLine(name)) throw new InputError('--name: a player name must not contain control or invisible characters');
  if ([...name].length > 40) throw new InputError('--name: at most 40 characters');
  if (/[/\\:*?"<>|]/.test(name) || name.startsWith('.') || name.trim() !== name) {
    throw new InputError(`--name: '${name}' cannot be a folder name (no / \\ : * ? " < > |, no leading dot or space)`);
  }
  return name;
}

/** The workshop folder `path` is in (itself or up to four folders up), or null. */
export function findWorkshop(path: string): string | null {
  let dir = resolve(path);
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, WORKSHOP_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Read a workshop folder's workshop.json, or an InputError. */
export function readWorkshop(dir: string): WorkshopInfo {
  const file = join(dir, WORKSHOP_FILE);
  const v = readJsonFile(file, 64 * 1024) as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || v.format !== WORKSHOP_FORMAT || typeof v.publicKey !== 'string') {
    throw new InputError(`${file}: not a pvlab workshop file (${WORKSHOP_FORMAT})`);
  }
  const publicKey = publicKeyOf(v.publicKey, file);
  return { dir: resolve(dir), id: keyId(publicKey), publicKey };
}

/** The trainer's private key for a workshop: from `keyFile`, else the default place; checked against the workshop's public key. */
export function trainerKey(w: WorkshopInfo, keyFile?: string): KeyObject | null {
  const path = keyFile ?? defaultKeyPath(w.id);
  if (!keyFile && !existsSync(path)) return null;
  const key = privateKeyOf(readBoundedFile(path, 16 * 1024).toString('utf8'), path);
  const id = keyId(createPublicKey(key));
  if (id !== w.id) throw new InputError(`${path}: this key is for workshop ${id}, not for ${w.dir} (${w.id}): wrong key`);
  return key;
}

export interface InitResult {
  dir: string;
  id: string;
  keyPath: string;
}

/** Create a workshop folder: levels/, players/, workshop.json, .gitignore; the private key outside it. */
export function initWorkshop(folder: string, keyFile?: string): InitResult {
  const dir = resolve(folder);
  if (existsSync(join(dir, WORKSHOP_FILE))) throw new InputError(`${dir}: is already a workshop (${WORKSHOP_FILE} exists)`);
  const keys = newWorkshopKeys();
  const keyPath = resolve(keyFile ?? defaultKeyPath(keys.id));
  const rel = relative(dir, keyPath);
  if (!rel.startsWith('..') && !isAbsolute(rel)) throw new InputError(`--key: ${keyPath} is inside the workshop folder; the private key must stay outside it`);
  if (existsSync(keyPath)) throw new InputError(`--key: ${keyPath} exists; not overwritten`);
  try {
    mkdirSync(join(dir, 'levels'), { recursive: true });
    mkdirSync(join(dir, 'players'), { recursive: true });
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new InputError(`${dir}: ${fsReason(err)}`);
  }
  writeFileAtomic(keyPath, keys.privatePem, { overwrite: false, mode: 0o600 });
  writeFileAtomic(join(dir, 'players', '.gitkeep'), '');
  writeFileAtomic(join(dir, 'levels', '.gitkeep'), '');
  // the game's plain saves stay on each player's machine: only sealed entries are pushed
  writeFileAtomic(join(dir, '.gitignore'), 'players/*/saves/\n');
  writeFileAtomic(join(dir, WORKSHOP_FILE), JSON.stringify({ format: WORKSHOP_FORMAT, id: keys.id, publicKey: keys.publicPem }, null, 2) + '\n');
  return { dir, id: keys.id, keyPath };
}

/** The player folders of a workshop (names as they are on disk). */
export function playersOf(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'players'), { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/**
 * A deadline: `2026-12-07`, `2026-12-07 22:00`, `2026-12-07T22:00:30`, each optionally with
 * `Z` or an offset (`+01:00`); without one it is local time. Anything else is an InputError.
 */
export function parseDeadline(text: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  const t = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}`) : NaN;
  const day = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || Number.isNaN(t) || day!.getUTCDate() !== +m[3]! || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) {
    throw new InputError(`${what}: '${sanitizeLine(text).slice(0, 40)}' is not a date and time (e.g. 2026-12-07 22:00, 2026-12-07T22:00Z)`);
  }
  return t;
}

export interface Round {
  /** the round's levels (empty: every level) */
  levels: string[];
  since?: number;
  until?: number;
}

/** The round of a workshop folder (round.json: {levels?, since?, until?}), or null when it has none. */
export function readRound(dir: string): Round | null {
  const file = join(dir, ROUND_FILE);
  if (!existsSync(file)) return null;
  const v = readJsonFile(file, 64 * 1024) as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${file}: a round is an object {levels, since, until}`);
  const extra = Object.keys(v).find((k) => !['levels', 'since', 'until'].includes(k));
  if (extra) throw new InputError(`${file}: unknown field '${sanitizeLine(extra).slice(0, 40)}' (a round has levels, since, until)`);
  const levels = v.levels ?? [];
  if (!Array.isArray(levels) || levels.some((l) => typeof l !== 'string')) throw new InputError(`${file}: 'levels' must be a list of level ids`);
  const round: Round = { levels: levels as string[] };
  for (const k of ['since', 'until'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'string') throw new InputError(`${file}: '${k}' must be a date and time text`);
    round[k] = parseDeadline(v[k], `${file}: ${k}`);
  }
  return round;
}
