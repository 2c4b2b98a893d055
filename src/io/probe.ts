// The measurements the game and the bench's hello world leave for `pvlab bench --startup`
// (PVLAB_PROBE names the file): one JSON line, written when the process is done. No zod:
// this is part of the start-up bundles.
import { writeFileSync } from 'node:fs';

/** Write `data` as one JSON line to `file`. */
export function writeProbe(file: string, data: unknown): void {
  writeFileSync(file, JSON.stringify(data) + '\n');
}
