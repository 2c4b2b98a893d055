// Fuzzing the loaders and the CLI boundary with random and mutated level files,
// solution files and share codes (fast-check). The contract: a valid result or a clean
// InputError (one printable line naming the source), never any other throw, never a
// hang; and through `main()`, exit 0/1/2 only (3 = internal error), nothing a terminal
// acts on in stdout or stderr.
//
// Inputs per CI run: see RUNS below (printed at the end of the file's run).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pvlab } from '../helpers/cli.js';
import { InputError, MAX_ERROR_CHARS } from '../../src/io/errors.js';
import { loadLevelFile, loadSolutionFile, parseJsonText } from '../../src/io/files.js';
import { solutionFileName } from '../../src/io/saves.js';
import {
  LIMITS, LevelSchema, SolutionSchema, parseSolution, estimatedEvents, solutionHooks, type Level, type Solution,
} from '../../src/io/schema.js';
import { hiddenSeeds, levelConfig } from '../../src/sim/score.js';
import { MAX_PAYLOAD_BYTES, decodeShare, encodeShare, frameCode } from '../../src/io/share.js';
import { UNSAFE, unsafeBytes } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_LEVELS = join(ROOT, 'test/fixtures/board/levels');

/** Inputs tried per run, by target (fast-check numRuns); the total is reported. */
const RUNS = {
  levelBytes: 600,
  levelValues: 400,
  solutionBytes: 500,
  solutionValues: 400,
  codeChars: 800,
  codePayloads: 800,
  cliShareImport: 60,
  cliRun: 40,
} as const;
const TOTAL = Object.values(RUNS).reduce((a, b) => a + b, 0);
/** Accepted inputs per target: the fuzz must reach past the parsers, not only be refused. */
const accepted: Record<keyof typeof RUNS, number> = Object.fromEntries(Object.keys(RUNS).map((k) => [k, 0])) as Record<keyof typeof RUNS, number>;

let work: string;
let n = 0;
const tmpFile = (data: Buffer | string, ext = '.json') => {
  const p = join(work, `in-${n++}${ext}`);
  writeFileSync(p, data);
  return p;
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pvlab-fuzz-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`hostile fuzz: ${TOTAL} inputs (${Object.entries(RUNS).map(([k, v]) => `${k} ${v}, ${accepted[k as keyof typeof RUNS]} accepted`).join('; ')})\n`);
});

// ---- seeds: valid files of every kind ---------------------------------------------------------

/** The campaign levels and the fixtures: valid seeds to mutate. */
function seedLevels(): { text: string; level: Level }[] {
  const out: { text: string; level: Level }[] = [];
  for (const dir of [join(ROOT, 'levels'), FIXTURE_LEVELS]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch { /* no campaign yet */ }
    for (const f of names) {
      const text = readFileSync(join(dir, f), 'utf8');
      const r = LevelSchema.safeParse(JSON.parse(text));
      if (r.success) out.push({ text, level: r.data });
    }
  }
  out.push({ text: readFileSync(join(ROOT, 'test/fixtures/level-swap.json'), 'utf8'), level: loadLevelFile(join(ROOT, 'test/fixtures/level-swap.json')) });
  return out;
}
const LEVELS = seedLevels();

const SOLUTIONS: Solution[] = [
  { format: 'pvlab-solution@1', level: 'swap-pressure', name: 'unmap', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'live' }] },
  { format: 'pvlab-solution@1', level: 'sandbox', name: 'all of them', author: '', hooks: [{ site: 'gup_fast', when: 'pin' }, { site: 'writeback' }, { site: 'splice' }], notes: 'n', created: '2025-01-01' },
  { format: 'pvlab-solution@1', level: 'fast-gup', name: 'Grüße 🐧', author: 'bob', hooks: [] },
].map((s) => SolutionSchema.parse(s));

// ---- mutations ------------------------------------------------------------------------------

const ESC = '\u001b';
/** Text that, inserted anywhere, tends to break parsers or terminals. */
const NASTY_TOKENS = [
  `${ESC}]0;pwned\u0007`, `${ESC}[2J`, `${ESC}[10;10H`, '\u009b31m', '\u202e', '\u2066', '\\u001b', '\\ud800', '\u0000',
  '1e400', '-1e400', '1e308', '-0', 'NaN', 'Infinity', '9007199254740993', '-1', '0.5', '1e-400',
  '{', '}', '[', ']', '"', ',', ':', '\\', 'null', 'true', '//', '/*', '\ufeff', '\r\n', '\t', ' ',
  '"x":1,', '"id":"dup",', '[[[[[[[[[[', '{"a":{"a":{"a":', '"\\u0041"',
];

type Mut = (b: Buffer) => Buffer;
const byteMutation: fc.Arbitrary<Mut> = fc.oneof(
  // bit flip
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([p, bit]): Mut => (b) => {
    const c = Buffer.from(b);
    if (c.length) c[p % c.length]! ^= 1 << bit;
    return c;
  }),
  // truncation
  fc.nat().map((p): Mut => (b) => b.subarray(0, p % (b.length + 1))),
  // deletion of a run
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([p, len]): Mut => (b) => {
    const at = p % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
  }),
  // insertion of a nasty token or random bytes
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...NASTY_TOKENS).map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 12 }).map((u) => Buffer.from(u))))
    .map(([p, ins]): Mut => (b) => {
      const at = p % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
    }),
  // splice: a run of this file copied elsewhere (duplicated keys, nested copies)
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 200 })).map(([from, to, len]): Mut => (b) => {
    if (!b.length) return b;
    const f = from % b.length;
    const chunk = b.subarray(f, f + len);
    const at = to % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
  }),
  // re-encoding
  fc.constantFrom<Mut>(
    (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
    (b) => Buffer.from(b.toString('utf8'), 'utf16le'),
    (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
    (b) => Buffer.from(b.toString('utf8'), 'latin1'),
  ),
);
const byteMutations = fc.array(byteMutation, { minLength: 1, maxLength: 4 });
const applyBytes = (b: Buffer, ms: Mut[]) => ms.reduce((x, m) => m(x), b);

/** Replacement values: other types, absurd sizes, hostile strings. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, -1, 0, 0.5, 1e9, 4 * 1024 * 1024 + 1, 0xffffffff + 1, '', 'NaN', null, true, [], {}, [[[]]]),
  fc.constantFrom(`${ESC}]0;pwned\u0007`, `x${ESC}[2Jy`, '\u202etxt', '../../etc/passwd', '/dev/zero', 'CON', 'x'.repeat(9000)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.constant({ kind: 'swap' }), { minLength: 10, maxLength: 2000 }),
);

type ValueMut = (v: unknown) => unknown;
const clone = <T>(v: T): T => structuredClone(v);
/** The paths of every node of a JSON value (objects and arrays included). */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
function setAt(v: unknown, path: (string | number)[], fn: (old: unknown) => unknown): unknown {
  if (!path.length) return fn(v);
  const [k, ...rest] = path;
  const c = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  c[k!] = setAt(c[k!], rest, fn);
  return c;
}
/** Every string in the value (keys too), with a hostile sequence woven in. */
function poisonStrings(v: unknown, poison: string): unknown {
  if (typeof v === 'string') return v.length > 2 ? `${v.slice(0, 2)}${poison}${v.slice(2)}` : `${v}${poison}`;
  if (Array.isArray(v)) return v.map((x) => poisonStrings(x, poison));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, poisonStrings(x, poison)]));
  return v;
}
/** Free-text fields of levels and solutions: escapes there keep the file valid. */
const TEXT_FIELDS = new Set(['title', 'chapterTitle', 'briefing', 'objectives', 'hints', 'epilogue', 'reason', 'name', 'author', 'notes', 'created']);
/** Only the free-text strings poisoned (the file stays valid when they stay short enough). */
function poisonText(v: unknown, poison: string, inText = false): unknown {
  if (typeof v === 'string') return inText ? poisonStrings(v, poison) : v;
  if (Array.isArray(v)) return v.map((x) => poisonText(x, poison, inText));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, poisonText(x, poison, inText || TEXT_FIELDS.has(k))]));
  return v;
}
const POISONS = [`${ESC}]0;pwned\u0007`, `${ESC}[1A${ESC}[2K`, '\u009b2J', '\u202e\u2066', `${ESC}P1;2|x${ESC}\\`, '\r\b\b\b', `${ESC}[8m`, '\u0085\u2028'];
const poisonTextMutation: fc.Arbitrary<ValueMut> = fc.constantFrom(...POISONS).map((p): ValueMut => (v) => poisonText(v, p));
const valueMutation: fc.Arbitrary<ValueMut> = fc.oneof(
  fc.tuple(fc.nat(), weirdValue).map(([i, w]): ValueMut => (v) => { const ps = paths(v); return setAt(v, ps[i % ps.length]!, () => clone(w)); }),
  fc.nat().map((i): ValueMut => (v) => {
    const ps = paths(v).filter((p) => p.length > 0);
    if (!ps.length) return v;
    const p = ps[i % ps.length]!;
    return setAt(v, p.slice(0, -1), (parent) => {
      if (Array.isArray(parent)) return parent.filter((_, j) => j !== p[p.length - 1]);
      const { [p[p.length - 1]!]: _drop, ...rest } = parent as Record<string, unknown>;
      return rest;
    });
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 12 }), weirdValue).map(([i, key, w]): ValueMut => (v) => {
    const objs = paths(v).filter((p) => { let x: unknown = v; for (const k of p) x = (x as Record<string | number, unknown>)[k]; return !!x && typeof x === 'object' && !Array.isArray(x); });
    if (!objs.length) return v;
    return setAt(v, objs[i % objs.length]!, (o) => ({ ...(o as object), [key]: clone(w) }));
  }),
  fc.constantFrom(...POISONS).map((p): ValueMut => (v) => poisonStrings(v, p)),
  poisonTextMutation,
);
/** One to three mutations; often just poisoned text, which keeps the file valid and reaches the output. */
const valueMutations = fc.oneof(
  { weight: 3, arbitrary: fc.array(valueMutation, { minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.tuple(poisonTextMutation, fc.option(valueMutation, { nil: undefined })).map(([a, b]) => (b ? [a, b] : [a])) },
);

// ---- the contract -----------------------------------------------------------------------------

/** A clean refusal: an InputError whose message is one printable, bounded line. */
function expectCleanError(err: unknown, source?: string): void {
  if (!(err instanceof InputError)) throw new Error(`not an InputError: ${String((err as Error)?.stack ?? err)}`);
  expect(err.message).not.toMatch(UNSAFE);
  expect(err.message).not.toContain('\n');
  expect(err.message.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  expect(err.message.length).toBeGreaterThan(source ? source.length + 2 : 5);
  if (source) expect(err.message.startsWith(`${source}: `)).toBe(true);
}

/** Returns the result, or undefined after checking the refusal is clean. */
function attempt<T>(fn: () => T, source?: string): T | undefined {
  try {
    return fn();
  } catch (err) {
    expectCleanError(err, source);
    return undefined;
  }
}

/** A loaded level is usable: config, seeds, and bounded work. */
function checkLevel(lv: Level): void {
  expect(LevelSchema.safeParse(lv).success).toBe(true);
  const cfg = levelConfig(lv);
  expect(cfg.pages).toBeLessThanOrEqual(LIMITS.pages);
  expect(hiddenSeeds(lv)).toHaveLength(lv.seeds.hidden);
  expect(estimatedEvents(lv) * (lv.seeds.visible.length + lv.seeds.hidden)).toBeLessThanOrEqual(LIMITS.eventsPerVerify);
}

function checkSolution(sol: Solution): void {
  expect(SolutionSchema.safeParse(sol).success).toBe(true);
  attempt(() => solutionFileName(sol));
  for (const { level } of LEVELS.slice(0, 4)) attempt(() => solutionHooks(sol, level, 'x'), 'x');
  const code = attempt(() => encodeShare(sol));
  if (code !== undefined) expect(decodeShare(code)).toStrictEqual(sol);
}

describe('level files', () => {
  it(`mutated bytes (${RUNS.levelBytes} inputs): a level or a clean error naming the file`, () => {
    fc.assert(fc.property(fc.constantFrom(...LEVELS), byteMutations, (seed, ms) => {
      const file = tmpFile(applyBytes(Buffer.from(seed.text), ms));
      const lv = attempt(() => loadLevelFile(file), file);
      if (lv) {
        accepted.levelBytes++;
        checkLevel(lv);
      }
    }), { numRuns: RUNS.levelBytes });
    expect(accepted.levelBytes).toBeGreaterThan(RUNS.levelBytes / 50);
  });

  it(`mutated values: type swaps, huge numbers, dropped and unknown fields, escapes in every string (${RUNS.levelValues} inputs)`, () => {
    fc.assert(fc.property(fc.constantFrom(...LEVELS), valueMutations, fc.boolean(), (seed, ms, pretty) => {
      const v = ms.reduce((x, m) => m(x), JSON.parse(seed.text) as unknown);
      const file = tmpFile(JSON.stringify(v, null, pretty ? 2 : undefined));
      const lv = attempt(() => loadLevelFile(file), file);
      if (lv) {
        accepted.levelValues++;
        checkLevel(lv);
      }
    }), { numRuns: RUNS.levelValues });
    expect(accepted.levelValues).toBeGreaterThan(RUNS.levelValues / 20);
  });
});

describe('solution files', () => {
  const seeds = SOLUTIONS.map((s) => JSON.stringify(s, null, 2));
  it(`mutated bytes (${RUNS.solutionBytes} inputs): a solution or a clean error naming the file`, () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), byteMutations, (seed, ms) => {
      const file = tmpFile(applyBytes(Buffer.from(seed), ms));
      const b = attempt(() => loadSolutionFile(file), file);
      if (b) {
        accepted.solutionBytes++;
        checkSolution(b);
      }
    }), { numRuns: RUNS.solutionBytes });
    expect(accepted.solutionBytes).toBeGreaterThan(RUNS.solutionBytes / 125);
  });

  it(`mutated values (${RUNS.solutionValues} inputs): loaders, file names, share round trip`, () => {
    fc.assert(fc.property(fc.constantFrom(...SOLUTIONS), valueMutations, (seed, ms) => {
      const v = ms.reduce((x, m) => m(x), clone(seed) as unknown);
      const sol = attempt(() => parseSolution(parseJsonText(JSON.stringify(v), 'pasted'), 'pasted'), 'pasted');
      if (sol) {
        accepted.solutionValues++;
        checkSolution(sol);
      }
    }), { numRuns: RUNS.solutionValues });
    expect(accepted.solutionValues).toBeGreaterThan(RUNS.solutionValues / 20);
  });
});

describe('share codes', () => {
  const solutionArb = fc.constantFrom(...SOLUTIONS);
  it(`mutated code text (${RUNS.codeChars} inputs): a solution or one clean line`, () => {
    const charMut = fc.oneof(
      fc.tuple(fc.nat(), fc.constantFrom('A', '_', '-', '9', '.', '=', '+', '/', ' ', '\n', ESC, '\u009b', '\u202e', `${ESC}]0;x\u0007`, '\ud800', 'é')).map(([p, c]) => (s: string) => {
        const at = p % (s.length + 1);
        return s.slice(0, at) + c + s.slice(at);
      }),
      fc.nat().map((p) => (s: string) => s.slice(0, p % (s.length + 1))),
      fc.tuple(fc.nat(), fc.nat()).map(([p, q]) => (s: string) => {
        const at = p % (s.length || 1);
        return s.slice(0, at) + String.fromCharCode((s.charCodeAt(at) ^ (1 << (q % 7))) || 65) + s.slice(at + 1);
      }),
      fc.constant((s: string) => s.replace(/^pvlab1\./, 'pvlab2.')),
      fc.constant((s: string) => s.toUpperCase()),
      fc.constant((s: string) => `"${s}"`),
      fc.constant((s: string) => s + s),
    );
    fc.assert(fc.property(solutionArb, fc.array(charMut, { minLength: 1, maxLength: 3 }), (sol, ms) => {
      const code = ms.reduce((c, m) => m(c), encodeShare(sol));
      const got = attempt(() => decodeShare(code));
      if (got) {
        accepted.codeChars++;
        checkSolution(got);
      }
    }), { numRuns: RUNS.codeChars });
    expect(accepted.codeChars).toBeGreaterThan(RUNS.codeChars / 50);
  });

  it(`payloads with a valid checksum (${RUNS.codePayloads} inputs): mutated, random, and bombs`, { tags: ['timing'] }, () => {
    const rawOf = (sol: Solution) => {
      // mode 0 of encodeShare, or the inflated payload of mode 1
      const body = Buffer.from(encodeShare(sol).slice(7), 'base64url');
      const payload = body.subarray(1, body.length - 4);
      return body[0] === 1 ? inflateRawSync(payload) : payload;
    };
    const payload = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(solutionArb, byteMutation).map(([s, m]) => m(Buffer.from(rawOf(s)))) },
      { weight: 1, arbitrary: fc.tuple(solutionArb, byteMutations).map(([s, ms]) => applyBytes(Buffer.from(rawOf(s)), ms)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)) },
      // bombs: up to 1 MB of one byte (about 1 KB once deflated)
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 0, max: 255 })).map(([kb, fill]) => Buffer.alloc(kb * 1024, fill)) },
    );
    const mode = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1) }, { weight: 1, arbitrary: fc.constantFrom(2, 255) });
    const t0 = performance.now();
    fc.assert(fc.property(payload, mode, (p, mode) => {
      const data = mode === 1 ? deflateRawSync(p) : p;
      const got = attempt(() => decodeShare(frameCode(mode, data)));
      if (got) {
        accepted.codePayloads++;
        checkSolution(got);
      }
      if (mode === 1 && p.length > MAX_PAYLOAD_BYTES) expect(got).toBeUndefined();
    }), { numRuns: RUNS.codePayloads });
    expect(accepted.codePayloads).toBeGreaterThan(RUNS.codePayloads / 100);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

// ---- through the CLI boundary (main() in-process) --------------------------------------------

describe('the CLI boundary', () => {
  let out: string[];
  let err: string[];
  beforeAll(() => {
    process.env.PVLAB_LEVELS_DIR = FIXTURE_LEVELS;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  async function cli(args: string[]): Promise<number> {
    const r = await pvlab(args, { levelsDir: FIXTURE_LEVELS });
    out = [r.stdout];
    err = [r.stderr];
    return r.code ?? -1;
  }
  function expectContract(code: number): void {
    const e = err.join('');
    expect([0, 1, 2], `exit ${code}, stderr: ${e}`).toContain(code);
    expect(unsafeBytes(out.join(''))).toBeNull();
    expect(unsafeBytes(e)).toBeNull();
    if (code === 2) {
      expect(e.trimEnd().split('\n')).toHaveLength(1);
      expect(e).toMatch(/^pvlab: /);
    }
  }

  it(`share FILE and import CODE with mutated solutions and codes (${RUNS.cliShareImport} inputs)`, async () => {
    const dir = join(work, 'saves');
    mkdirSync(dir, { recursive: true });
    await fc.assert(fc.asyncProperty(fc.constantFrom(...SOLUTIONS), valueMutations, fc.boolean(), async (seed, ms, force) => {
      const v = ms.reduce((x, m) => m(x), clone(seed) as unknown);
      const file = tmpFile(JSON.stringify(v));
      const code = await cli(['share', file]);
      expectContract(code);
      if (code !== 0) return;
      const shared = out.join('').trim();
      const imp = await cli(['import', shared, '--dir', dir, ...(force ? ['--force'] : [])]);
      expectContract(imp);
      if (imp === 0) {
        accepted.cliShareImport++;
        // saved inside the folder, under a safe name
        expect(out.join('')).toMatch(/saves\/(sandbox|[a-z0-9][a-z0-9-]*)--[a-z0-9][a-z0-9-]*\.json\n$/);
      }
    }), { numRuns: RUNS.cliShareImport });
  });

  it(`run LEVEL --seed with mutated levels, escapes in every string (${RUNS.cliRun} inputs)`, async () => {
    const small = LEVELS.filter((l) => estimatedEvents(l.level) < 40_000);
    expect(small.length).toBeGreaterThan(0);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...small), valueMutations, fc.boolean(), async (seed, ms, json) => {
      const v = ms.reduce((x, m) => m(x), JSON.parse(seed.text) as unknown);
      const file = tmpFile(JSON.stringify(v));
      // keep the CI run short: skip the ones that load but would simulate for long
      const lv = attempt(() => loadLevelFile(file), file);
      if (lv && estimatedEvents(lv) > 200_000) return;
      const code = await cli(['run', file, '--seed', '1', ...(json ? ['--json'] : [])]);
      expectContract(code);
      expect(code === 2).toBe(lv === undefined);
      if (code !== 2) accepted.cliRun++;
      if (json && code !== 2) expect(() => JSON.parse(out.join(''))).not.toThrow();
    }), { numRuns: RUNS.cliRun });
  });
});
