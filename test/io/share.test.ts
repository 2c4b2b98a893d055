import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/io/errors.js';
import { SolutionSchema, type Solution } from '../../src/io/schema.js';
import {
  MAX_CODE_CHARS, MAX_PAYLOAD_BYTES, SHARE_PREFIX, cleanCode, decodeShare, encodeShare, frameCode,
} from '../../src/io/share.js';
import { SITE_IDS, SITES } from '../../src/sim/model.js';

const PLACEABLE = SITE_IDS.filter((s) => SITES[s].placeable);

const hookArb = fc.constantFrom(...PLACEABLE).chain((site) =>
  SITES[site].when.length === 0
    ? fc.constant({ site })
    : fc.option(fc.constantFrom(...SITES[site].when), { nil: undefined })
      .map((when) => (when === undefined ? { site } : { site, when })));

const text = (min: number, max: number) =>
  fc.string({ unit: 'binary', maxLength: max }).filter((s) => s.length >= min && s.length <= max);

/** Random valid solutions (every optional field sometimes present). */
const solutionArb: fc.Arbitrary<Solution> = fc.record(
  {
    format: fc.constant('pvlab-solution@1' as const),
    level: fc.oneof(fc.constant('sandbox'), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/)),
    name: text(1, 80),
    author: text(0, 80),
    hooks: fc.uniqueArray(hookArb, { selector: (h) => h.site, maxLength: PLACEABLE.length }),
    created: text(0, 40),
    notes: text(0, 2000),
  },
  { requiredKeys: ['format', 'level', 'name', 'author', 'hooks'] },
).map((s) => SolutionSchema.parse(s));

const sample: Solution = SolutionSchema.parse({
  format: 'pvlab-solution@1', level: 'swap-pressure', name: 'unmap export', author: 'ada',
  hooks: [{ site: 'ptep_clear', when: 'live' }],
});

function rejection(code: string): string {
  try {
    decodeShare(code);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`accepted: ${code}`);
}

describe('share codes', () => {
  it('round-trips random valid solutions exactly (property)', () => {
    fc.assert(
      fc.property(solutionArb, (sol) => {
        const code = encodeShare(sol);
        expect(code.startsWith(SHARE_PREFIX)).toBe(true);
        expect(code).toMatch(/^pvlab1\.[A-Za-z0-9_-]+$/);
        expect(decodeShare(code)).toStrictEqual(sol);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic and keeps hook order and absent/explicit when', () => {
    const a = { ...sample, hooks: [{ site: 'writeback' as const }, { site: 'gup_fast' as const, when: 'pin' as const }, { site: 'gup_slow' as const }] };
    const code = encodeShare(a);
    expect(encodeShare(a)).toBe(code);
    expect(decodeShare(code).hooks).toStrictEqual(a.hooks);
    const b = { ...a, hooks: [...a.hooks].reverse() };
    expect(encodeShare(b)).not.toBe(code);
  });

  it('keeps codes short', () => {
    const many = [
      { site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }, { site: 'writeback' },
      { site: 'ptep_clear', when: 'live' }, { site: 'splice' }, { site: 'dma_map' },
    ] as Solution['hooks'];
    const len = (hooks: Solution['hooks']) => encodeShare({ ...sample, hooks }).length;
    expect(len(many.slice(0, 1))).toBeLessThanOrEqual(64);
    expect(len(many.slice(0, 3))).toBeLessThanOrEqual(68);
    expect(len(many)).toBeLessThanOrEqual(72);
    // long notes are deflated
    const notes = 'the unmap path exports every page before it is written; '.repeat(30);
    expect(encodeShare({ ...sample, notes }).length).toBeLessThan(notes.length / 4);
  });

  it('accepts a code wrapped or quoted by a chat program', () => {
    const code = encodeShare(sample);
    const wrapped = `  \`${code.slice(0, 20)}\n${code.slice(20, 41)}\r\n ${code.slice(41)}\`  `;
    expect(cleanCode(wrapped)).toBe(code);
    expect(decodeShare(wrapped)).toStrictEqual(sample);
  });

  it('rejects every truncation with one clear line', () => {
    const code = encodeShare({ ...sample, notes: 'some notes here' });
    for (let n = 0; n < code.length; n++) {
      const msg = rejection(code.slice(0, n));
      expect(msg).toMatch(/empty|not a pvlab share code|truncated|damaged|too short/);
    }
  });

  it('rejects every single-character alteration', () => {
    const code = encodeShare(sample);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = SHARE_PREFIX.length; i < code.length; i++) {
      for (const c of ['A', 'z', '9', '_']) {
        if (c === code[i]) continue;
        const altered = code.slice(0, i) + c + code.slice(i + 1);
        // the last character may carry unused bits: a change there can decode to the same bytes
        if (Buffer.from(altered.slice(7), 'base64url').equals(Buffer.from(code.slice(7), 'base64url'))) continue;
        expect(rejection(altered)).toMatch(/damaged|malformed|checksum/);
      }
      expect(alphabet.includes(code[i]!)).toBe(true);
    }
  });

  it('names the version, garbage and pasted JSON', () => {
    const code = encodeShare(sample);
    expect(rejection(code.replace(/^pvlab1\./, 'pvlab2.'))).toMatch(/version 2 comes from a newer pvlab/);
    expect(rejection(code.replace(/^pvlab1\./, 'pvlab0.'))).toMatch(/version 0 is not supported/);
    expect(rejection('hello world')).toMatch(/not a pvlab share code/);
    expect(rejection('')).toMatch(/empty/);
    expect(rejection('   \n ')).toMatch(/empty/);
    expect(rejection('{"format":"pvlab-solution@1"}')).toMatch(/solution JSON, not a share code/);
    expect(rejection(`${code.slice(0, 12)}!${code.slice(13)}`)).toMatch(/character "!" at position 13/);
    expect(rejection(`${code.slice(0, 12)}\u001b[2J${code.slice(12)}`)).not.toContain('\u001b');
    expect(rejection('pvlab1.' + 'A'.repeat(MAX_CODE_CHARS))).toMatch(/more than the limit/);
  });

  it('refuses a decompression bomb quickly, without inflating it', { tags: ['timing'] }, () => {
    const bomb = deflateRawSync(Buffer.alloc(12_000_000), { level: 9 });
    const code = frameCode(1, bomb);
    expect(code.length).toBeLessThan(MAX_CODE_CHARS);
    const t0 = performance.now();
    expect(rejection(code)).toMatch(new RegExp(`expands to more than ${MAX_PAYLOAD_BYTES} bytes`));
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects malformed payloads that carry a valid checksum', () => {
    const raw = Buffer.from(deflateRawSync(Buffer.from('x'))); // valid deflate of junk
    expect(rejection(frameCode(1, raw))).toMatch(/malformed/);
    expect(rejection(frameCode(1, Buffer.from([0xff, 0xfe, 0x00])))).toMatch(/does not decompress|malformed/);
    expect(rejection(frameCode(7, Buffer.from([0, 1, 0x61, 1, 0x62, 0])))).toMatch(/unknown encoding 7/);
    // flags 0, level "a", name "b", 0 hooks: valid; then variations
    const ok = [0, 1, 0x61, 1, 0x62, 0];
    expect(decodeShare(frameCode(0, Buffer.from(ok)))).toMatchObject({ level: 'a', name: 'b', hooks: [] });
    expect(rejection(frameCode(0, Buffer.from([...ok, 0])))).toMatch(/unexpected bytes at the end/);
    expect(rejection(frameCode(0, Buffer.from([0x80, 1, 0x61, 1, 0x62, 0])))).toMatch(/unknown flags/);
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 1, 0x62, 1, 10 << 3])))).toMatch(/unknown site/); // 'fault'
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 1, 0x62, 1, 7])))).toMatch(/unknown site or condition/);
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 1, 0x62, 1, (2 << 3) | 1])))).toMatch(/takes no 'when'/); // writeback[pin]
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 1, 0xff, 0])))).toMatch(/not valid UTF-8/);
    expect(rejection(frameCode(0, Buffer.from([0, 0xff, 0xff, 0xff, 0x7f])))).toMatch(/length is too large/);
    expect(rejection(frameCode(0, Buffer.from([0, 0xc1, 0x01, 0x61])))).toMatch(/level is 193 bytes, more than 64/);
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x41, 1, 0x62, 0])))).toMatch(/invalid solution: level/);
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 0, 0])))).toMatch(/invalid solution: name/);
    expect(rejection(frameCode(0, Buffer.from([0, 1, 0x61, 1, 0x62, 2, 2 << 3, 2 << 3])))).toMatch(/hooked twice/);
  });

  it('refuses to share what it could not give back identically', () => {
    expect(() => encodeShare({ ...sample, name: 'a\ud800b' })).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => encodeShare({ ...sample, hooks: [{ site: 'fault' as never }] })).toThrow(InputError);
  });
});

describe('share codes of generated levels carry the seed', () => {
  it('a generated level id keeps its seed and the generator version; the code regenerates the level', async () => {
    const { decodeShareInfo } = await import('../../src/io/share.js');
    const { GENERATOR_VERSION } = await import('../../src/sim/generate/index.js');
    const sol = SolutionSchema.parse({ format: 'pvlab-solution@1', level: 'gen-hard-42', name: 'mine', author: 'ada', hooks: [{ site: 'kmap' }] });
    const info = decodeShareInfo(encodeShare(sol));
    expect(info.solution).toEqual(sol);
    expect(info.generated).toEqual({ kind: 'generated', seed: 42, difficulty: 'hard', generatorVersion: GENERATOR_VERSION, sameGenerator: true });
    const daily = decodeShareInfo(encodeShare({ ...sol, level: 'daily-2026-12-07' }));
    expect(daily.generated).toMatchObject({ kind: 'daily', date: '2026-12-07' });
  });

  it('old codes still import: no generator flag, campaign or generated level', async () => {
    const { decodeShareInfo } = await import('../../src/io/share.js');
    // the format before the generator flag: flags, level, name, hook count, hooks (mode 0)
    const bytes = (level: string) => Uint8Array.from([0, level.length, ...Buffer.from(level), 1, 0x6d, 1, 0x40]);
    const old = decodeShareInfo(frameCode(0, bytes('swap-pressure')));
    expect(old.solution.level).toBe('swap-pressure');
    expect(old.solution.hooks).toEqual([{ site: 'kmap' }]);
    expect(old.generated).toBeUndefined();
    const oldGen = decodeShareInfo(frameCode(0, bytes('gen-easy-7')));
    expect(oldGen.generated).toEqual({ kind: 'generated', seed: 7, difficulty: 'easy', generatorVersion: 1, sameGenerator: true });
    expect(decodeShareInfo(encodeShare(sample)).generated).toBeUndefined();
  });
});
