#!/usr/bin/env node
// Times the level generator: one level per seed, seeds 1..N per difficulty, in this process
// (the build's dist/sim/generate). Prints p50, p95 and max per difficulty, the attempts
// the generator drew, and the difficulty measures of the levels it kept (the share of the
// considered placements meeting par, the distinct passing answers).
//   npm run build && node scripts/bench-generate.mjs [seeds per difficulty, default 20] [--json]
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const { DIFFICULTIES, generateLevel } = await import(join(root, 'dist/sim/generate/index.js'));
const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
const json = process.argv.includes('--json');

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const out = {};
// warm the engine once (JIT) so the first seed is not an outlier of the first difficulty
generateLevel({ seed: 0, difficulty: 'easy' });
for (const difficulty of DIFFICULTIES) {
  const ms = [], attempts = [], share = [], answers = [];
  for (let seed = 1; seed <= n; seed++) {
    const t = performance.now();
    const g = generateLevel({ seed, difficulty });
    ms.push(performance.now() - t);
    attempts.push(g.attempts);
    share.push(g.measure.consideredShare);
    answers.push(g.measure.answers);
  }
  out[difficulty] = {
    seeds: n, p50Ms: Math.round(q(ms, 0.5)), p95Ms: Math.round(q(ms, 0.95)), maxMs: Math.round(Math.max(...ms)),
    meanAttempts: +(attempts.reduce((a, b) => a + b, 0) / n).toFixed(2),
    consideredShareMedian: +q(share, 0.5).toFixed(4), consideredShareMax: +Math.max(...share).toFixed(4),
    answersMin: Math.min(...answers),
  };
}
if (json) process.stdout.write(JSON.stringify(out) + '\n');
else {
  for (const [d, r] of Object.entries(out)) {
    console.log(`${d.padEnd(7)} ${r.seeds} seeds: p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms; ` +
      `${r.meanAttempts} attempts on average; considered placements meeting par: median ${(100 * r.consideredShareMedian).toFixed(1)}%, ` +
      `max ${(100 * r.consideredShareMax).toFixed(1)}%; at least ${r.answersMin} distinct passing answers`);
  }
}
