// `pvlab progress export FILE | import FILE | reset`: the player's progress and settings.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { writeFileAtomic } from '../io/atomic.js';
import { InputError, fsReason } from '../io/errors.js';
import { readJsonFile } from '../io/files.js';
import { sanitizeLine } from '../io/sanitize.js';
import { loadCampaign } from '../io/files.js';
import { MAX_UNKNOWN_LEVELS, openStore, PROGRESS_FILE_BYTES } from '../io/settings.js';

export interface ProgressOptions {
  force?: boolean;
  yes?: boolean;
}

export function progressExport(file: string, o: ProgressOptions): number {
  const store = openStore();
  const data = store.exportData();
  if (existsSync(file) && !o.force) throw new InputError(`${file} already exists; use --force to replace it`);
  try {
    writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', { overwrite: !!o.force });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError(`${file} already exists; use --force to replace it`);
    throw new InputError(`${file}: not written (${fsReason(err)})`);
  }
  const levels = Object.values(data.progress.levels);
  process.stdout.write(`exported progress of ${levels.length} level${levels.length === 1 ? '' : 's'} ` +
    `(${levels.filter((l) => l.solved).length} solved) and settings to ${sanitizeLine(file)}\n`);
  return 0;
}

export function progressImport(file: string): number {
  const value = readJsonFile(file, PROGRESS_FILE_BYTES);
  const store = openStore();
  // progress of levels this pvlab knows is always kept; others only up to a bound
  let knownLevels: string[] = [];
  try {
    knownLevels = loadCampaign().map((e) => e.level.id);
  } catch { /* a broken campaign: every level counts as unknown */ }
  const r = store.importData(value, file, { knownLevels });
  process.stdout.write(`imported progress of ${r.levels} level${r.levels === 1 ? '' : 's'} (${r.solved} solved; ` +
    `merged with the current progress, the better result kept per level)${r.settings ? ' and settings' : ''} from ${sanitizeLine(file)}\n`);
  if (r.dropped) {
    process.stderr.write(`pvlab: ${r.dropped} level${r.dropped === 1 ? '' : 's'} this pvlab does not know ${r.dropped === 1 ? 'was' : 'were'} not imported ` +
      `(at most ${MAX_UNKNOWN_LEVELS} unknown levels are kept)\n`);
  }
  if (r.foldersKept) {
    process.stderr.write('pvlab: the file names other saves/workshop folders; yours are kept (change them in the settings)\n');
  }
  return 0;
}

/** Ask a yes/no question on the terminal; anything but y/yes is no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = await rl.question(question);
    return /^\s*y(es)?\s*$/i.test(a);
  } finally {
    rl.close();
  }
}

export async function progressReset(o: ProgressOptions): Promise<number> {
  const store = openStore();
  if (!o.yes) {
    if (!process.stdin.isTTY) throw new InputError('progress reset asks for confirmation: run it in a terminal, or add --yes');
    const n = Object.keys(store.progress().levels).length;
    if (!(await confirm(`Forget the progress of ${n} level${n === 1 ? '' : 's'} (solutions in saves/ are kept)? [y/N] `))) {
      process.stderr.write('pvlab: progress kept\n');
      return 1;
    }
  }
  const backup = store.resetProgress();
  process.stdout.write(`progress reset${backup ? `; the old progress is kept in ${sanitizeLine(backup)} (pvlab progress import restores it)` : ''}\n`);
  return 0;
}
