// What the build reads, as one hash: `npm run build` writes it to dist/.build-inputs when it
// ends, and the test suite's global setup rebuilds only when the hash differs (so a fresh
// `npm ci`, which builds through `prepare`, is not built a second time by `npm test`).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STAMP = join(ROOT, 'dist/.build-inputs');
const INPUTS = ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function files(p) {
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
export function inputsHash() {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files).sort()) h.update(f).update('\0').update(readFileSync(join(ROOT, f))).update('\0');
  return h.digest('hex');
}

if (process.argv[2] === '--write') writeFileSync(STAMP, `${inputsHash()}\n`);
