// Runs once before the suite: the spawned smoke tests run the built binary (dist/), so
// build it when anything it is built from changed since the last build. A hash of the
// inputs, not timestamps, decides: no test ever runs a dist/ older than src/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist/.build-inputs');
const INPUTS = ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function files(p: string): string[] {
  const full = join(ROOT, p);
  if (!existsSync(full)) return [];
  try {
    return readdirSync(full, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(ROOT, join(d.parentPath, d.name)));
  } catch {
    return [p]; // a file
  }
}

/** One hash over the names and contents of everything the build reads. */
export function inputsHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files).sort()) h.update(f).update('\0').update(readFileSync(join(ROOT, f))).update('\0');
  return h.digest('hex');
}

export default function setup(): void {
  const want = inputsHash();
  const have = existsSync(STAMP) && existsSync(join(ROOT, 'dist/cli.js')) ? readFileSync(STAMP, 'utf8').trim() : '';
  if (have === want) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(STAMP, `${want}\n`);
}
