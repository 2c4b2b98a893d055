import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/io/errors.js';
import { saveSolution } from '../../src/io/saves.js';
import { SolutionSchema } from '../../src/io/schema.js';
import {
  DEFAULT_SETTINGS, PROGRESS_FORMAT, defaultConfigPath, mergeLevel, openStore, type LevelProgress, type StoreOptions,
} from '../../src/io/settings.js';
import { configFile } from '../../src/io/snapshot.js';
import type { Metrics } from '../../src/sim/types.js';

let root: string;
let cfg: string;
let warnings: string[];
const now = () => new Date('2025-05-06T07:08:09.000Z');
const open = (o: StoreOptions = {}) => openStore({ cwd: cfg, onWarning: (l) => warnings.push(l), now, ...o });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pvlab-settings-'));
  cfg = join(root, 'config');
  warnings = [];
});

function metrics(over: Partial<Metrics>): Metrics {
  return {
    ioErrors: 0, fatalIoErrors: 0, crashes: 0, freedSecure: 0, exports: 90, imports: 60, wastedExports: 6, destroys: 0, hooks: 1,
    hookChecks: 0, exceptions: 0, stallRetries: 0, guestStall: 600, hostOverhead: 10, encryptionWork: 3300,
    cost: 4000, cleanErrors: 0, deviceIos: 0, cpuAccesses: 0, ciphertextReads: 0, events: 0, ...over,
  };
}

/** Hash of every file under a folder: proves it was not touched. */
function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = join(dir, f);
    h.update(f);
    if (statSync(p).isFile()) h.update(readFileSync(p));
  }
  return h.digest('hex');
}

describe('settings', () => {
  it('start from defaults in the given folder (never the real config dir)', () => {
    const s = open();
    expect(s.path).toBe(join(cfg, 'config.json'));
    expect(s.settings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ color: 'auto', animation: 'full', savesDir: 'saves', workshopDir: '', playerName: '' });
    expect(existsSync(join(cfg, 'config.json'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('use PVLAB_CONFIG_DIR by default (the test setup points it at a temp dir)', () => {
    const s = openStore({ onWarning: () => {} });
    expect(s.path).toBe(resolve(process.env.PVLAB_CONFIG_DIR!, 'config.json'));
  });

  it('persist validated changes; a bad value changes nothing', () => {
    const s = open();
    s.setSettings({ color: 'never', playerName: 'ada', savesDir: join(root, 'my-saves'), workshopDir: 'ws' });
    const t = open();
    expect(t.settings()).toMatchObject({ color: 'never', playerName: 'ada' });
    expect(t.savesDir()).toBe(join(root, 'my-saves'));
    expect(t.workshopDir()).toBe(resolve('ws'));
    expect(() => t.setSettings({ color: 'purple' as never })).toThrow(/setting color: must be one of auto, always, never/);
    expect(() => t.setSettings({ animationSpeed: 1000 })).toThrow(InputError);
    expect(open().settings().color).toBe('never');
    t.setSettings({ workshopDir: '' });
    expect(t.workshopDir()).toBeNull();
    expect(open({}).savesDir()).toBe(join(root, 'my-saves'));
  });

  it('a corrupted file is reported in one line, kept aside and reset; saves/ is untouched', () => {
    const saves = join(root, 'saves');
    saveSolution(SolutionSchema.parse({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'mine', hooks: [] }), saves);
    const before = treeHash(saves);
    const s = open();
    s.setSettings({ playerName: 'ada', savesDir: saves });
    s.recordHint('swap-pressure', 1);
    writeFileSync(s.path!, '{"settings": {"color": "never"', 'utf8');
    const t = open();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^settings file .*config\.json was not valid JSON; reset to defaults \(the old file is kept as .*config\.json\.corrupt\)$/);
    expect(t.settings()).toEqual(DEFAULT_SETTINGS);
    expect(t.progress()).toEqual({ levels: {} });
    expect(readFileSync(join(cfg, 'config.json.corrupt'), 'utf8')).toBe('{"settings": {"color": "never"');
    expect(treeHash(saves)).toBe(before);
    // it stays fixed: the next open is quiet
    open();
    expect(warnings).toHaveLength(1);
  });

  it('a file that breaks the schema is reset too; earlier corrupt copies are kept', () => {
    open();
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ settings: { color: 'plaid' }, progress: { levels: {} } }));
    open();
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ progress: { levels: { 'Bad Id': {} } } }));
    const t = open();
    expect(warnings[0]).toMatch(/was not valid \(settings\.color: must be one of auto, always, never\); reset/);
    expect(warnings[1]).toMatch(/was not valid .*; reset to defaults \(the old file is kept as .*config\.json\.corrupt-2\)/);
    expect(t.settings()).toEqual(DEFAULT_SETTINGS);
  });

  it('a settings "file" that is a folder is moved aside and reset', () => {
    mkdirSync(join(cfg, 'config.json'), { recursive: true });
    const t = open();
    expect(warnings[0]).toMatch(/was unreadable \(is a folder\); reset to defaults/);
    expect(t.settings()).toEqual(DEFAULT_SETTINGS);
  });

  it('a file corrupted while the program runs is reset at the next access', () => {
    const s = open();
    s.setSettings({ playerName: 'ada' });
    writeFileSync(s.path!, 'garbage');
    expect(s.settings().playerName).toBe('');
    expect(warnings).toHaveLength(1);
    s.setSettings({ playerName: 'bob' });
    expect(open().settings().playerName).toBe('bob');
  });

  it('an unusable config folder: a command refuses to change anything (never "saved" while kept in memory)', () => {
    const notADir = join(root, 'file');
    writeFileSync(notADir, 'x');
    const s = openStore({ cwd: join(notADir, 'config'), onWarning: (l) => warnings.push(l) });
    expect(s.path).toBeNull();
    expect(() => s.setSettings({ playerName: 'ada' })).toThrow(/^not saved: settings and progress cannot be stored \(.*\); nothing was changed$/);
    expect(() => s.recordHint('swap-pressure', 2)).toThrow(InputError);
    expect(s.settings().playerName).toBe('');
  });

  it('an unusable config folder keeps the game working in memory (memoryOk)', () => {
    const notADir = join(root, 'file');
    writeFileSync(notADir, 'x');
    const s = openStore({ cwd: join(notADir, 'config'), onWarning: (l) => warnings.push(l), memoryOk: true });
    expect(s.path).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/settings cannot be stored in .*; they are kept in memory for this session only/);
    s.setSettings({ playerName: 'ada' });
    s.recordHint('swap-pressure', 2);
    expect(s.settings().playerName).toBe('ada');
    expect(s.level('swap-pressure')?.hints).toBe(2);
    expect(s.resetProgress()).toBeNull();
    expect(s.progress().levels).toEqual({});
  });
});

describe('progress', () => {
  it('records results: solved, stars, best per metric, attempts', () => {
    const s = open();
    const fail = s.recordResult('swap-pressure', { passed: false, stars: 0, metrics: metrics({ cost: 100, ioErrors: 3 }) });
    expect(fail).toMatchObject({ firstSolve: false, newBest: [], level: { solved: false, attempts: 1, best: {} } });
    const first = s.recordResult('swap-pressure', { passed: true, stars: 2, metrics: metrics({}) }, { solution: 'unmap' });
    expect(first.firstSolve).toBe(true);
    expect(first.newBest).toEqual(['cost', 'exports', 'imports', 'wastedExports', 'hooks', 'guestStall', 'hostOverhead']);
    expect(first.level).toMatchObject({ solved: true, stars: 2, attempts: 2, bestSolution: 'unmap', solvedAt: '2025-05-06T07:08:09.000Z' });
    const second = s.recordResult('swap-pressure', { passed: true, stars: 1, metrics: metrics({ cost: 4500, hooks: 0.5, wastedExports: 6 }) }, { solution: 'other' });
    expect(second.firstSolve).toBe(false);
    expect(second.newBest).toEqual(['hooks']);
    const lp = open().level('swap-pressure')!;
    expect(lp).toMatchObject({ solved: true, stars: 2, attempts: 3, bestSolution: 'unmap' });
    expect(lp.best).toMatchObject({ cost: 4000, hooks: 0.5, wastedExports: 6 });
    expect(open().progress().lastLevel).toBe('swap-pressure');
  });

  it('records hints as the highest step revealed', () => {
    const s = open();
    expect(s.recordHint('swap-pressure', 2).hints).toBe(2);
    expect(s.recordHint('swap-pressure', 1).hints).toBe(2);
    expect(s.recordHint('swap-pressure', 3).hints).toBe(3);
    expect(() => s.recordHint('swap-pressure', 0)).toThrow(/out of range/);
    expect(() => s.recordHint('../x', 1)).toThrow(/not a level id/);
    expect(() => s.recordResult('Bad Id', { passed: true, stars: 3, metrics: metrics({}) })).toThrow(InputError);
  });

  it('export and import round-trip into a fresh store', () => {
    const a = open();
    a.setSettings({ playerName: 'ada', animation: 'reduced' });
    a.recordResult('swap-pressure', { passed: true, stars: 3, metrics: metrics({}) }, { solution: 'unmap' });
    a.recordHint('other-level', 2);
    const file = a.exportData();
    expect(file.format).toBe(PROGRESS_FORMAT);
    const text = JSON.stringify(file);
    cfg = join(root, 'config2');
    const b = open();
    expect(b.importData(JSON.parse(text), 'p.json')).toEqual({ levels: 2, solved: 1, settings: true });
    expect(b.progress()).toEqual(a.progress());
    expect(b.settings()).toEqual(a.settings());
    // importing again changes nothing (merge is idempotent)
    b.importData(JSON.parse(text), 'p.json');
    expect(b.progress()).toEqual(a.progress());
  });

  it('import merges, keeping the better result per level', () => {
    const s = open();
    s.recordResult('swap-pressure', { passed: true, stars: 2, metrics: metrics({ cost: 4000, hooks: 2 }) }, { solution: 'mine' });
    s.recordHint('swap-pressure', 1);
    s.importData({
      format: PROGRESS_FORMAT,
      progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: { cost: 3000 }, bestSolution: 'theirs', hints: 0, attempts: 9 } } },
    }, 'p.json');
    const lp = s.level('swap-pressure')!;
    expect(lp).toMatchObject({ solved: true, stars: 3, hints: 1, attempts: 9, bestSolution: 'theirs' });
    expect(lp.best).toMatchObject({ cost: 3000, hooks: 2 });
  });

  it('import validates the file and says which field is wrong', () => {
    const s = open();
    expect(() => s.importData({ levels: {} }, 'p.json')).toThrow(/p\.json: not a pvlab progress file/);
    expect(() => s.importData([], 'p.json')).toThrow(/p\.json: /);
    expect(() => s.importData({ format: PROGRESS_FORMAT, progress: { levels: { x: { stars: 7 } } } }, 'p.json'))
      .toThrow(/p\.json: progress\.levels\.x\.stars: /);
    expect(() => s.importData({ format: PROGRESS_FORMAT, progress: { levels: {} }, evil: 1 }, 'p.json'))
      .toThrow(/unknown field 'evil'/);
    expect(s.progress()).toEqual({ levels: {} });
  });

  it('reset forgets progress, keeps settings, and writes a restorable backup first', () => {
    const s = open();
    s.setSettings({ playerName: 'ada' });
    s.recordResult('swap-pressure', { passed: true, stars: 3, metrics: metrics({}) });
    const backup = s.resetProgress()!;
    expect(backup).toBe(join(cfg, 'config.progress-20250506T070809000Z.json'));
    expect(s.progress()).toEqual({ levels: {} });
    expect(s.settings().playerName).toBe('ada');
    s.importData(JSON.parse(readFileSync(backup, 'utf8')), backup);
    expect(s.level('swap-pressure')?.solved).toBe(true);
  });

  it('mergeLevel keeps the earliest solve time and the better of each field', () => {
    const a: LevelProgress = { solved: false, stars: 0, best: {}, hints: 3, attempts: 2 };
    const b: LevelProgress = { solved: true, stars: 1, best: { cost: 5 }, hints: 1, attempts: 1, solvedAt: '2025-01-02' };
    expect(mergeLevel(a, b)).toEqual({ solved: true, stars: 1, best: { cost: 5 }, hints: 3, attempts: 2, solvedAt: '2025-01-02' });
    expect(mergeLevel(b, { ...b, solvedAt: '2024-12-31' }).solvedAt).toBe('2024-12-31');
    expect(mergeLevel(undefined, b)).toEqual(b);
  });
});

describe('the per-user settings folder', () => {
  it('rule: without PVLAB_CONFIG_DIR it is the folder conf chose (the files of earlier versions stay found), and the snapshot\'s', async () => {
    const saved = process.env.PVLAB_CONFIG_DIR;
    const xdg = process.env.XDG_CONFIG_HOME;
    delete process.env.PVLAB_CONFIG_DIR;
    process.env.XDG_CONFIG_HOME = join(root, 'xdg');
    try {
      // conf is loaded here only: pvlab derives the same folder without it
      const { default: Conf } = await import('conf');
      const conf = new Conf({ projectName: 'pvlab', configName: 'config' });
      expect(defaultConfigPath()).toBe(conf.path);
      expect(defaultConfigPath()).toBe(resolve(root, 'xdg', 'pvlab-nodejs', 'config.json'));
      expect(configFile()).toBe(conf.path);
    } finally {
      if (saved === undefined) delete process.env.PVLAB_CONFIG_DIR;
      else process.env.PVLAB_CONFIG_DIR = saved;
      process.env.XDG_CONFIG_HOME = xdg;
    }
  });
});
