// Maintainer tool: search prices and workload sizes for a campaign challenge whose par
// needs a combination the screen does not spell out. Keeps the level's machine, workloads
// and offered sites (its chapter's theme); draws prices (costs) and operation counts from
// a seeded stream, enumerates every placement (src/sim/par.ts) and prints the first
// variation that holds the challenge rules (test/levels/difficulty.test.ts):
//   - the enumeration's reference places at least `--min-hooks` hooks (default 3);
//   - at most 5% of the considered placements (src/sim/generate/considered.ts) meet par;
//   - at least 3 distinct passing answers (different metrics), with different stars;
//   - mainline's hooks pass and cost more than par; no hooks and every site miss par;
//   - the previous level's reference (a remembered answer) misses par.
//   npx tsx scripts/curate-challenge.ts <level-id> [--tries N] [--min-hooks K] [--seed S] [--add kind,...]
import { join } from 'node:path';
import { loadCampaign, loadSolutionFile } from '../src/io/files.js';
import { solutionHooks, type Level } from '../src/io/schema.js';
import { MAINLINE, measure } from '../src/sim/generate/index.js';
import { Rng } from '../src/sim/generate/prng.js';
import type { Costs } from '../src/sim/model.js';
import { campaignRules, enumerateLevel, hookKey, parFromEnumeration, starsUnder } from '../src/sim/par.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const id = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a))!;
const tries = opt('tries', 60), minHooks = opt('min-hooks', 3), seed = opt('seed', 1);
const campaign = loadCampaign().map((e) => e.level);
const at = campaign.findIndex((l) => l.id === id);
const base = campaign[at]!;
const prev = campaign.slice(0, at).reverse().find((l) => l.kind !== 'challenge')!;
const prevRef = solutionHooks(loadSolutionFile(join('test/solutions', `${prev.id}.reference.json`)), prev, prev.id);
const PRICES: [keyof Costs, number[]][] = [
  ['export', [5, 10, 40, 60, 120]], ['import', [5, 10, 50, 80, 150]], ['exception', [0.5, 1, 20, 40, 100]],
  ['hookCheck', [0.5, 1, 4]], ['stallRetry', [1, 3, 30, 60, 100]],
];
const addIdx = args.indexOf('--add');
const added = addIdx >= 0 ? args[addIdx + 1]!.split(',').map((kind) => ({ kind, ops: 80 }) as Level['workloads'][number]) : [];
const rng = new Rng(0xc4a1, seed);
const why: Record<string, number> = {};
const no = (w: string) => { why[w] = (why[w] ?? 0) + 1; };
for (let t = 0; t < tries; t++) {
  const costs: Partial<Costs> = {};
  for (const [k, vs] of rng.shuffle(PRICES).slice(0, rng.int(1, 3))) costs[k] = rng.pick(vs);
  const workloads = [...base.workloads, ...added].map((w) => (w.ops !== undefined ? { ...w, ops: Math.max(20, Math.round((w.ops * rng.int(5, 15)) / 10)) } : { ...w }));
  const lv: Level = { ...base, workloads, costs, par: {} };
  const e = enumerateLevel(lv);
  const found = parFromEnumeration(e);
  if (!found) { no('unsolvable'); continue; }
  if (found.reference.length < minHooks) { no('hooks'); continue; }
  const par = found.par;
  const bad = campaignRules(lv, e, par).find((c) => !c.ok);
  if (bad) { no(bad.rule); continue; }
  const m = measure(lv, e, par);
  if (m.consideredShare > 0.05) { no('share'); continue; }
  if (m.answers < 3 || m.starLevels.length < 2 || !m.starLevels.includes(3)) { no('answers'); continue; }
  const main = MAINLINE.filter((h) => lv.sites.includes(h.site));
  const mainScore = e.scored.find((s) => hookKey(s.hooks) === hookKey(main));
  if (!mainScore?.passed || !(mainScore.metrics!.cost > par.cost!)) { no('mainline'); continue; }
  const remembered = prevRef.filter((h) => lv.sites.includes(h.site));
  const rem = e.scored.find((s) => hookKey(s.hooks) === hookKey(remembered));
  if (rem && starsUnder(rem, par) === 3) { no('remembered'); continue; }
  console.log(JSON.stringify({ id, try: t, costs, workloads, par, reference: found.reference, dropped: found.dropped, measure: m, remembered: prev.id }));
  process.exit(0);
}
console.log(`${id}: nothing in ${tries} tries: ${JSON.stringify(why)}`);
process.exit(1);
