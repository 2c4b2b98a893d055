// `npm start`: the game from dist/, rebuilt only when an input is newer than the last
// build (a `git pull`, an edit); `npm ci` / `npm install` build once through `prepare`.
// The check is a walk of src/, levels/ and the build files' times: a few milliseconds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');

function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs; // a removed file changes its folder's time
  for (const n of readdirSync(path)) m = Math.max(m, newest(join(path, n)));
  return m;
}

const inputs = ['src', 'levels', 'scripts/bundle-tui.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch { /* never built */ }
if (Math.max(...inputs.map((p) => newest(join(root, p)))) > built) {
  process.stderr.write('pvlab: sources changed since the last build: building…\n');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.env.PVLAB_FORCE_MAIN = '1';
await import('../dist/cli.js');
