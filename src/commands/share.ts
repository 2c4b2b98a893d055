// `pvlab share FILE`: one line that `pvlab import` turns back into the same solution.
import { readSolution } from '../io/saves.js';
import { encodeShare } from '../io/share.js';

export function shareCommand(file: string): number {
  process.stdout.write(encodeShare(readSolution(file)) + '\n');
  return 0;
}
