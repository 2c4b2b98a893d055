// A level's comparative claims are data (the level's `claims`, src/sim/claims.ts), and the
// engine checks them here on the level's seeds: a trap note, hint or epilogue sentence
// that says "more guest stall than", "wastes exports" or "never reached" fails this file
// when the runs say otherwise. Every trap note and every comparative hint or epilogue
// sentence must declare its claim. (issue 21)
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { solutionHooks, type Level } from '../../src/io/schema.js';
import { claimFacts, compare, factValue, runClaimHolds, trapClaims, type ClaimFacts, type LevelClaim } from '../../src/sim/claims.js';
import { levelConfig } from '../../src/sim/score.js';
import { runEvidence, trueWarnings } from '../../src/sim/warnings.js';
import type { Hook } from '../../src/sim/types.js';

const SOLUTIONS = join(resolve(__dirname, '../..'), 'test/solutions');
const levels = loadCampaign().map((e) => e.level);

function reference(lv: Level): Hook[] {
  const file = join(SOLUTIONS, `${lv.id}.reference.json`);
  return solutionHooks(loadSolutionFile(file), lv, file);
}

/** The placement a trap note is about: the reference with that hook put in (as the campaign tests place it). */
function trapPlacement(lv: Level, about: string): Hook[] {
  const [, site, when] = about.split(':');
  const h = { site, ...(when ? { when } : {}) } as Hook;
  return [...reference(lv).filter((r) => r.site !== h.site), h];
}

/** The text a claim is about. */
function textOf(lv: Level, about: string): string | undefined {
  if (about === 'epilogue') return lv.epilogue;
  if (about === 'briefing') return lv.briefing;
  if (about.startsWith('hint:')) return lv.hints[Number(about.slice(5)) - 1];
  const [, site, when] = about.split(':');
  return lv.traps?.find((t) => t.site === site && (t.when ?? '') === (when ?? ''))?.reason;
}

const cache = new Map<string, ClaimFacts>();
function facts(lv: Level, hooks: readonly Hook[], perSite: boolean, search = false): ClaimFacts {
  const key = `${lv.id}\u0000${perSite}\u0000${search}\u0000${JSON.stringify(hooks)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, f = claimFacts(lv, hooks, perSite, search));
  return f;
}

function placementOf(lv: Level, c: LevelClaim, p: LevelClaim['of'] | Exclude<LevelClaim['than'], number | 'par'>): Hook[] {
  if (p === 'reference') return reference(lv);
  if (p === 'run') return trapPlacement(lv, c.about);
  return [...p];
}

/** The claim evaluated: its two sides and whether it holds. */
function evaluate(lv: Level, c: LevelClaim): { left: number; right: number; holds: boolean } {
  const perSite = c.metric === 'siteExports' || c.metric === 'siteRefusals';
  const search = c.metric === 'searchFails';
  const left = factValue(facts(lv, placementOf(lv, c, c.of), perSite, search), c.metric, c.site);
  const right = typeof c.than === 'number' ? c.than
    : c.than === 'par' ? (lv.par as Record<string, number | undefined>)[c.metric] ?? NaN
    : factValue(facts(lv, placementOf(lv, c, c.than), perSite, search), c.metric, c.site);
  return { left, right, holds: compare(left, c.is, right) };
}

/** Sentences of hints and epilogues that compare costs: each must have a claim. */
const COMPARATIVE = /\b(more|less|fewer|cheaper|costlier|longer|than)\b[^.]*\b(stall|cost|exports?|checks?|overhead|exceptions?|waits?)\b|\b(stall|cost|checks?|overhead|exceptions?)\b[^.]*\b(more|less|fewer|cheaper|longer|than)\b|\bwastes\b/i;
const sentences = (t: string) => t.split(/(?<=[.!?])\s+/);
/** Comparative sentences that state a published fact, not a pvlab metric, with the reason. */
const NOT_METRICS: Record<string, string> = {
  'fault-cost epilogue': 'quotes a z/VM encrypted-paging report on decrypt vs encrypt CPU cost, not a pvlab run',
};

describe('level claims (issue 21)', () => {
  it('every claim names words of its text, and a trap claim about the run is about a declared trap', () => {
    for (const lv of levels) for (const c of lv.claims ?? []) {
      const t = textOf(lv, c.about);
      expect(t, `${lv.id} ${c.about}: no such text`).toBeDefined();
      expect(t, `${lv.id} ${c.about}`).toContain(c.says);
      if (c.of === 'run') expect(c.about, `${lv.id}: "run" claims are about trap notes`).toMatch(/^trap:/);
      if (c.site === undefined) expect(c.metric, `${lv.id} ${c.about}: a per-site metric names its site`).not.toMatch(/^(reachedSeeds|siteExports|siteRefusals)$/);
    }
  });

  it('every trap note and every comparative hint or epilogue sentence declares its claim', () => {
    const missing: string[] = [];
    for (const lv of levels) {
      for (const t of lv.traps ?? []) {
        if (!trapClaims(lv.claims, t).length) missing.push(`${lv.id} trap:${t.site}${t.when ? `:${t.when}` : ''}`);
      }
      const texts: [string, string | undefined][] = [['epilogue', lv.epilogue], ...lv.hints.map((h, i) => [`hint:${i + 1}`, h] as [string, string])];
      for (const [about, t] of texts) for (const s of sentences(t ?? '')) {
        if (!COMPARATIVE.test(s) || NOT_METRICS[`${lv.id} ${about}`]) continue;
        if (!(lv.claims ?? []).some((c) => c.about === about && s.includes(c.says))) missing.push(`${lv.id} ${about}: "${s}"`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(levels.filter((l) => l.claims?.length).map((l) => [l.id, l] as const))('%s: every claim holds on the level\'s seeds', (_id, lv) => {
    const wrong: string[] = [];
    for (const c of lv.claims ?? []) {
      const r = evaluate(lv, c);
      if (!r.holds) wrong.push(`${c.about} "${c.says}": ${c.metric}${c.site ? `[${c.site}]` : ''} ${r.left} is not ${c.is} ${r.right}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the results screen shows a trap note only when its claims about the run hold for that run', () => {
    for (const lv of levels) for (const t of lv.traps ?? []) {
      const about = `trap:${t.site}${t.when ? `:${t.when}` : ''}`;
      const hooks = trapPlacement(lv, about);
      const f = facts(lv, hooks, false);
      const shown = trueWarnings([t], hooks, runEvidence(levelConfig(lv), hooks, lv.seeds.visible[0]), { claims: lv.claims, metrics: f.metrics, par: lv.par });
      if (!shown.length) continue;
      for (const c of trapClaims(lv.claims, t)) expect(runClaimHolds(c, f.metrics, lv.par), `${lv.id} ${about}`).toBe(true);
    }
  });

  it('a note whose claim about the run is false is not shown (a stall equal to par is not "more stall")', () => {
    const lv = levels.find((l) => l.id === 'swap-pressure')!;
    const c: LevelClaim = { about: 'trap:writeback', says: 'x', metric: 'guestStall', of: 'run', is: '>', than: 'par' };
    const m = { ...facts(lv, reference(lv), false).metrics };
    m.guestStall = lv.par.guestStall!;
    expect(runClaimHolds(c, m, lv.par)).toBe(false);
    m.guestStall = lv.par.guestStall! + 10;
    expect(runClaimHolds(c, m, lv.par)).toBe(true);
    const hooks: Hook[] = [{ site: 'writeback' }];
    const ev = runEvidence(levelConfig(lv), hooks, lv.seeds.visible[0]);
    const trap = { site: 'writeback' as const, reason: 'Exports too early: the guest stalls.' };
    m.guestStall = lv.par.guestStall!;
    expect(trueWarnings([trap], hooks, ev, { claims: [c], metrics: m, par: lv.par })).toEqual([]);
  });
});
