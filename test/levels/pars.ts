// Maintainer tool: par of every campaign level, re-taken from its reference solution.
//
//   npx tsx test/levels/pars.ts            # show levels whose par is not what the reference gives
//   npx tsx test/levels/pars.ts --write    # rewrite those levels' par blocks in place
//   npx tsx test/levels/pars.ts --analyze [--write] [level...]
//                                          # par from enumeration (see analyzePar below)
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
import { analyzeLevel, type LevelAnalysis } from '../../src/sim/analyze.js';
import { hiddenSeeds, levelConfig, scoreLevel } from '../../src/sim/score.js';
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

/**
 * How far above the best a par may sit: 0.1 %. A hook check costs 0.1 per page it sees,
 * so a placement can lead by a few checks without being a better answer; par keeps the
 * reference's value then, and the difficulty test allows the same margin.
 */
export function parTolerance(best: number): number {
  return Math.abs(best) * 0.001 + 1e-9;
}

export interface AnalyzedPar {
  par: Partial<Record<ParMetric | 'changes', number>>;
  /** par metrics on which the reference is beaten by another passing placement: left out of par */
  dropped: (ParMetric | 'changes')[];
  analysis: LevelAnalysis;
}

/**
 * Par from enumeration: every placement of the level is scored (pvlab analyze) and a par
 * metric is the best value any passing placement reaches (within parTolerance). Par keeps the metrics
 * on which the reference solution reaches that best, so that par is both as strict as the
 * level allows and reachable (the reference meets all of it); a metric on which some other
 * placement beats the reference is left out and reported (pick a better reference, or
 * accept that the level is a trade-off on it).
 */
export function analyzePar(lv: Level): AnalyzedPar {
  const file = join(root, 'test/solutions', `${lv.id}.reference.json`);
  const hooks = solutionHooks(loadSolutionFile(file), lv, file);
  const ref = scoreLevel(lv, hooks);
  if (!ref.passed) throw new Error(`${lv.id}: the reference solution fails`);
  const analysis = analyzeLevel(lv);
  const par: AnalyzedPar['par'] = {};
  const dropped: AnalyzedPar['dropped'] = [];
  for (const k of PAR_METRICS) {
    const best = analysis.best[k]!;
    const mine = ref.metrics[k];
    if (mine <= best + parTolerance(best)) par[k] = Math.max(mine, best);
    else dropped.push(k);
  }
  // review levels: the fewest changes to the start placement that any passing placement needs
  if (ref.changes && analysis.best.changes !== undefined) {
    if (ref.changes.count <= analysis.best.changes) par.changes = analysis.best.changes;
    else dropped.push('changes');
  }
  return { par, dropped, analysis };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  const fromAnalyze = process.argv.includes('--analyze');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  let stale = 0;
  for (const { file, level } of loadCampaign()) {
    if (only.length && !only.includes(level.id)) continue;
    let par: Partial<Record<ParMetric | 'changes', number>>;
    if (fromAnalyze) {
      let a: AnalyzedPar;
      try {
        a = analyzePar(level);
      } catch (err) {
        console.log(`${level.id}: ${(err as Error).message}; par left as it is`);
        stale++;
        continue;
      }
      par = a.par;
      if (a.dropped.length) console.log(`${level.id}: the reference is beaten on ${a.dropped.join(', ')}: left out of par`);
    } else par = referencePar(level);
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
