// `pvlab share FILE`: one line that `pvlab import` turns back into the same solution.
import { loadSolutionFile } from '../io/files.js';
import { encodeShare } from '../io/share.js';

export function shareCommand(file: string): number {
  process.stdout.write(encodeShare(loadSolutionFile(file)) + '\n');
  return 0;
}
