// `pvlab import CODE`: decode a share code and save the solution into the saves folder
// (never replacing a file without --force; a replaced file is kept in saves/.backup/).
import { isAbsolute, relative } from 'node:path';
import { loadCampaign } from '../io/files.js';
import { creditedTo } from '../io/credit.js';
import { InputError } from '../io/errors.js';
import { checkFit, saveSolution } from '../io/saves.js';
import { sanitizeLine } from '../io/sanitize.js';
import { decodeShare } from '../io/share.js';

export interface ImportOptions {
  force?: boolean;
  /** save under this name instead of the one in the code */
  name?: string;
  /** saves folder (default: the settings' savesDir) */
  dir?: string;
}

export async function importCommand(code: string, o: ImportOptions): Promise<number> {
  let sol = decodeShare(code);
  if (o.name !== undefined) {
    const name = o.name.trim();
    if (!name || name.length > 80) throw new InputError('--name: give a name of 1 to 80 characters');
    sol = { ...sol, name };
  }
  // conf (and its schema compiler) loads only when the settings are needed
  const store = (await import('../io/settings.js')).openStore();
  const dir = o.dir ?? store.savesDir();
  // the importer saves it as theirs, crediting the sharer: "via ada" on the board, not a
  // file whose author names someone else than the folder it is in
  // (without a player name of one's own the file stays as shared: its author is the sharer)
  sol = creditedTo(sol, store.settings().playerName);
  const r = saveSolution(sol, dir, { overwrite: !!o.force });
  const rel = relative(process.cwd(), r.path);
  // the folder comes from the settings or --dir: print it, like every path, printable
  process.stdout.write(`${sanitizeLine(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : r.path)}\n`);
  const author = sanitizeLine(sol.author ?? '');
  const who = sol.via ? ` (shared by ${sanitizeLine(sol.via)})` : author ? ` by ${author}` : '';
  process.stderr.write(`pvlab: saved '${sanitizeLine(sol.name)}'${who} for level ${sol.level}` +
    `${r.backup ? ` (the previous file is kept as ${sanitizeLine(r.backup)})` : ''}\n`);
  // say now, not at the first run, when the solution no longer fits the campaign
  let levels;
  try {
    levels = loadCampaign().map((e) => e.level);
  } catch {
    return 0;
  }
  for (const p of checkFit(sol, levels).problems) process.stderr.write(`pvlab: warning: ${p}\n`);
  return 0;
}
