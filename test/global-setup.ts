// Runs once before the suite: the spawned smoke tests run the built binary (dist/), so
// build it when anything it is built from changed since the last build. A hash of the
// inputs (scripts/build-inputs.mjs, written by every `npm run build`), not timestamps,
// decides: no test ever runs a dist/ older than src/, and a fresh `npm ci` (which builds
// through `prepare`) is not built twice.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module of the build, without type declarations
import { ROOT, STAMP, inputsHash } from '../scripts/build-inputs.mjs';

export default function setup(): void {
  const want = (inputsHash as () => string)();
  const have = existsSync(STAMP as string) && existsSync(join(ROOT as string, 'dist/cli.js')) ? readFileSync(STAMP as string, 'utf8').trim() : '';
  if (have === want) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT as string, stdio: 'inherit' });
}
