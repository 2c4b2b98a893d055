// One writer of the race harness (race-harness.ts): opens the settings and progress store
// of the build under test (dist/io/settings.js) in its own process, waits for the common
// start (the barrier of race-harness.ts: env PVLAB_RACE_READY, PVLAB_RACE_N, PVLAB_RACE_AT),
// then makes one read-modify-write and prints what the store reported.
//   node race-writer.mjs <dist/io/settings.js> <configDir> progress <levelId>
//   node race-writer.mjs <dist/io/settings.js> <configDir> settings <playerName>
// Output: one line of JSON { ok, memory, warnings, error }.
import { readdirSync, writeFileSync } from 'node:fs';

const [, , storeModule, cwd, mode, arg] = process.argv;
const { openStore } = await import(storeModule);
const warnings = [];
const dir = process.env.PVLAB_RACE_READY, n = Number(process.env.PVLAB_RACE_N), until = Number(process.env.PVLAB_RACE_AT);
const cell = new Int32Array(new SharedArrayBuffer(4));
if (dir) {
  writeFileSync(dir + '/' + process.pid, '');
  while (readdirSync(dir).length < n && Date.now() < until) Atomics.wait(cell, 0, 0, 1);
}
let ok = false;
let error = '';
let memory = false;
try {
  const store = openStore({ cwd, onWarning: (l) => warnings.push(l) });
  if (mode === 'progress') store.recordResult(arg, { passed: true, stars: 2, metrics: { cost: 5, exports: 1, imports: 1, wastedExports: 0, hooks: 1, guestStall: 0, hostOverhead: 0 } });
  else store.setSettings({ playerName: arg });
  memory = store.path === null;
  ok = true;
} catch (err) {
  error = String(err?.message ?? err).split('\n')[0];
}
process.stdout.write(JSON.stringify({ ok, memory, warnings, error }) + '\n');
