// Schemas of the file formats (described in docs/levels.md and saves/README.md). Pure:
// validation only, no file access.
import { z } from 'zod';
import {
  ARCH_IDS, DEVICE_IDS, KERNEL_IDS, SITES, machineProblem, SITE_IDS, WORKLOAD_IDS, whenProblem,
  type SiteId, type When,
} from '../sim/model.js';
import { SHRINK_BASE_WORK, SHRINK_WORK_FACTOR } from '../sim/run.js';
import { CLAIM_METRICS, CLAIM_OPS } from '../sim/claims.js';
import { hooksOf } from '../sim/score.js';
import type { Hook, WorkloadSpec } from '../sim/types.js';
import { PROGRAMS, type WorkloadOption } from '../sim/workloads/index.js';
import { PAR_METRICS, type ParMetric } from '../sim/verify.js';
import { InputError } from './errors.js';
import { quote, sanitizeLine, visible } from './sanitize.js';

/** Upper bounds that keep a hostile file from exhausting memory or time. */
export const LIMITS = {
  levelFileBytes: 256 * 1024,
  solutionFileBytes: 64 * 1024,
  pages: 1 << 22, // 16 GiB of guest: 4 Mi pages, ~40 MB of engine state
  opsPerWorkload: 10_000_000,
  touches: 50_000_000,
  vcpus: 64,
  visibleSeeds: 64,
  hiddenSeeds: 1000,
  textChars: 8000,
  hooks: SITE_IDS.length,
  /** page events to verify a level on all its seeds (~20 s at the engine's speed) */
  eventsPerVerify: 200_000_000,
} as const;

/** Rough page events of one run: host ops take ~6 steps, guest touches 1, teardown 1 per page. */
export function estimatedEvents(lv: { guest: { pages: number }; workloads: readonly { kind: string; ops?: number; touches?: number }[] }): number {
  let n = 0;
  for (const w of lv.workloads) {
    if (w.kind === 'kvm_fault') n += w.touches ?? 2000;
    else if (w.kind === 'teardown') n += lv.guest.pages;
    else n += (w.ops ?? 300) * 6;
  }
  return n;
}

/**
 * Page events to verify a level: every seed, then for a failing solution the recorded
 * run and the counterexample's shrinking, whose work is bounded linearly in the run
 * (SHRINK_WORK_FACTOR replayed choices per recorded one, plus SHRINK_BASE_WORK).
 */
export function estimatedVerifyWork(lv: Parameters<typeof estimatedEvents>[0] & { seeds: { visible: readonly number[]; hidden: number } }): number {
  const run = estimatedEvents(lv);
  return run * (lv.seeds.visible.length + lv.seeds.hidden) + run * (2 + SHRINK_WORK_FACTOR) + SHRINK_BASE_WORK;
}

const text = (max: number = LIMITS.textChars) => z.string().min(1).max(max);
const fraction = z.number().min(0).max(1);
/** A level id: it names files (`<level-id>--<name>.json`), so lowercase letters, digits and dashes. */
export const LEVEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const LEVEL_ID_RULE = 'lowercase letters, digits and dashes (at most 64)';
const id = z.string().regex(LEVEL_ID, `must be ${LEVEL_ID_RULE}`);

/** Every workload option field's schema (the compiler asks for a new option's). */
const WORKLOAD_OPTIONS: { readonly [K in WorkloadOption]-?: z.ZodType<NonNullable<WorkloadSpec[K]>> } = {
  ops: z.number().int().min(0).max(LIMITS.opsPerWorkload),
  touches: z.number().int().min(0).max(LIMITS.touches),
  hot: fraction,
  hotProb: fraction,
  writeRatio: fraction,
  vcpus: z.number().int().min(1).max(LIMITS.vcpus),
  fastGup: z.boolean(),
  target: z.enum(['socket', 'file']),
  zeroCopy: z.boolean(),
  munlockRatio: fraction,
};

/**
 * A workload entry: a union on `kind`, each kind with only the options its program declares
 * (src/sim/workloads/<id>.ts), so `{kind: 'swap', vcpus: 3}` is refused, not ignored.
 */
const byKind = z.discriminatedUnion('kind', WORKLOAD_IDS.map((kind) => z.strictObject({
  kind: z.literal(kind),
  ...Object.fromEntries(PROGRAMS[kind].options.map((o) => [o, WORKLOAD_OPTIONS[o].optional()])),
})) as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<WorkloadSpec, { [x: string]: unknown; kind: WorkloadSpec['kind'] }>;
/** (the kind is checked first, so that an unknown one is named: "'fork_bomb' is not one of ...") */
export const WorkloadSchema: z.ZodType<WorkloadSpec> = z.looseObject({ kind: z.enum(WORKLOAD_IDS) }).pipe(byKind);


const CostsSchema = z.strictObject({
  export: z.number().min(0).max(1e6).optional(),
  import: z.number().min(0).max(1e6).optional(),
  exception: z.number().min(0).max(1e6).optional(),
  hookCheck: z.number().min(0).max(1e6).optional(),
  stallRetry: z.number().min(0).max(1e6).optional(),
  destroy: z.number().min(0).max(1e6).optional(),
});

const ParSchema = z.strictObject({
  ...(Object.fromEntries(PAR_METRICS.map((k) => [k, z.number().min(0).optional()])) as Record<ParMetric, z.ZodOptional<z.ZodNumber>>),
  /** review levels: at most this many changes to the starting placement */
  changes: z.number().int().min(0).optional(),
});

const placeable = SITE_IDS.filter((s) => SITES[s].placeable) as [SiteId, ...SiteId[]];

export const HookSchema = z
  .strictObject({
    site: z.enum(placeable),
    when: z.enum(['pin', 'get', 'any', 'live']).optional(),
  })
  .superRefine((h, ctx) => {
    const allowed = SITES[h.site].when;
    if (h.when !== undefined && !allowed.includes(h.when as When)) {
      ctx.addIssue({
        code: 'custom', path: ['when'],
        message: allowed.length
          ? `site '${h.site}' takes when ${allowed.map((w) => `'${w}'`).join(' or ')}, not '${h.when}'`
          : `site '${h.site}' takes no 'when' condition`,
      });
    }
  });

/**
 * What kind of puzzle a level is (documentation for players and level writers; the
 * campaign tests check each kind's promise, docs/levels.md describes them).
 */
export const LEVEL_KINDS = ['placement', 'tradeoff', 'decoy', 'review', 'challenge', 'refuse', 'nothing'] as const;
export type LevelKind = (typeof LEVEL_KINDS)[number];

/**
 * A comparative claim of a level's text as data (src/sim/claims.ts, docs/levels.md):
 * which text, the words it backs, the metric, the placement measured and the comparison.
 */
const ClaimPlacementSchema = z.union([z.enum(['reference', 'run']), z.array(HookSchema).max(LIMITS.hooks)]);
export const ClaimSchema = z.strictObject({
  about: z.string().regex(/^(trap:[a-z_]+(:(pin|get|any|live))?|hint:[1-9][0-9]?|epilogue|briefing)$/, 'must be trap:<site>[:<when>], hint:<n>, epilogue or briefing'),
  says: text(300),
  metric: z.enum(CLAIM_METRICS),
  site: z.enum(placeable).optional(),
  of: ClaimPlacementSchema,
  is: z.enum(CLAIM_OPS),
  than: z.union([z.number().min(0), z.enum(['par', 'reference']), z.array(HookSchema).max(LIMITS.hooks)]),
});

export const LevelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    title: text(120),
    chapter: z.number().int().min(1).max(99),
    chapterTitle: text(120).optional(),
    order: z.number().int().min(0).max(999).optional(),
    briefing: text(),
    objectives: z.array(text(300)).max(12).optional(),
    arch: z.enum(ARCH_IDS),
    kernel: z.enum(KERNEL_IDS),
    device: z.enum(DEVICE_IDS),
    guest: z.strictObject({
      pages: z.number().int().min(1).max(LIMITS.pages),
      shared: fraction.default(0),
    }),
    workloads: z.array(WorkloadSchema).min(1).max(WORKLOAD_IDS.length),
    sites: z.array(z.enum(placeable)).min(1).max(placeable.length),
    seeds: z.strictObject({
      visible: z.array(z.number().int().min(0).max(0xffffffff)).min(1).max(LIMITS.visibleSeeds),
      hidden: z.number().int().min(0).max(LIMITS.hiddenSeeds),
    }),
    par: ParSchema.default({}),
    hints: z.array(text(1000)).max(10).default([]),
    epilogue: text().optional(),
    /** show par only after the player's first run (par's numbers can name the answer) */
    parAfterRun: z.boolean().optional(),
    /** the kind of puzzle (default 'placement') */
    kind: z.enum(LEVEL_KINDS).optional(),
    /** an optional level (a chapter's challenge): it never locks the levels after it */
    optional: z.boolean().optional(),
    /** review levels: the placement the board opens with (a real proposal), to repair */
    start: z.array(HookSchema).max(LIMITS.hooks).optional(),
    /** offered sites that are wrong on purpose, with the reason (documentation; checked by the campaign tests) */
    traps: z
      .array(z.strictObject({ site: z.enum(placeable), when: z.enum(['pin', 'get', 'any', 'live']).optional(), reason: text(1000) }))
      .max(4 * placeable.length)
      .optional(),
    /** the comparative claims of the texts above, as data (checked by test/levels/claims.test.ts) */
    claims: z.array(ClaimSchema).max(200).optional(),
    costs: CostsSchema.optional(),
    maxInFlight: z.number().int().min(1).max(256).optional(),
    /**
     * The small machine `verify --exhaustive` searches completely (src/sim/exhaustive.ts):
     * `pages` guest pages, `ops` operations per host workload (default 3), `touches` guest
     * touches (default 4), `inFlight` host operations at once (default min(3, maxInFlight)).
     */
    exhaustive: z
      .strictObject({
        pages: z.number().int().min(1).max(8),
        ops: z.number().int().min(1).max(8).optional(),
        touches: z.number().int().min(0).max(12).optional(),
        inFlight: z.number().int().min(1).max(4).optional(),
      })
      .optional(),
  })
  .superRefine((lv, ctx) => {
    const machine = machineProblem(lv.arch, lv.kernel, lv.device);
    if (machine) ctx.addIssue({ code: 'custom', path: [machine.field], message: machine.message });
    (lv.claims ?? []).forEach((c, i) => {
      if (c.of === 'run' && !c.about.startsWith('trap:')) {
        ctx.addIssue({ code: 'custom', path: ['claims', i, 'of'], message: "'run' (the player's placement) is for claims about trap notes only" });
      }
    });
    [...(lv.start ?? []).map((h, i) => ['start', i, h] as const), ...(lv.traps ?? []).map((h, i) => ['traps', i, h] as const)].forEach(([field, i, h]) => {
      const era = whenProblem(h.site, h.when, lv.kernel);
      if (era) ctx.addIssue({ code: 'custom', path: [field, i, 'when'], message: era });
    });
    const work = estimatedVerifyWork(lv);
    if (work > LIMITS.eventsPerVerify) {
      ctx.addIssue({
        code: 'custom', path: ['workloads'],
        message: `too much work: about ${work.toExponential(1)} page events to verify all seeds and shrink a counterexample (limit ${LIMITS.eventsPerVerify.toExponential(0)}); use fewer ops, touches, pages or seeds`,
      });
    }
    const seen = new Set<string>();
    lv.workloads.forEach((w, i) => {
      if (seen.has(w.kind)) ctx.addIssue({ code: 'custom', path: ['workloads', i, 'kind'], message: `workload '${w.kind}' appears twice` });
      seen.add(w.kind);
    });
    const sites = new Set<string>();
    lv.sites.forEach((s, i) => {
      if (sites.has(s)) ctx.addIssue({ code: 'custom', path: ['sites', i], message: `site '${s}' is offered twice` });
      sites.add(s);
    });
    const started = new Set<string>();
    lv.start?.forEach((h, i) => {
      if (!sites.has(h.site)) ctx.addIssue({ code: 'custom', path: ['start', i, 'site'], message: `start site '${h.site}' is not offered by the level` });
      if (started.has(h.site)) ctx.addIssue({ code: 'custom', path: ['start', i, 'site'], message: `site '${h.site}' is in the start placement twice` });
      started.add(h.site);
    });
    if (lv.par.changes !== undefined && !lv.start) {
      ctx.addIssue({ code: 'custom', path: ['par', 'changes'], message: 'par.changes needs a start placement' });
    }
    lv.traps?.forEach((t, i) => {
      if (!sites.has(t.site)) ctx.addIssue({ code: 'custom', path: ['traps', i, 'site'], message: `trap site '${t.site}' is not offered by the level` });
      const allowed = SITES[t.site].when;
      if (t.when !== undefined && !allowed.includes(t.when)) {
        ctx.addIssue({ code: 'custom', path: ['traps', i, 'when'], message: allowed.length ? `site '${t.site}' takes when ${allowed.map((w) => `'${w}'`).join(' or ')}, not '${t.when}'` : `site '${t.site}' takes no 'when' condition` });
      }
    });
  });

export type Level = z.infer<typeof LevelSchema>;

export const SOLUTION_FORMAT = 'pvlab-solution@1';

export const SolutionSchema = z
  .strictObject({
    format: z.literal(SOLUTION_FORMAT),
    level: z.union([id, z.literal('sandbox')]),
    name: text(80),
    author: z.string().max(80).default(''),
    /** who shared it with the author (a share code imported): credited, not the author */
    via: z.string().max(80).optional(),
    hooks: z.array(HookSchema).max(LIMITS.hooks),
    created: z.string().max(40).optional(),
    notes: z.string().max(2000).optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.hooks.forEach((h, i) => {
      if (seen.has(h.site)) ctx.addIssue({ code: 'custom', path: ['hooks', i, 'site'], message: `site '${h.site}' is hooked twice` });
      seen.add(h.site);
    });
  });

export type Solution = z.infer<typeof SolutionSchema>;

/** A field name from the input, short and printable (control sequences removed), for a message. */
function shown(v: unknown, max = 40): string {
  return quote(String(v), max);
}

/** A value from the input, quoted for a message: strings exactly but harmless, others as JSON. */
function shownValue(v: unknown): string {
  if (typeof v === 'string') return `'${visible(v, 40)}'`;
  const json = JSON.stringify(v);
  return json === undefined ? String(v) : visible(json, 40);
}

/** Range and length problems in plain words ("must be at most 4194304"). */
function sizeMessage(issue: z.core.$ZodIssue): string | null {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return null;
  const big = issue.code === 'too_big';
  const bound = Number(big ? issue.maximum : issue.minimum);
  const strict = issue.inclusive === false;
  switch (issue.origin) {
    case 'number': case 'int': case 'bigint':
      return `must be ${big ? (strict ? 'below' : 'at most') : (strict ? 'above' : 'at least')} ${bound}`;
    case 'string':
      if (!big && bound === 1) return 'must not be empty';
      return big ? `is too long (at most ${bound} characters)` : `is too short (at least ${bound} characters)`;
    case 'array': case 'set':
      return big ? `has too many items (at most ${bound})` : `needs at least ${bound} item${bound === 1 ? '' : 's'}`;
    default:
      return null;
  }
}

/** One issue as "field: reason". */
function issueLine(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${shown(String(p))}`)).join('').replace(/^\./, '');
  let msg = sanitizeLine(issue.message);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, 5).map((k) => `'${shown(k)}'`).join(', ');
    const rest = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '';
    msg = `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${rest}`;
  } else if (issue.code === 'invalid_value' && 'values' in issue) {
    const allowed = (issue.values as unknown[]).map((v) => String(v)).join(', ');
    msg = 'input' in issue && issue.input !== undefined
      ? `${shownValue(issue.input)} is not one of ${allowed}`
      : `must be one of ${allowed}`;
  } else if (issue.code === 'invalid_type' && issue.expected === 'int') {
    msg = 'must be a whole number';
  } else if (issue.code === 'invalid_type' && /received undefined$/.test(msg)) {
    msg = `is missing (expected ${issue.expected})`;
  } else if (issue.code === 'invalid_type') {
    msg = msg.replace(/^Invalid input: /, '');
  } else {
    msg = sizeMessage(issue) ?? msg;
  }
  return `${path || '(top level)'}: ${msg}`;
}

/**
 * The first issue of a failed parse, as "field: reason"; unknown fields are always named
 * too (a misspelt field shows up as a missing one and an unknown one). Input text in it
 * is printable and bounded.
 */
export function describeIssue(err: z.ZodError): string {
  // .int() reports 1e308 as "above MAX_SAFE_INTEGER" before .max() reports the real bound:
  // drop such an issue when the same field has another one
  const key = (i: z.core.$ZodIssue) => i.path.map(String).join('\u0000');
  const safeBound = (i: z.core.$ZodIssue) => (i.code === 'too_big' && Number(i.maximum) === Number.MAX_SAFE_INTEGER) ||
    (i.code === 'too_small' && Number(i.minimum) === Number.MIN_SAFE_INTEGER);
  const issues = err.issues.filter((i) => !safeBound(i) || !err.issues.some((o) => o !== i && !safeBound(o) && key(o) === key(i)));
  const first = issues[0];
  if (!first) return 'invalid';
  const unknown = issues.find((i) => i.code === 'unrecognized_keys' && i !== first);
  const lines = [issueLine(first), ...(unknown ? [issueLine(unknown)] : [])];
  const left = issues.length - lines.length;
  const more = left > 0 ? ` (and ${left} more problem${left > 1 ? 's' : ''})` : '';
  return `${lines.join('; ')}${more}`;
}

/** Validate an already-parsed JSON value as a level; `source` names it in errors. */
export function parseLevel(value: unknown, source: string): Level {
  const r = LevelSchema.safeParse(value, { reportInput: true });
  if (!r.success) throw new InputError(`${source}: ${describeIssue(r.error)}`);
  return r.data;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A parsed JSON value that is a level, not a solution (for "this is a level file" messages). */
export function looksLikeLevel(v: unknown): boolean {
  return isObject(v) && !('format' in v) && 'arch' in v && 'workloads' in v;
}

/**
 * Validate an already-parsed JSON value as a solution; `source` names it in errors. The
 * one solution parser (files, saves, boards): it explains what a changed pvlab or a
 * mix-up produces — a level file given as a solution, a newer file format, a hook site
 * that no longer exists — before the schema's own "field: reason".
 */
export function parseSolution(value: unknown, source: string): Solution {
  const r = SolutionSchema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  if (looksLikeLevel(value)) throw new InputError(`${source}: is a level file, not a solution`);
  if (isObject(value)) {
    const { format, hooks } = value;
    if (typeof format === 'string' && format !== SOLUTION_FORMAT && format.startsWith('pvlab-solution@')) {
      throw new InputError(`${source}: format '${visible(format, 40)}' is not one this pvlab reads (${SOLUTION_FORMAT})`);
    }
    if (Array.isArray(hooks)) {
      const gone = hooks
        .map((h) => (isObject(h) ? h.site : undefined))
        .filter((s): s is string => typeof s === 'string' && !(SITE_IDS as readonly string[]).includes(s));
      if (gone.length) {
        throw new InputError(
          `${source}: hook site${gone.length > 1 ? 's' : ''} ${gone.slice(0, 5).map((s) => `'${visible(s, 40)}'`).join(', ')} ` +
          `${gone.length > 1 ? 'are' : 'is'} unknown to this pvlab (renamed or removed?); the sites are ${placeable.join(', ')}`,
        );
      }
    }
  }
  throw new InputError(`${source}: ${describeIssue(r.error)}`);
}

/** Hooks of a solution, checked against the sites a level offers. */
export function solutionHooks(sol: Solution, lv: Level | null, source: string): Hook[] {
  if (lv) {
    const offered = new Set<string>(lv.sites);
    const missing = sol.hooks.filter((h) => !offered.has(h.site)).map((h) => h.site);
    if (missing.length) {
      throw new InputError(
        `${source}: level '${lv.id}' does not offer site${missing.length > 1 ? 's' : ''} ${missing.map((s) => `'${s}'`).join(', ')} (it offers ${lv.sites.join(', ')})`,
      );
    }
  }
  const k = lv?.kernel;
  const era = k ? sol.hooks.map((h) => whenProblem(h.site as SiteId, h.when as When | undefined, k)).find(Boolean) : null;
  if (era) throw new InputError(`${source}: ${era} (level '${lv!.id}' runs Linux ${k})`);
  return hooksOf(sol.hooks);
}
