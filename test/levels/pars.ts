// Maintainer tool: par of every campaign level, re-taken from its reference solution.
//
//   npx tsx test/levels/pars.ts            # show levels whose par is not what the reference gives
//   npx tsx test/levels/pars.ts --write    # rewrite those levels' par blocks in place
//
// Par = the reference's mean per seed over every visible and hidden seed (as `pvlab verify`
// reports it), raised by 2 % and rounded up to a step that suits its size; `hooks` is the
// reference's exact hook count. Run it after a change to the engine or to a level's
// machine, workloads, seeds or costs; the campaign tests fail while a par is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { solutionHooks, type Level } from '../../src/io/schema.js';
import { PAR_METRICS, type ParMetric } from '../../src/sim/verify.js';
import { hiddenSeeds, levelConfig } from '../../src/sim/score.js';
import { verify } from '../../src/sim/verify.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** 2 % headroom, rounded up: to 1 from 1000, 0.5 from 100, 0.1 from 10, else 0.01. */
export function parValue(mean: number, key: ParMetric): number {
  if (key === 'hooks') return mean;
  const y = mean * 1.02;
  const step = y >= 1000 ? 1 : y >= 100 ? 0.5 : y >= 10 ? 0.1 : 0.01;
  return Math.round(Math.ceil(y / step - 1e-9) * step * 100) / 100;
}

export function referencePar(lv: Level): Record<ParMetric, number> {
  const file = join(root, 'test/solutions', `${lv.id}.reference.json`);
  const hooks = solutionHooks(loadSolutionFile(file), lv, file);
  const v = verify({ config: levelConfig(lv), hooks, visibleSeeds: lv.seeds.visible, hiddenSeeds: hiddenSeeds(lv) });
  if (!v.passed) throw new Error(`${lv.id}: the reference solution fails on seed ${v.seeds.find((s) => !s.passed)?.seed}`);
  return Object.fromEntries(PAR_METRICS.map((k) => [k, parValue(v.metrics[k], k)])) as Record<ParMetric, number>;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const { file, level } of loadCampaign()) {
    const par = referencePar(level);
    const same = PAR_METRICS.every((k) => level.par[k] === par[k]);
    if (same) continue;
    stale++;
    console.log(`${level.id}: ${JSON.stringify(level.par)} -> ${JSON.stringify(par)}`);
    if (write) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      raw.par = par;
      writeFileSync(file, JSON.stringify(raw, null, 2) + '\n');
    }
  }
  console.log(stale ? `${stale} level(s) with a stale par${write ? ', rewritten' : ' (--write to fix)'}` : 'every par matches its reference');
}
