// `pvlab generate` and `pvlab par` end to end (in process): the level file is one that
// verify, analyze and par accept, by file and by id; bad input is one line and exit 2.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLevel, levelJson } from '../../src/sim/generate/index.js';
import { pvlab } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (s: string) => s.trim().split('\n');
// the level these tests share, generated once per file (generation is their costly part;
// no test changes it: each writes a copy)
let gen2: ReturnType<typeof generateLevel> | undefined;
const easy2 = () => (gen2 ??= generateLevel({ seed: 2, difficulty: 'easy' }));

describe('pvlab generate', () => {
  it('--json prints the level file, byte for byte the generator\'s; --out writes the same bytes', async () => {
    const j = await pvlab(['generate', '--seed', '2', '--difficulty', 'easy', '--json']);
    expect(j.code).toBe(0);
    expect(j.stdout).toBe(levelJson(easy2().level));
    const out = join(dir, 'easy-2.json');
    const w = await pvlab(['generate', '--seed', '2', '--out', out]);
    expect(w.code, w.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(j.stdout);
    expect(JSON.parse(j.stdout).id).toBe('gen-easy-2');
  });

  it('the level plays like any level: verify a solution by file and by id, analyze and par it', async () => {
    const g = easy2();
    const file = join(dir, 'easy-2.json');
    writeFileSync(file, levelJson(g.level));
    const sol = join(dir, 'ref.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: g.level.id, name: 'ref', author: 't', hooks: g.reference }));
    for (const level of [file, g.level.id]) {
      const v = await pvlab(['verify', level, '--solution', sol]);
      expect(v.code, `${level}: ${v.stderr}`).toBe(0);
      expect(v.stdout).toContain('all par met');
    }
    const a = await pvlab(['analyze', g.level.id, '--json']);
    expect(JSON.parse(a.stdout).levels[0].meetingPar).toBe(g.measure.meetingPar);
    const p = await pvlab(['par', file, '--json']);
    expect(p.code, p.stdout).toBe(0);
    const got = JSON.parse(p.stdout) as { par: Record<string, number>; rules: { ok: boolean }[] };
    expect(got.rules.every((r) => r.ok)).toBe(true);
    for (const [k, v] of Object.entries(got.par)) expect(v, k).toBeCloseTo((g.level.par as Record<string, number>)[k]!, 2);
  });

  it('the workshop board ranks solutions of a generated level by regenerating it from the id', async () => {
    const g = easy2();
    const ws = mkdtempSync(join(dir, 'ws-'));
    writeFileSync(join(ws, 'ada.json'), JSON.stringify({ format: 'pvlab-solution@1', level: g.level.id, name: 'ref', author: 'ada', hooks: g.reference }));
    const b = await pvlab(['board', ws, '--json', '--level', g.level.id]);
    expect(b.code, b.stderr).toBe(0);
    const board = JSON.parse(b.stdout) as { levels: { level: string }[] };
    expect(board.levels.map((l) => l.level)).toEqual([g.level.id]);
  });

  it('bad input: one line, exit 2', async () => {
    const ro = join(dir, 'ro');
    rmSync(ro, { recursive: true, force: true });
    writeFileSync(join(dir, 'ro-file'), '');
    chmodSync(join(dir, 'ro-file'), 0o444);
    const cases: [string[], RegExp][] = [
      [['generate', '--seed', 'abc'], /--seed.*whole number/],
      [['generate', '--seed', '-3'], /--seed|whole number/],
      [['generate', '--seed', '4294967296'], /whole number/],
      [['generate', '--difficulty', 'medium'], /difficulty 'medium'/],
      [['generate', '--seed', '2', '--out', join(ro, 'missing', 'x.json')], /cannot write the level/],
      [['generate', '--seed', '1', '--json', '--out', join(dir, 'x.json')], /--json or --out/],
      [['generate', '--daily', '--date', '2026-02-30'], /not a calendar date/],
      [['generate', '--date', '2026-02-01'], /--date goes with --daily/],
      [['generate', '--daily', '--seed', '3'], /--daily takes no --seed/],
      [['par', join(dir, 'nope.json')], /no such file/],
      [['par', 'gen-easy-2', '--write'], /no file to write/],
    ];
    for (const [args, re] of cases) {
      const r = await pvlab(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  });

  it('par --write replaces only the par of the level file, atomically', async () => {
    const g = easy2();
    const file = join(dir, 'write.json');
    const raw = JSON.parse(levelJson(g.level)) as Record<string, unknown>;
    raw.par = { cost: 1 };
    writeFileSync(file, JSON.stringify(raw, null, 2) + '\n');
    const r = await pvlab(['par', file, '--write']);
    expect(r.code, r.stdout).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(after)).toEqual(Object.keys(raw));
    expect({ ...after, par: null }).toEqual({ ...raw, par: null });
    expect((after.par as Record<string, number>).cost).toBeCloseTo(g.level.par.cost!, 2);
  });
});
