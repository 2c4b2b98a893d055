// Maintainer tool: par of every campaign level from enumeration, with the level's reference
// solution (the one recipe, docs/levels.md; `pvlab par <level> --reference <file>` does the
// same for one level file).
//
//   npx tsx test/levels/pars.ts [--write] [level...]   # show (and rewrite) levels whose par is stale
//
// Run it after a change to the engine or to a level's machine, workloads, seeds or costs;
// the campaign tests fail while a par is stale. (`--analyze` is accepted and ignored: it
// was the name of this recipe when there were two.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { solutionHooks, type Level } from '../../src/io/schema.js';
import { PAR_METRICS, type ParMetric } from '../../src/sim/verify.js';
import { scoreLevel } from '../../src/sim/score.js';
import type { LevelAnalysis } from '../../src/sim/analyze.js';
import { enumerateLevel, parFromEnumeration, type ParWithChanges } from '../../src/sim/par.js';

export { parTolerance } from '../../src/sim/par.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface AnalyzedPar {
  par: ParWithChanges;
  /** par metrics on which the reference is beaten by another passing placement: left out of par */
  dropped: (ParMetric | 'changes')[];
  analysis: LevelAnalysis;
}

/**
 * Par from enumeration with the level's reference solution (src/sim/par.ts, the recipe
 * `pvlab par --reference` uses): every placement scored, par the best values on the metrics
 * where the reference reaches them; the others are left out and reported.
 */
export function analyzePar(lv: Level): AnalyzedPar {
  const file = join(root, 'test/solutions', `${lv.id}.reference.json`);
  const hooks = solutionHooks(loadSolutionFile(file), lv, file);
  if (!scoreLevel(lv, hooks).passed) throw new Error(`${lv.id}: the reference solution fails`);
  const e = enumerateLevel(lv);
  const found = parFromEnumeration(e, hooks);
  if (!found) throw new Error(`${lv.id}: the reference solution fails`);
  return { par: found.par, dropped: found.dropped, analysis: e.analysis };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  let stale = 0;
  for (const { file, level } of loadCampaign()) {
    if (only.length && !only.includes(level.id)) continue;
    let a: AnalyzedPar;
    try {
      a = analyzePar(level);
    } catch (err) {
      console.log(`${level.id}: ${(err as Error).message}; par left as it is`);
      stale++;
      continue;
    }
    const par = a.par;
    if (a.dropped.length) console.log(`${level.id}: the reference is beaten on ${a.dropped.join(', ')}: left out of par`);
    const same = [...PAR_METRICS, 'changes' as const].every((k) => level.par[k] === par[k]);
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
