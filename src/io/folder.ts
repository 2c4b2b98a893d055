// The few file-system questions the game asks outside its stores: is a built file there
// (a worker, a bundle), what a folder holds, and tell me when it changes (the workshop
// board). The TUI goes through these, never node:fs (eslint.config.js). No zod here: the
// start-up bundles import this.
import { existsSync, readdirSync, statSync, watch } from 'node:fs';

/** Is there a file or folder at `path`? */
export const pathExists = (path: string): boolean => existsSync(path);

/** Is `path` a folder? Throws (the system's message) when it cannot be read. */
export const isFolder = (path: string): boolean => statSync(path).isDirectory();

/** The entries of a folder, sorted, without hidden ones and node_modules; throws a one-line Error when `dir` is no folder. */
export function folderEntries(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
  return readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'node_modules').sort();
}

/** A folder watch that can be stopped; `onError` hears when the folder goes away. */
export interface FolderWatch {
  close(): void;
}

/** Watch `dir` and everything under it; throws when it cannot be watched (not there yet). */
export function watchFolder(dir: string, onChange: () => void, onError: () => void): FolderWatch {
  const w = watch(dir, { recursive: true }, onChange);
  w.on('error', onError);
  return w;
}
