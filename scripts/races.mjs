#!/usr/bin/env node
// The long runs of the race harness (test/io/race-harness.ts; `npm test` runs it at one
// round of a few writers): every case with many writers and rounds, against a build.
// One line per case: writers x rounds, reported saved, lost, corrupt copies, wrong
// "saved" messages, failures; then how long a save takes past each kind of lock.
//   npm run build && node scripts/races.mjs [dist-folder] [rounds=3] [writers=12] [cases]
// cases: comma-separated of saves-stale, fresh-progress, mixed, stale-progress,
// import-force, progress-import, progress-fresh, locks (default: all). Each round spawns
// `writers` processes at once: keep the sizes small on a shared machine.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [dist = join(root, 'dist'), rounds = '3', writers = '12', cases = ''] = process.argv.slice(2);
const r = spawnSync('npx', ['tsx', join(root, 'test/io/race-harness.ts'), resolve(dist), rounds, writers, cases], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
