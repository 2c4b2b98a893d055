// The level builder (src/io/level-builder.ts): a sandbox machine and typed texts become a
// level file that the headless commands and a workshop read like any level; what it
// cannot build or write is refused in one line, writing nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLevelFile } from '../../src/io/files.js';
import { levelCatalog } from '../../src/io/levels.js';
import { MAX_BUILDER_PLACEMENTS, buildLevel, levelIdFromFile, sitesOnPaths, type BuildOutcome, type LevelDraft } from '../../src/io/level-builder.js';
import { SOLUTION_FORMAT } from '../../src/io/schema.js';
import { WORKLOAD_IDS } from '../../src/sim/model.js';
import { campaignRules, enumerateLevel, parFromEnumeration } from '../../src/sim/par.js';
import { pvlab } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-build-'));
const draft = (over: Partial<LevelDraft> = {}): LevelDraft => ({
  file: join(dir, `lv-${Math.random().toString(36).slice(2)}.json`), title: 'Swap, built', briefing: 'Pages leave for the disk.',
  hints: ['Where does the page leave?', ''], arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 128, workloads: ['kvm_fault', 'swap'], ...over,
});

describe('buildLevel', () => {
  let built: Extract<BuildOutcome, { ok: true }>;
  let file: string;
  beforeAll(() => {
    const d = draft();
    const r = buildLevel(d, { takenIds: ['swap-pressure'] });
    if (!r.ok) throw new Error(r.message);
    built = r;
    file = d.file;
  });

  it('writes a level whose par is the enumeration\'s, offering the sites on the paths, and every campaign rule holds', () => {
    const lv = loadLevelFile(file);
    expect(lv.id).toBe(built.id);
    expect(lv.hints).toEqual(['Where does the page leave?']); // empty hints dropped
    expect(lv.sites).toEqual(sitesOnPaths(lv));
    const e = enumerateLevel(lv);
    const found = parFromEnumeration(e)!;
    expect(lv.par).toEqual(found.par);
    expect(built.reference).toEqual(found.reference);
    expect(campaignRules(lv, e, lv.par).every((r) => r.ok)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')) }, null, 2) + '\n');
  });

  it('par, analyze, verify and a workshop\'s levels/ folder accept the file', async () => {
    const par = await pvlab(['par', file]);
    expect(par.code).toBe(0);
    expect(par.stdout).toContain(`${built.id}: par `);
    expect((await pvlab(['analyze', file])).code).toBe(0);
    const sol = join(dir, 'ref.solution.json');
    writeFileSync(sol, JSON.stringify({ format: SOLUTION_FORMAT, level: built.id, name: 'ref', author: 'me', hooks: built.reference }));
    const v = await pvlab(['verify', file, '--solution', sol, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ passed: true, stars: 3 });
    const ws = join(dir, 'ws', 'levels');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'built.json'), readFileSync(file));
    expect(levelCatalog([ws]).find((e) => e.level.id === built.id)?.custom).toBe(true);
  });

  it('refuses in one line, writing nothing: a folder that is not there, a file that exists, a campaign or generated id, too many placements', () => {
    const refused = (d: LevelDraft, re: RegExp) => {
      const r = buildLevel(d, { takenIds: ['swap-pressure'] });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.message).toMatch(re);
      expect(r.message).not.toContain('\n');
    };
    refused(draft({ file: '/nonexistent-pvlab/x/level.json' }), /^\/nonexistent-pvlab\/x\/level\.json: cannot write the level \(/);
    refused(draft({ file }), /a file of that name exists; choose another name \(nothing was overwritten\)/);
    refused(draft({ file: join(dir, 'swap-pressure.json') }), /level id 'swap-pressure' is a campaign level's/);
    refused(draft({ file: join(dir, 'gen-hard-3.json') }), /reserved/);
    refused(draft({ file: join(dir, '...json') }), /gives no level id/);
    refused(draft({ title: ' ' }), /a title, please/);
    refused(draft({ workloads: [...WORKLOAD_IDS], pages: 16 }), new RegExp(`^\\d+ placements to enumerate \\(at most ${MAX_BUILDER_PLACEMENTS}\\): choose fewer workloads$`));
    expect(existsSync(join(dir, 'swap-pressure.json'))).toBe(false);
  });

  it('names a file as a level id', () => {
    expect(levelIdFromFile('levels/My Swap Level.json')).toBe('my-swap-level');
    expect(levelIdFromFile('a/b/..json')).toBe(null);
  });
});
