#!/usr/bin/env node
// Times `pvlab board` on a synthetic workshop: N solution files by N/10 players over the
// campaign's levels, with varied hook sets (random subsets of each level's sites and
// `when` values), names and authors. Each size is timed twice: cold (empty verdict
// cache: every distinct hook set is scored) and warm (the cache of the cold run).
//   npm run build && node scripts/board-bench.mjs [300 3000 10000]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// BOARD_BENCH_CLI: another build's cli.js, to compare (it must take `board DIR --json`)
const cli = process.env.BOARD_BENCH_CLI || join(root, 'dist', 'cli.js');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const WHEN = { gup_fast: ['pin', 'get', 'any'], gup_slow: ['pin', 'get', 'any'], ptep_clear: ['any', 'live'] };

// a small deterministic generator: the same workshop every run
let state = 0x2545f491;
const rnd = (n) => {
  state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
  return state % n;
};

const levels = readdirSync(join(root, 'levels')).filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(root, 'levels', f), 'utf8')));

function hooksFor(lv) {
  const hooks = [];
  for (const site of lv.sites) {
    if (rnd(2)) continue;
    const w = WHEN[site];
    hooks.push(w && rnd(2) ? { site, when: w[rnd(w.length)] } : { site });
  }
  return hooks;
}

function workshop(n) {
  const dir = mkdtempSync(join(tmpdir(), `pvlab-board-bench-${n}-`));
  const players = Math.max(1, Math.round(n / 10));
  for (let p = 0; p < players; p++) mkdirSync(join(dir, `player${p}`));
  for (let i = 0; i < n; i++) {
    const lv = levels[rnd(levels.length)];
    const p = rnd(players);
    writeFileSync(join(dir, `player${p}`, `${lv.id}--s${i}.json`), JSON.stringify({
      format: 'pvlab-solution@1', level: lv.id, name: `try ${i}`, author: `player${p}`, hooks: hooksFor(lv),
    }));
  }
  return dir;
}

function time(dir, cache) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'board', dir, '--json'], {
    env: { ...process.env, PVLAB_CACHE_DIR: cache }, maxBuffer: 1 << 30, encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`board failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  const approaches = doc.levels.reduce((a, l) => a + (l.summary?.approaches ?? NaN), 0);
  return { ms, solutions: doc.solutions, approaches };
}

const rows = [];
for (const n of sizes.length ? sizes : [300, 3000, 10000]) {
  const dir = workshop(n);
  const cache = mkdtempSync(join(tmpdir(), 'pvlab-board-bench-cache-'));
  try {
    const cold = time(dir, cache);
    const warm = time(dir, cache);
    rows.push({ files: n, solutions: cold.solutions, distinctHookSets: cold.approaches, coldMs: Math.round(cold.ms), warmMs: Math.round(warm.ms) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
console.log('files   ranked  distinct hook sets  cold (s)  warm (s)');
for (const r of rows) {
  console.log(`${String(r.files).padStart(5)}  ${String(r.solutions).padStart(7)}  ${String(r.distinctHookSets).padStart(18)}  ${(r.coldMs / 1000).toFixed(2).padStart(8)}  ${(r.warmMs / 1000).toFixed(2).padStart(8)}`);
}
