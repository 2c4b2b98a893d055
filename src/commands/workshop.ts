// `pvlab workshop init|join|submit|reveal`: a workshop as a tournament. The trainer creates
// the folder (a public key in it, the private key kept outside), players join it (their
// name and the folder in the settings) and submit sealed entries that only the trainer's
// board opens; `reveal` is the trainer's board with hook sets and names shown.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { InputError, fsReason } from '../io/errors.js';
import { loadSolutionFile, readBoundedFile, readJsonFile } from '../io/files.js';
import { LIMITS } from '../io/schema.js';
import { sanitizeLine, terminalSafeJson } from '../io/sanitize.js';
import { isSealed, openSealed, privateKeyOf, seal } from '../io/sealed.js';
import { checkPlayerName, findWorkshop, initWorkshop, readWorkshop, trainerKey } from '../io/workshop.js';
import { boardCommand, type BoardOptions } from './leaderboard.js';

export function workshopInit(folder: string, o: { key?: string }): number {
  const r = initWorkshop(folder, o.key);
  process.stdout.write(
    `pvlab: workshop ${r.id} created in ${sanitizeLine(r.dir)} (levels/, players/, workshop.json with the public key)\n` +
    `pvlab: the private key is ${sanitizeLine(r.keyPath)}: keep it, never commit it; \`pvlab board\` on this machine finds it\n`,
  );
  return 0;
}

export async function workshopJoin(folder: string, o: { name?: string }): Promise<number> {
  const name = checkPlayerName(o.name ?? '');
  const dir = findWorkshop(folder);
  if (!dir || resolve(folder) !== dir) throw new InputError(`${sanitizeLine(resolve(folder))}: not a workshop folder (no workshop.json; the trainer makes one with 'pvlab workshop init')`);
  const w = readWorkshop(dir);
  const mine = join(w.dir, 'players', name);
  try {
    mkdirSync(join(mine, 'sealed'), { recursive: true });
  } catch (err) {
    throw new InputError(`${sanitizeLine(mine)}: ${fsReason(err)}`);
  }
  const { openStore } = await import('../io/settings.js');
  const store = openStore();
  store.setSettings({ playerName: name, workshopDir: w.dir, savesDir: join(mine, 'saves') });
  process.stdout.write(`pvlab: joined workshop ${w.id} as '${name}': saves go to ${sanitizeLine(join(mine, 'saves'))} (not pushed); ` +
    `'pvlab workshop submit <solution.json>' seals an entry into ${sanitizeLine(join(mine, 'sealed'))}\n`);
  return 0;
}

export async function workshopSubmit(files: readonly string[], o: { workshop?: string; name?: string }): Promise<number> {
  const { openStore } = await import('../io/settings.js');
  const settings = openStore().settings();
  const folder = o.workshop ?? settings.workshopDir;
  if (!folder) throw new InputError("no workshop: join one ('pvlab workshop join <folder> --name <you>') or give --workshop");
  const dir = findWorkshop(folder);
  if (!dir) throw new InputError(`${sanitizeLine(folder)}: not in a workshop folder (no workshop.json)`);
  const w = readWorkshop(dir);
  const name = checkPlayerName(o.name ?? settings.playerName);
  const out = join(w.dir, 'players', name, 'sealed');
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new InputError(`${sanitizeLine(out)}: ${fsReason(err)}`);
  }
  // read every file before writing any: a bad one leaves nothing half-submitted
  const sols = files.map((f) => loadSolutionFile(f));
  for (const sol of sols) {
    const env = seal(sol, name, w.publicKey);
    // the file name says nothing of the solution: the level and a random tag
    const path = join(out, `${sol.level}--${randomBytes(4).toString('hex')}.json`);
    writeFileAtomic(path, JSON.stringify(env, null, 2) + '\n', { overwrite: false });
    process.stdout.write(`${path}\n`);
  }
  process.stderr.write(`pvlab: sealed ${sols.length} entr${sols.length === 1 ? 'y' : 'ies'} for workshop ${w.id}; push them: git add players/${name}/sealed && git commit && git push\n`);
  return 0;
}

export async function workshopReveal(folder: string, o: BoardOptions): Promise<number> {
  return boardCommand([folder], { ...o, reveal: true });
}

/** Open one sealed entry with the trainer's key and print the solution inside (tampered or wrong key: exit 2). */
export function workshopOpen(file: string, o: { key?: string }): number {
  const dir = findWorkshop(file);
  const value = readJsonFile(file, LIMITS.solutionFileBytes);
  if (!isSealed(value)) throw new InputError(`${sanitizeLine(file)}: not a sealed entry`);
  let key = null;
  if (dir) key = trainerKey(readWorkshop(dir), o.key);
  else if (o.key) key = privateKeyOf(readBoundedFile(o.key, 16 * 1024).toString('utf8'), o.key);
  if (!key) throw new InputError(`${sanitizeLine(file)}: no trainer key here; give --key`);
  const { solution } = openSealed(value, key, file);
  process.stdout.write(terminalSafeJson(solution, 2) + '\n');
  return 0;
}
