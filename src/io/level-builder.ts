// The level builder ("save as level" in the sandbox): a machine chosen in the sandbox, and
// a title, briefing and hints typed in the game, become a level file. The offered sites
// are the placeable sites on the workloads' paths; par comes from enumeration (the one
// recipe of src/sim/par.ts, the reference it found); the level is checked with the level
// schema and the campaign's rules (campaignRules) and written atomically only when every
// rule holds. A level file written here is read by play, verify, analyze, par and a
// workshop's levels/ folder like any other. Every refusal is one line.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SITES, SITE_IDS, type ArchId, type DeviceId, type KernelId, type SiteId, type WorkloadId } from '../sim/model.js';
import { laneSites, lanesFor } from '../sim/lanes.js';
import { campaignRules, enumerateLevel, parFromEnumeration, type ParWithChanges, type RuleCheck } from '../sim/par.js';
import { levelConfig } from '../sim/score.js';
import { parseGeneratedId } from '../sim/generate/index.js';
import type { Hook } from '../sim/types.js';
import { writeFileAtomic } from './atomic.js';
import { fsReason, isInputError } from './errors.js';
import { LEVEL_ID, LEVEL_ID_RULE, parseLevel, type Level } from './schema.js';

/** What the game sends: the sandbox's machine and the texts the player typed. */
export interface LevelDraft {
  /** where to write the level (relative to the current folder); `.json` is added when missing */
  file: string;
  title: string;
  briefing: string;
  hints: string[];
  arch: ArchId;
  kernel: KernelId;
  device: DeviceId;
  pages: number;
  workloads: WorkloadId[];
}

export type BuildOutcome =
  | { ok: true; file: string; id: string; par: ParWithChanges; reference: Hook[]; placements: number; sites: SiteId[]; rules: RuleCheck[] }
  | { ok: false; message: string; rules?: RuleCheck[] };

/** Most placements the builder enumerates (each is scored on every seed: about 25 ms each on two busy cores, so at most ~25 s). */
export const MAX_BUILDER_PLACEMENTS = 1024;
/** The chapter a built level is listed in beside the campaign. */
export const BUILT_CHAPTER = 91;

/** The level id a file name gives (`My level.json` -> `my-level`), or null when none fits. */
export function levelIdFromFile(file: string): string | null {
  const id = basename(file).replace(/\.json$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 64);
  return LEVEL_ID.test(id) ? id : null;
}

/** The placeable sites the draft's workloads pass, in site order. */
export function sitesOnPaths(lv: Parameters<typeof levelConfig>[0]): SiteId[] {
  const on = new Set(lanesFor(levelConfig(lv)).flatMap((l) => laneSites(l)));
  return SITE_IDS.filter((s) => on.has(s) && SITES[s].placeable);
}

const fail = (message: string, rules?: RuleCheck[]): BuildOutcome => (rules ? { ok: false, message, rules } : { ok: false, message });

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}

/**
 * Check the draft and write its level. `takenIds`: the ids it may not reuse (the
 * campaign's). Never throws for bad input: the outcome says what is wrong in one line.
 */
export function buildLevel(d: LevelDraft, o: { takenIds: readonly string[] }): BuildOutcome {
  const name = d.file.trim();
  if (!name) return fail('a file name for the level, please');
  const file = resolve(/\.json$/i.test(name) ? name : `${name}.json`);
  const id = levelIdFromFile(file);
  if (!id) return fail(`${name}: the file name gives no level id (${LEVEL_ID_RULE})`);
  if (o.takenIds.includes(id)) return fail(`${name}: level id '${id}' is a campaign level's; choose another file name`);
  if (parseGeneratedId(id) || id === 'sandbox') return fail(`${name}: level id '${id}' is reserved (generated, daily or sandbox levels); choose another file name`);
  const dir = dirname(file);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    return fail(`${name}: cannot write the level (${fsReason(err)})`);
  }
  if (!isDir) return fail(`${name}: cannot write the level (${dir} is not a folder)`);
  if (existsSync(file)) return fail(`${name}: a file of that name exists; choose another name (nothing was overwritten)`);
  if (!d.title.trim()) return fail('a title, please');
  if (!d.briefing.trim()) return fail('a briefing, please');
  const base = {
    id, title: d.title.trim(), chapter: BUILT_CHAPTER, chapterTitle: 'Your levels', kind: 'placement' as const,
    briefing: d.briefing.trim(),
    arch: d.arch, kernel: d.kernel, device: d.device,
    guest: { pages: d.pages, shared: 0.1 },
    workloads: d.workloads.map((kind) => ({ kind })),
    sites: [] as SiteId[],
    seeds: { visible: [1], hidden: 4 },
    par: {} as ParWithChanges,
    hints: d.hints.map((h) => h.trim()).filter((h) => h),
  };
  let level: Level;
  try {
    base.sites = sitesOnPaths(parseLevel({ ...base, sites: ['gup_fast'] }, name));
    if (!base.sites.length) return fail('no hook site is on these workloads\' paths: nothing to place');
    level = parseLevel(base, name);
  } catch (err) {
    if (isInputError(err)) return fail(oneLine(err));
    throw err;
  }
  const placements = level.sites.reduce((n, s) => n * (1 + Math.max(1, SITES[s].when.length)), 1);
  if (placements > MAX_BUILDER_PLACEMENTS) {
    return fail(`${placements} placements to enumerate (at most ${MAX_BUILDER_PLACEMENTS}): choose fewer workloads`);
  }
  const e = enumerateLevel(level);
  const found = parFromEnumeration(e);
  if (!found) return fail('no placement of the sites on its paths passes: the level has no par and is not written');
  const rules = campaignRules(level, e, found.par);
  const bad = rules.find((r) => !r.ok);
  if (bad) return fail(`the campaign's rule "${bad.rule}" does not hold (${bad.detail})`, rules);
  const out = { ...base, par: found.par };
  try {
    parseLevel(out, name); // the file as written loads like any level file
    writeFileAtomic(file, JSON.stringify(out, null, 2) + '\n', { overwrite: false });
  } catch (err) {
    if (isInputError(err)) return fail(oneLine(err));
    return fail(`${name}: cannot write the level (${fsReason(err)})`);
  }
  return { ok: true, file, id, par: found.par, reference: found.reference, placements, sites: level.sites, rules };
}
