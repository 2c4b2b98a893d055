// Custom levels beside the campaign: a workshop's levels/ folder adds to the campaign (the
// board ranks its entries, `patch` finds it without --level); an id the campaign uses is refused.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelCatalog } from '../../src/io/levels.js';
import { FIXTURES, expectRefused, pvlab } from '../helpers/cli.js';

describe('custom levels', () => {
  it("a workshop's levels load beside the campaign; board and patch find them", async () => {
    const ws = join(mkdtempSync(join(tmpdir(), 'pvlab-custom-')), 'ws');
    const configDir = `${ws}-config`;
    expect((await pvlab(['workshop', 'init', ws], { configDir })).code).toBe(0);
    const level = { ...JSON.parse(readFileSync(join(FIXTURES, 'board/levels/swap-pressure.json'), 'utf8')), id: 'my-swap', title: 'My swap level' };
    writeFileSync(join(ws, 'levels', 'my-swap.json'), JSON.stringify(level));
    const cat = levelCatalog([join(ws, 'levels')]);
    expect(cat.find((e) => e.level.id === 'my-swap')).toMatchObject({ custom: true });
    expect(cat.some((e) => e.level.id === 'swap-pressure' && !e.custom)).toBe(true); // the campaign is still there
    mkdirSync(join(ws, 'players', 'ada'), { recursive: true });
    const sol = join(ws, 'players', 'ada', 'mine.json');
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'my-swap', name: 'mine', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'live' }] }));
    const b = JSON.parse((await pvlab(['board', ws, '--json', '--reveal'], { configDir })).stdout);
    expect(b.invalid).toEqual([]);
    expect(b.levels.map((l: { level: string; title: string }) => [l.level, l.title])).toEqual([['my-swap', 'My swap level']]);
    const patch = await pvlab(['patch', sol, '--json'], { configDir });
    expect(patch.stderr).toBe('');
    expect(JSON.parse(patch.stdout).level).toBe('my-swap');
    writeFileSync(join(ws, 'levels', 'dup.json'), JSON.stringify({ ...level, id: 'swap-pressure' }));
    expectRefused(await pvlab(['board', ws], { configDir }), /level id 'swap-pressure' is also used by/);
  });
});
