// The player's own data under hostile conditions: planted links and FIFOs in saves/,
// hostile names and level ids, corrupted or odd settings files, a progress file from a
// stranger. Nothing hangs, nothing outside saves/ is written, nothing in saves/ is lost.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/io/atomic.js';
import { collectSolutions } from '../../src/io/leaderboard.js';
import { InputError } from '../../src/io/errors.js';
import { listSaves, saveSolution, slugify, solutionFileName } from '../../src/io/saves.js';
import { DEFAULT_SETTINGS, MAX_UNKNOWN_LEVELS, PROGRESS_FILE_BYTES, PROGRESS_FORMAT, openStore, type StoreOptions } from '../../src/io/settings.js';
import { SolutionSchema, type Solution } from '../../src/io/schema.js';
import { decodeShare, encodeShare } from '../../src/io/share.js';
import { sanitizeLine } from '../../src/io/sanitize.js';
import type { Metrics } from '../../src/sim/types.js';
import { UNSAFE, refusal } from './helpers.js';

let root: string;
let saves: string;
let cfg: string;
let warnings: string[];
const open = (o: StoreOptions = {}) => openStore({ cwd: cfg, onWarning: (l) => warnings.push(l), ...o });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pvlab-hostile-persist-'));
  saves = join(root, 'saves');
  cfg = join(root, 'config');
  warnings = [];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const sol = (over: Partial<Solution> = {}): Solution =>
  SolutionSchema.parse({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'mine', author: 'me', hooks: [{ site: 'writeback' }], ...over });

/** Every file under a folder with its content hash. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = join(dir, f);
    const st = lstatSync(p);
    out[f] = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : st.isSymbolicLink() ? 'link' : 'dir';
  }
  return out;
}

function timed<T>(fn: () => T, ms = 2000): T {
  const t0 = performance.now();
  const r = fn();
  expect(performance.now() - t0).toBeLessThan(ms);
  return r;
}

describe('saves/ under attack', () => {
  it('hostile names and share codes never write outside saves/ (property)', () => {
    const nasty = fc.oneof(
      fc.constantFrom('..', '.', '../../etc/passwd', '/etc/shadow', '..\\..\\x', 'C:\\Windows\\x', 'CON', 'nul.txt', 'LPT1', 'aux', ' ', '\u0000',
        '\u001b]0;t\u0007', '\u202e', '.backup', '.git', '~', '$HOME', '`id`', '%2e%2e%2f', '\u2024\u2024/', '\uff0e\uff0e\uff0f'),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    const name = fc.array(nasty, { minLength: 1, maxLength: 4 }).map((a) => a.join('').slice(0, 80))
      // a name that shows as nothing (only spaces or terminal controls) is refused: pinned below
      .filter((s) => sanitizeLine(s).trim().length > 0);
    fc.assert(fc.property(name, (n) => {
      const s = sol({ name: n });
      const code = encodeShareSafe(s);
      const back = code ? decodeShare(code) : s;
      const file = solutionFileName(back);
      expect(file).toMatch(/^swap-pressure--[a-z0-9][a-z0-9-]*\.json$/);
      expect(slugify(n)).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
      const r = saveSolution(back, saves, { overwrite: true });
      expect(dirname(r.path)).toBe(resolve(saves));
    }), { numRuns: 200 });
    // only files directly in saves/ (and backups in saves/.backup/)
    for (const f of Object.keys(tree(root))) expect(f).toMatch(/^saves(\/\.backup)?(\/[^/]+)?$/);
  });

  it('a symlink to /dev/zero or a FIFO planted under a save name is neither copied nor replaced', { tags: ['timing'] }, () => {
    mkdirSync(saves);
    const target = join(saves, 'swap-pressure--mine.json');
    symlinkSync('/dev/zero', target);
    const before = tree(saves);
    const msg = timed(() => refusal(() => saveSolution(sol(), saves, { overwrite: true })));
    expect(msg).toMatch(/swap-pressure--mine\.json is a symbolic link, not a saved solution; not replaced/);
    expect(tree(saves)).toEqual(before);
    // and reading the folder skips it instead of reading forever
    expect(timed(() => listSaves(saves))).toEqual([]);

    const fifo = join(saves, 'swap-pressure--piped.json');
    execFileSync('mkfifo', [fifo]);
    expect(timed(() => refusal(() => saveSolution(sol({ name: 'piped' }), saves, { overwrite: true })))).toMatch(/is a FIFO/);
    expect(timed(() => refusal(() => saveSolution(sol({ name: 'piped' }), saves)))).toMatch(/is a FIFO/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(timed(() => listSaves(saves))).toEqual([]);
  });

  it('a symlink to a file outside saves/ is listed by its content but never written through', () => {
    mkdirSync(saves);
    const outside = join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify(sol({ name: 'outside' })));
    const before = readFileSync(outside, 'utf8');
    symlinkSync(outside, join(saves, 'swap-pressure--outside.json'));
    expect(listSaves(saves).map((e) => e.solution?.name)).toEqual(['outside']);
    expect(refusal(() => saveSolution(sol({ name: 'outside' }), saves, { overwrite: true }))).toMatch(/symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe(before);
  });

  it('a saves "folder" that is a file, or a folder in the way of a save, is reported; data intact', () => {
    writeFileSync(saves, 'precious');
    expect(refusal(() => saveSolution(sol(), saves))).toMatch(/cannot create the saves folder .*saves: a file of that name is in the way/);
    expect(readFileSync(saves, 'utf8')).toBe('precious');
    const s2 = join(root, 'saves2');
    mkdirSync(join(s2, 'swap-pressure--mine.json'), { recursive: true });
    writeFileSync(join(s2, 'swap-pressure--mine.json', 'keep'), 'x');
    expect(refusal(() => saveSolution(sol(), s2, { overwrite: true }))).toMatch(/is a folder, not a saved solution/);
    expect(readFileSync(join(s2, 'swap-pressure--mine.json', 'keep'), 'utf8')).toBe('x');
  });

  it('a read-only or full disk keeps the old file and leaves no temporary file', () => {
    saveSolution(sol(), saves);
    const before = tree(saves);
    for (const code of ['EROFS', 'EACCES', 'ENOSPC', 'EDQUOT', 'EIO']) {
      const fail = () => { throw Object.assign(new Error(code), { code }); };
      for (const where of ['openSync', 'writeSync', 'fsyncSync', 'renameSync'] as const) {
        const msg = refusal(() => saveSolution(sol({ notes: 'new' }), saves, { overwrite: true, fs: { [where]: fail } }));
        expect(msg).toMatch(/not saved: .*\(the old file is unchanged\)/);
      }
    }
    const after = tree(saves);
    // the old file is untouched; the only additions are backups of it
    expect(after['swap-pressure--mine.json']).toBe(before['swap-pressure--mine.json']);
    expect(Object.keys(after).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('workshop folders', () => {
  it('a board walk is bounded by the number of entries, not only of JSON files', () => {
    const w = join(root, 'wide');
    mkdirSync(join(w, 'deep/er'), { recursive: true });
    for (let i = 0; i < 60; i++) writeFileSync(join(w, 'deep/er', `f${i}.txt`), '');
    expect(collectSolutions([w], { maxEntries: 100 }).found).toEqual([]);
    expect(refusal(() => collectSolutions([w], { maxEntries: 50 }))).toBe(`more than 50 files and folders under ${w}; point the board at a smaller folder`);
  });
});

describe('makeDirs', () => {
  it('creates nested folders, accepts existing ones, and fails on a file in the way', () => {
    makeDirs(join(root, 'a/b/c'));
    makeDirs(join(root, 'a/b/c'));
    expect(statSync(join(root, 'a/b/c')).isDirectory()).toBe(true);
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirs(join(root, 'file/sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirs(join(root, 'file'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});

describe('settings under attack', () => {
  it('a FIFO, a device link or a huge file as config.json is reported and reset, without hanging', { tags: ['timing'] }, () => {
    mkdirSync(cfg, { recursive: true });
    execFileSync('mkfifo', [join(cfg, 'config.json')]);
    const s = timed(() => open());
    expect(warnings[0]).toMatch(/config\.json was unreadable \(it is a FIFO\); reset to defaults \(the old file is kept as .*config\.json\.corrupt\)/);
    expect(s.settings()).toEqual(DEFAULT_SETTINGS);
    s.setSettings({ playerName: 'ada' });
    expect(open().settings().playerName).toBe('ada');

    const cfg2 = join(root, 'c2');
    mkdirSync(cfg2);
    symlinkSync('/dev/zero', join(cfg2, 'config.json'));
    warnings = [];
    timed(() => openStore({ cwd: cfg2, onWarning: (l) => warnings.push(l) }));
    expect(warnings[0]).toMatch(/unreadable \(it is a device\); reset to defaults/);

    const cfg3 = join(root, 'c3');
    mkdirSync(cfg3);
    writeFileSync(join(cfg3, 'config.json'), Buffer.alloc(5 * 1024 * 1024, 0x20));
    warnings = [];
    timed(() => openStore({ cwd: cfg3, onWarning: (l) => warnings.push(l) }));
    expect(warnings[0]).toMatch(/unreadable \(it is 5242880 bytes, more than 4194304\); reset/);
  });

  it('a config.json replaced by a FIFO while the program runs is reset at the next access', { tags: ['timing'] }, () => {
    const s = open();
    s.setSettings({ playerName: 'ada' });
    execFileSync('sh', ['-c', `rm "${s.path}" && mkfifo "${s.path}"`]);
    expect(timed(() => s.settings())).toEqual(DEFAULT_SETTINGS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/it is a FIFO/);
  });

  it('warnings about a corrupted file are printable even when the file is hostile', () => {
    mkdirSync(cfg, { recursive: true });
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ settings: {}, progress: { levels: { '\u001b]0;pwned\u0007\u202e': {} } } }));
    open();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/was not valid .*reset to defaults/);
    expect(warnings[0]).not.toMatch(UNSAFE);
  });

  it('garbage of every kind in config.json: reported once, reset, saves/ untouched (property)', () => {
    saveSolution(sol(), saves);
    const before = tree(saves);
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ settings: v, progress: v })),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    fc.assert(fc.property(garbage, (g) => {
      const c = mkdtempSync(join(root, 'cfg-'));
      writeFileSync(join(c, 'config.json'), g, 'latin1');
      const w: string[] = [];
      const s = openStore({ cwd: c, onWarning: (l) => w.push(l) });
      expect(w.length).toBeLessThanOrEqual(1);
      for (const l of w) expect(l).not.toMatch(UNSAFE);
      // whatever happened, the store works
      s.setSettings({ playerName: 'p' });
      expect(s.settings().playerName).toBe('p');
    }), { numRuns: 25 });
    expect(tree(saves)).toEqual(before);
  });

  it('text settings refuse control characters; a stranger\'s progress file cannot move saves/', () => {
    const s = open();
    expect(() => s.setSettings({ playerName: 'ada\u001b]0;x\u0007' })).toThrow(/playerName: must not contain control characters/);
    expect(() => s.setSettings({ savesDir: 'saves\u202e' })).toThrow(InputError);
    expect(s.settings()).toEqual(DEFAULT_SETTINGS);
    const file = (settings: object) => ({
      format: PROGRESS_FORMAT,
      settings: { ...DEFAULT_SETTINGS, ...settings },
      progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: { cost: 1 }, hints: 0, attempts: 1 } } },
    });
    expect(() => s.importData(file({ playerName: '\u009b2J' }), 'p.json')).toThrow(/p\.json: settings\.playerName: must not contain control characters/);
    const r = s.importData(file({ savesDir: '/etc', workshopDir: '../../elsewhere', playerName: 'bob', animation: 'off' }), 'p.json');
    expect(r).toMatchObject({ levels: 1, solved: 1, settings: true, foldersKept: true });
    expect(s.settings()).toMatchObject({ savesDir: 'saves', workshopDir: '', playerName: 'bob', animation: 'off' });
    expect(s.savesDir()).toBe(resolve('saves'));
  });

  it('a settings file written in a form conf cannot parse (BOM, UTF-16) is reset, not a crash', () => {
    mkdirSync(cfg, { recursive: true });
    writeFileSync(join(cfg, 'config.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"settings":{}}', 'utf16le')]));
    const s = open();
    expect(warnings).toHaveLength(1);
    expect(s.settings()).toEqual(DEFAULT_SETTINGS);
    expect(statSync(join(cfg, 'config.json.corrupt')).isFile()).toBe(true);
  });
});

describe('bounded and recoverable settings', () => {
  it('rule: a config.json with a BOM is read like solution files are, not reset', () => {
    mkdirSync(cfg, { recursive: true });
    writeFileSync(join(cfg, 'config.json'), '\ufeff' + JSON.stringify({ settings: { playerName: 'ada' }, progress: { levels: {} } }));
    const s = open();
    expect(warnings).toEqual([]);
    expect(s.settings().playerName).toBe('ada');
    expect(existsSync(join(cfg, 'config.json.corrupt'))).toBe(false);
  });

  it('rule: conf\'s config.json.tmp-* leftovers (a killed older pvlab) are swept at the next write, a fresh one (an older pvlab writing now) is not', () => {
    const s = open();
    s.setSettings({ playerName: 'a' });
    const left = join(cfg, 'config.json.tmp-1712345678abcdef');
    writeFileSync(left, '{"half":');
    const old = new Date(Date.now() - 120_000);
    utimesSync(left, old, old);
    const fresh = join(cfg, 'config.json.tmp-1712345678abcdf0');
    writeFileSync(fresh, '{"half":');
    s.setSettings({ playerName: 'b' });
    expect(readdirSync(cfg).filter((n) => n.includes('.tmp-'))).toEqual(['config.json.tmp-1712345678abcdf0']);
    expect(readdirSync(cfg).filter((n) => n.endsWith('.lock'))).toEqual([]);
  });

  it('rule: the 21st corruption overwrites no kept copy; the oldest of the 20 goes', () => {
    mkdirSync(cfg, { recursive: true });
    const path = join(cfg, 'config.json');
    for (let i = 1; i <= 21; i++) {
      writeFileSync(path, `garbage ${i}`);
      open();
    }
    const copies = readdirSync(cfg).filter((n) => n.startsWith('config.json.corrupt'));
    expect(copies).toHaveLength(20);
    const kept = copies.map((n) => readFileSync(join(cfg, n), 'utf8')).sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]));
    // the newest 20 are kept: garbage 2..21 (1 was the oldest)
    expect(kept).toEqual(Array.from({ length: 20 }, (_, i) => `garbage ${i + 2}`));
    expect(warnings.at(-1)).toMatch(/reset to defaults \(the old file is kept as .*config\.json\.corrupt/);
  });

  it('rule: a stranger\'s huge progress file cannot grow config.json past what the next start reads; exports import back', () => {
    const s = open();
    s.recordResult('swap-pressure', { passed: true, stars: 2, metrics: { cost: 5 } as never });
    // 85,000 empty entries (about 1 MB): nothing to merge, nothing stored
    const empty = Object.fromEntries(Array.from({ length: 85_000 }, (_, i) => [`l${i}`, {}]));
    const r1 = s.importData({ format: PROGRESS_FORMAT, progress: { levels: empty } }, 'empty.json', { knownLevels: ['swap-pressure'] });
    expect(r1.levels).toBe(0);
    // 5,000 real entries of levels this pvlab does not know: at most MAX_UNKNOWN_LEVELS kept
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`other-${i}`, { solved: true, stars: 3, best: { cost: 1 }, bestSolution: 'x'.repeat(200), attempts: 9 }]));
    const r2 = s.importData({ format: PROGRESS_FORMAT, progress: { levels: many } }, 'many.json', { knownLevels: ['swap-pressure'] });
    expect(r2.dropped).toBe(5000 - MAX_UNKNOWN_LEVELS);
    const size = statSync(s.path!).size;
    expect(size).toBeLessThan(PROGRESS_FILE_BYTES);
    // the next start reads it, with the player's own progress intact
    warnings = [];
    const t = open();
    expect(warnings).toEqual([]);
    expect(t.level('swap-pressure')?.solved).toBe(true);
    expect(Object.keys(t.progress().levels)).toHaveLength(1 + MAX_UNKNOWN_LEVELS);
    // and its export can be imported back (fits the import limit)
    const exported = JSON.stringify(t.exportData(), null, 2);
    expect(Buffer.byteLength(exported)).toBeLessThan(PROGRESS_FILE_BYTES);
    const u = openStore({ cwd: join(root, 'other'), onWarning: () => {} });
    expect(u.importData(JSON.parse(exported), 'back.json', { knownLevels: ['swap-pressure'] }).levels).toBe(1 + MAX_UNKNOWN_LEVELS);
  });
});

describe('level ids that are object keys', () => {
  // only the par metrics are read from a result
  const PASS = { passed: true, stars: 2 as const, metrics: { cost: 3, exports: 1, imports: 1, wastedExports: 0, hooks: 1, guestStall: 0, hostOverhead: 0 } as unknown as Metrics };

  it('rule: levels named constructor or prototype (a progress file, a custom level): stored, counted, no prototype pollution, no throw', () => {
    const s = open();
    const r = s.importData({ format: PROGRESS_FORMAT, progress: { levels: { constructor: { solved: true, stars: 3 }, prototype: { hints: 2 } } } }, 'p.json');
    expect(r).toMatchObject({ levels: 2, solved: 1 });
    expect(s.level('constructor')).toMatchObject({ solved: true, stars: 3 });
    expect(s.level('prototype')?.hints).toBe(2);
    expect(s.level('hasownproperty')).toBeUndefined();
    // a custom level of that id, played: recorded as any other
    const t = open();
    t.recordResult('constructor', PASS);
    t.recordHint('tostring', 1);
    expect(t.level('constructor')).toMatchObject({ solved: true, stars: 3, attempts: 1 });
    expect(Object.keys(t.progress().levels).sort()).toEqual(['constructor', 'prototype', 'tostring']);
    expect(({} as Record<string, unknown>).attempts).toBeUndefined();
    expect((Object as unknown as Record<string, unknown>).attempts).toBeUndefined();
    // and read back from the file by the next start
    expect(open().level('tostring')?.hints).toBe(1);
  });

  it('rule: a progress file with a level key __proto__ is refused like any key that is not a level id (it was dropped without a word)', () => {
    const s = open();
    const value: unknown = JSON.parse(`{"format":"${PROGRESS_FORMAT}","progress":{"levels":{"__proto__":{"solved":true},"swap-pressure":{"solved":true}}}}`);
    expect(() => s.importData(value, 'p.json')).toThrow(/p\.json: progress\.levels\.__proto__: Invalid key in record/);
    expect(s.level('swap-pressure')).toBeUndefined();
    expect(({} as Record<string, unknown>).solved).toBeUndefined();
  });

  it('rule: a stranger\'s file cannot fill the unknown-level slots for good: levels played here stay, later imports take the oldest imported slots', () => {
    const s = open();
    const stranger = Object.fromEntries(Array.from({ length: MAX_UNKNOWN_LEVELS }, (_, i) => [`stranger-${i}`, { solved: true, stars: 3 }]));
    expect(s.importData({ format: PROGRESS_FORMAT, progress: { levels: stranger } }, 'stranger.json', { knownLevels: ['swap-pressure'] }).levels).toBe(MAX_UNKNOWN_LEVELS);
    // the player's own custom level, played here
    s.recordResult('my-level', PASS);
    // the player's own export from another machine: its custom levels come in, in place of the stranger's oldest
    const mine = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`mine-${i}`, { solved: true, stars: 1 }]));
    const r = s.importData({ format: PROGRESS_FORMAT, progress: { levels: mine } }, 'mine.json', { knownLevels: ['swap-pressure'] });
    expect(r).toMatchObject({ levels: 5 });
    expect(r.dropped).toBeUndefined();
    const ids = Object.keys(open().progress().levels);
    expect(ids).toContain('my-level');
    for (let i = 0; i < 5; i++) expect(ids).toContain(`mine-${i}`);
    expect(ids).not.toContain('stranger-0');
    expect(ids).toHaveLength(MAX_UNKNOWN_LEVELS + 1);
    // a second stranger's file takes the first stranger's slots, never the played one
    const again = Object.fromEntries(Array.from({ length: MAX_UNKNOWN_LEVELS + 50 }, (_, i) => [`other-${i}`, { solved: true }]));
    const r2 = s.importData({ format: PROGRESS_FORMAT, progress: { levels: again } }, 'again.json', { knownLevels: ['swap-pressure'] });
    expect(r2.dropped).toBe(50); // 200 imported slots taken over; a file never pushes out its own levels, nor the one played here
    expect(s.level('my-level')?.solved).toBe(true);
  });
});

describe('names', () => {
  it('rule: a name that shows as nothing (only spaces or controls) is refused in one line, never saved as \'\'', () => {
    for (const name of ['   ', '\t \u3000', '\u001b[2J', ' \u202e ']) {
      expect(refusal(() => saveSolution(sol({ name }), saves))).toMatch(/^not saved: the name is empty or only spaces/);
    }
    expect(existsSync(saves) ? readdirSync(saves).filter((n) => n.endsWith('.json')) : []).toEqual([]);
  });
});

/** A code for a solution, or null when the solution cannot be shared (lone surrogates). */
function encodeShareSafe(s: Solution): string | null {
  try {
    return encodeShare(s);
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}
