// Submission times for the board's last ranking key (src/sim/ranking.ts): where a folder
// is in a git repository, the commit time of the last commit that touched the file (a
// file changed since, or never committed, has its modification time); else the file's
// modification time. Two git commands per folder, whatever the number of files.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface GitTimes {
  /** the repository's top folder (a real path) */
  top: string;
  /** real path -> commit time in ms, for files committed and unchanged since */
  times: Map<string, number>;
}

function git(cwd: string, args: readonly string[]): string | null {
  const r = spawnSync('git', ['-c', 'core.quotePath=false', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 && typeof r.stdout === 'string' ? r.stdout : null;
}

/** The last commit time of every file under `dir`, or null when `dir` is not in a git work tree (or git is missing). */
export function gitTimes(dir: string): GitTimes | null {
  const topOut = git(dir, ['rev-parse', '--show-toplevel']);
  if (topOut === null) return null;
  const top = topOut.trim();
  const log = git(dir, ['log', '-z', '--format=%x01%ct', '--name-only', '--no-renames', '--', '.']);
  if (log === null) return { top, times: new Map() };
  const times = new Map<string, number>();
  let t = 0;
  for (const tok of log.split('\0')) {
    if (tok.startsWith('\x01')) {
      t = Number(tok.slice(1)) * 1000;
      continue;
    }
    const name = tok.replace(/^\n/, '');
    if (!name) continue;
    const p = resolve(top, name);
    if (!times.has(p)) times.set(p, t);
  }
  // changed or new since the last commit: the file's own time stands
  const status = git(dir, ['status', '-z', '--porcelain', '--untracked-files=all', '--no-renames', '--', '.']);
  for (const rec of (status ?? '').split('\0')) {
    if (rec.length > 3) times.delete(join(top, rec.slice(3)));
  }
  return { top, times };
}
