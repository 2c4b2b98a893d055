import * as nodeFs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { InputError } from '../../src/io/errors.js';
import {
  BACKUP_DIR, SLUG_MAX, SaveExistsError, checkFit, listSaves, pathInside,
  saveSolution, savesForLevel, slugify, solutionFileName, solutionText,
} from '../../src/io/saves.js';
import { parseLevel, parseSolution, SolutionSchema, type Solution } from '../../src/io/schema.js';
import { loadSolutionFile } from '../../src/io/files.js';

const LEVEL = parseLevel(JSON.parse(readFileSync(new URL('../fixtures/board/levels/swap-pressure.json', import.meta.url), 'utf8')), 'fixture');

const sol = (over: Partial<Solution> = {}): Solution => SolutionSchema.parse({
  format: 'pvlab-solution@1', level: 'swap-pressure', name: 'unmap export', author: 'ada',
  hooks: [{ site: 'ptep_clear', when: 'live' }], ...over,
});

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'pvlab-saves-')), 'saves');
});

function filesUnder(d: string): string[] {
  if (!existsSync(d)) return [];
  return readdirSync(d, { recursive: true }).map(String).sort();
}

describe('slugs and file names', () => {
  it('derive a safe slug from any name', () => {
    expect(slugify('Unmap Export')).toBe('unmap-export');
    expect(slugify('  ../../etc/passwd  ')).toBe('etc-passwd');
    expect(slugify('/abs/path')).toBe('abs-path');
    expect(slugify('C:\\Windows\\System32')).toBe('c-windows-system32');
    expect(slugify('Grüße, Ærø & Ça')).toBe('grusse-aero-ca');
    expect(slugify('Łódź Œuvre')).toBe('lodz-oeuvre');
    expect(slugify('..')).toMatch(/^s-[0-9a-f]{8}$/);
    expect(slugify('.')).toMatch(/^s-[0-9a-f]{8}$/);
    expect(slugify('解決策')).toMatch(/^s-[0-9a-f]{8}$/);
    expect(slugify('解決策')).not.toBe(slugify('別の解'));
    for (const dev of ['CON', 'nul', 'Aux', 'com1', 'LPT9', 'prn']) expect(slugify(dev)).toBe(`${dev.toLowerCase()}-solution`);
    expect(slugify('x'.repeat(500))).toHaveLength(SLUG_MAX);
    expect(slugify(`${'a'.repeat(SLUG_MAX - 1)} b`)).toBe('a'.repeat(SLUG_MAX - 1)); // no trailing dash after the cut
  });

  it('never produce a path outside saves/ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), (name) => {
        const file = solutionFileName({ level: 'swap-pressure', name });
        expect(file).toMatch(/^swap-pressure--[a-z0-9]+(-[a-z0-9]+)*\.json$/);
        expect(file.length).toBeLessThanOrEqual(14 + 2 + SLUG_MAX + 5);
        const p = pathInside(dir, file);
        expect(dirname(p)).toBe(dir);
      }),
      { numRuns: 300 },
    );
  });

  it('refuse level ids and names that could escape', () => {
    expect(() => solutionFileName({ level: '../x', name: 'a' })).toThrow(InputError);
    expect(() => solutionFileName({ level: 'sandbox/../../x', name: 'a' })).toThrow(/cannot name a file/);
    expect(() => solutionFileName({ level: 'A', name: 'a' })).toThrow(InputError);
    for (const bad of ['../x.json', '/etc/passwd', 'a/b.json', 'a\\b.json', '.', '..', '', 'a\0b']) {
      expect(() => pathInside(dir, bad)).toThrow(/not a plain file name/);
    }
    expect(pathInside(dir, 'ok--x.json')).toBe(join(dir, 'ok--x.json'));
  });

  it('a sandbox solution gets a sandbox-- file', () => {
    expect(solutionFileName({ level: 'sandbox', name: 'My Try' })).toBe('sandbox--my-try.json');
  });
});

describe('saving', () => {
  it('creates the folder and writes canonical, diffable JSON', () => {
    const r = saveSolution(sol(), dir);
    expect(r).toEqual({ path: join(dir, 'swap-pressure--unmap-export.json') });
    const text = readFileSync(r.path, 'utf8');
    expect(text).toBe(solutionText(sol()));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(sol());
    expect(loadSolutionFile(r.path)).toStrictEqual(sol());
    expect(filesUnder(dir)).toEqual(['swap-pressure--unmap-export.json']); // no temp files left
  });

  it('keeps several solutions per level', () => {
    saveSolution(sol(), dir);
    saveSolution(sol({ name: 'writeback too', hooks: [{ site: 'ptep_clear', when: 'live' }, { site: 'writeback' }] }), dir);
    saveSolution(sol({ level: 'other-level', name: 'x' }), dir);
    expect(savesForLevel(dir, 'swap-pressure').map((e) => basename(e.file))).toEqual([
      'swap-pressure--unmap-export.json', 'swap-pressure--writeback-too.json',
    ]);
  });

  it('never overwrites silently: the same name needs overwrite', () => {
    const first = saveSolution(sol(), dir);
    const before = readFileSync(first.path, 'utf8');
    const again = () => saveSolution(sol({ name: 'Unmap  EXPORT', hooks: [] }), dir);
    expect(again).toThrow(SaveExistsError);
    expect(again).toThrow(/already exists; use --force/);
    expect(readFileSync(first.path, 'utf8')).toBe(before);
  });

  it('keeps the old file as a timestamped backup on overwrite', () => {
    const first = saveSolution(sol(), dir);
    const oldText = readFileSync(first.path, 'utf8');
    const now = () => new Date('2025-03-04T05:06:07.089Z');
    const r = saveSolution(sol({ hooks: [] }), dir, { overwrite: true, now });
    expect(r.path).toBe(first.path);
    expect(r.backup).toBe(join(dir, BACKUP_DIR, 'swap-pressure--unmap-export.20250304T050607089Z.json'));
    expect(readFileSync(r.backup!, 'utf8')).toBe(oldText);
    expect(loadSolutionFile(r.path).hooks).toEqual([]);
    // a second overwrite in the same millisecond keeps both backups
    const r2 = saveSolution(sol({ hooks: [{ site: 'writeback' }] }), dir, { overwrite: true, now });
    expect(r2.backup).toBe(join(dir, BACKUP_DIR, 'swap-pressure--unmap-export.20250304T050607089Z-1.json'));
    expect(loadSolutionFile(r2.backup!).hooks).toEqual([]);
    // backups are not listed as saves
    expect(listSaves(dir).map((e) => basename(e.file))).toEqual(['swap-pressure--unmap-export.json']);
  });

  it('does not replace the file when its backup cannot be written', () => {
    const first = saveSolution(sol(), dir);
    writeFileSync(join(dir, BACKUP_DIR), 'a file where the backup folder should be');
    expect(() => saveSolution(sol({ hooks: [] }), dir, { overwrite: true })).toThrow(/not replaced: its backup could not be written/);
    expect(loadSolutionFile(first.path)).toStrictEqual(sol());
  });

  it('validates what it saves', () => {
    expect(() => saveSolution({ ...sol(), name: '' }, dir)).toThrow(/not saved: name/);
    expect(() => saveSolution({ ...sol(), level: '../../etc' }, dir)).toThrow(InputError);
    expect(filesUnder(dir)).toEqual([]);
  });
});

describe('atomic writes', () => {
  const failingWrite = (after: number, code = 'ENOSPC') => {
    let written = 0;
    return {
      writeSync: (fd: number, b: Uint8Array, off: number, len: number) => {
        if (written >= after) throw Object.assign(new Error('disk full'), { code });
        const n = Math.min(len, after - written, 7); // short writes too
        written += n;
        return nodeFs.writeSync(fd, b, off, n);
      },
    };
  };

  it('a write that fails midway leaves the old file intact and no temp file', () => {
    const first = saveSolution(sol(), dir);
    const oldText = readFileSync(first.path, 'utf8');
    expect(() => saveSolution(sol({ hooks: [] }), dir, { overwrite: true, fs: failingWrite(40) }))
      .toThrow(/not saved: no space left on the device \(the old file is unchanged\)/);
    expect(readFileSync(first.path, 'utf8')).toBe(oldText);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a failing fsync or rename also leaves the old file intact', () => {
    const first = saveSolution(sol(), dir);
    const oldText = readFileSync(first.path, 'utf8');
    const boom = (code: string) => () => { throw Object.assign(new Error(code), { code }); };
    expect(() => saveSolution(sol({ hooks: [] }), dir, { overwrite: true, fs: { fsyncSync: boom('EIO') } })).toThrow(/input\/output error/);
    expect(() => saveSolution(sol({ hooks: [] }), dir, { overwrite: true, fs: { renameSync: boom('EACCES') } })).toThrow(/permission denied/);
    expect(readFileSync(first.path, 'utf8')).toBe(oldText);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a new file that fails midway leaves nothing behind', () => {
    expect(() => saveSolution(sol(), dir, { fs: failingWrite(10) })).toThrow(/not saved/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never clobbers a file created by someone else between the check and the write', () => {
    const target = join(dir, 'swap-pressure--unmap-export.json');
    mkdirSync(dir, { recursive: true });
    const linkSync = (a: string, b: string) => {
      writeFileSync(b, 'theirs'); // a concurrent writer wins the race
      nodeFs.linkSync(a, b);
    };
    expect(() => saveSolution(sol(), dir, { fs: { linkSync } })).toThrow(SaveExistsError);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['swap-pressure--unmap-export.json']);
  });

  it('falls back to check + rename where hard links are not supported', () => {
    const p = join(dir, 'x.json');
    mkdirSync(dir, { recursive: true });
    const noLink = () => { throw Object.assign(new Error('nope'), { code: 'EPERM' }); };
    writeFileAtomic(p, 'one', { overwrite: false, fs: { linkSync: noLink } });
    expect(readFileSync(p, 'utf8')).toBe('one');
    expect(() => writeFileAtomic(p, 'two', { overwrite: false, fs: { linkSync: noLink } })).toThrow(/already exists/);
    expect(readFileSync(p, 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});

describe('reading saves back', () => {
  it('lists valid and invalid files with a reason, skipping dot-files and folders', () => {
    saveSolution(sol(), dir);
    writeFileSync(join(dir, 'broken.json'), '{"format":');
    writeFileSync(join(dir, '.hidden.json'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'sub.json'));
    const list = listSaves(dir);
    expect(list.map((e) => basename(e.file))).toEqual(['broken.json', 'swap-pressure--unmap-export.json']);
    expect(list[0]!.error).toMatch(/broken\.json: not valid JSON/);
    expect(list[1]!.solution).toStrictEqual(sol());
    expect(listSaves(join(dir, 'missing'))).toEqual([]);
  });

  it('explains a solution whose level changed instead of failing obscurely', () => {
    expect(checkFit(sol(), [LEVEL])).toEqual({ ok: true, level: LEVEL, problems: [] });
    const gone = checkFit(sol({ level: 'renamed-level' }), [LEVEL]);
    expect(gone.ok).toBe(false);
    expect(gone.problems).toEqual([`level 'renamed-level' is not in the campaign (renamed or removed?)`]);
    const moved = checkFit(sol({ hooks: [{ site: 'gup_fast', when: 'pin' }, { site: 'ptep_clear' }, { site: 'splice' }] }), [LEVEL]);
    expect(moved.ok).toBe(false);
    expect(moved.level).toBe(LEVEL);
    expect(moved.problems).toHaveLength(2);
    expect(moved.problems[0]).toMatch(/level 'swap-pressure' does not offer site 'gup_fast' \(it offers reclaim_scan, ptep_clear/);
    expect(moved.problems[1]).toMatch(/does not offer site 'splice'/);
    expect(checkFit(sol({ level: 'sandbox', hooks: [{ site: 'splice' }] }), [LEVEL]).ok).toBe(true);
  });

  it('explains sites and formats this pvlab does not know', () => {
    const base = { format: 'pvlab-solution@1', level: 'swap-pressure', name: 'x', hooks: [] as unknown[] };
    expect(() => parseSolution({ ...base, hooks: [{ site: 'arch_make_page_accessible' }, { site: 'writeback' }] }, 'f.json'))
      .toThrow(/^f\.json: hook site 'arch_make_page_accessible' is unknown to this pvlab \(renamed or removed\?\)/);
    expect(() => parseSolution({ ...base, format: 'pvlab-solution@2' }, 'f.json'))
      .toThrow(/format 'pvlab-solution@2' is not one this pvlab reads/);
    expect(() => parseSolution({ ...base, hooks: [{ site: 'writeback', when: 'pin' }] }, 'f.json'))
      .toThrow(/f\.json: hooks\[0\]\.when: site 'writeback' takes no 'when' condition/);
  });
});
