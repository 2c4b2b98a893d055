#!/usr/bin/env node
// `npm test`: the type check and the linter side by side (each is mostly one core's
// work, and the machine this runs on has two), then the whole vitest suite with any
// arguments given after `npm test --`. Each check's output is printed whole, in a fixed
// order, once it ends; the suite does not start unless both pass.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Run a command with its output captured; resolves to its exit code and output. */
function captured(args) {
  return new Promise((done) => {
    const child = spawn(npm, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('error', (e) => done({ code: 1, out: `${e.message}\n` }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), out: Buffer.concat(out).toString() }));
  });
}

const checks = await Promise.all([
  captured(['run', 'typecheck', '--silent']),
  captured(['run', 'lint', '--silent']),
]);
let failed = false;
for (const [name, r] of [['typecheck', checks[0]], ['lint', checks[1]]]) {
  if (r.out) process.stdout.write(r.out);
  if (r.code !== 0) { process.stderr.write(`npm test: ${name} failed (exit ${r.code})\n`); failed = true; }
}
if (failed) process.exit(1);

const vitest = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => vitest.kill(sig));
vitest.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
