// Reading untrusted files: never block on a FIFO, never read an endless device, never
// read past the limit whatever the size claims, and name every odd encoding.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeText, loadLevelFile, loadSolutionFile, readBoundedFile, readJsonFile, resolveLevel } from '../../src/io/files.js';
import { LIMITS } from '../../src/io/schema.js';
import { refusal } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pvlab-hostile-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `fn` must finish quickly: the bounded reader never waits or reads without end. */
function quick(fn: () => unknown, ms = 1000): string {
  const t0 = performance.now();
  const msg = refusal(fn);
  expect(performance.now() - t0).toBeLessThan(ms);
  return msg;
}

const LEVEL = {
  id: 'enc', title: 'Encodings', chapter: 1, briefing: 'b', arch: 's390-pv', kernel: '6.5', device: 'ccw',
  guest: { pages: 8 }, workloads: [{ kind: 'swap', ops: 5 }], sites: ['writeback'], seeds: { visible: [1], hidden: 0 },
};

describe('bounded reads', { tags: ['timing'] }, () => {
  it('refuses /dev/zero, also behind a symlink named like a level, without reading it', () => {
    expect(quick(() => readJsonFile('/dev/zero', 1024))).toBe('/dev/zero: is a character device, not a regular file');
    const link = join(dir, 'level.json');
    symlinkSync('/dev/zero', link);
    expect(quick(() => loadLevelFile(link))).toMatch(/level\.json: is a character device/);
    symlinkSync('/dev/urandom', join(dir, 'sol.json'));
    expect(quick(() => loadSolutionFile(join(dir, 'sol.json')))).toMatch(/is a character device/);
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    expect(quick(() => loadLevelFile(fifo))).toMatch(/pipe\.json: is a FIFO \(named pipe\), not a regular file/);
    expect(quick(() => resolveLevel(fifo))).toMatch(/is a FIFO/);
  });

  it('refuses a folder named *.json, a missing file and a dangling or looping link', () => {
    mkdirSync(join(dir, 'folder.json'));
    expect(quick(() => loadLevelFile(join(dir, 'folder.json')))).toMatch(/folder\.json: is a folder/);
    expect(quick(() => loadLevelFile(join(dir, 'missing.json')))).toMatch(/missing\.json: no such file/);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.json'));
    expect(quick(() => loadLevelFile(join(dir, 'dangling.json')))).toMatch(/no such file/);
    symlinkSync(join(dir, 'loop-b.json'), join(dir, 'loop-a.json'));
    symlinkSync(join(dir, 'loop-a.json'), join(dir, 'loop-b.json'));
    expect(quick(() => loadLevelFile(join(dir, 'loop-a.json')))).toMatch(/too many levels of symbolic links/);
    expect(quick(() => loadLevelFile(join(dir, 'folder.json', 'x.json')))).toMatch(/no such file/);
  });

  it('refuses files over the limit by their size, and files whose size lies by reading', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(LIMITS.levelFileBytes + 1));
    expect(quick(() => loadLevelFile(big))).toMatch(`file is ${LIMITS.levelFileBytes + 1} bytes, more than the limit of ${LIMITS.levelFileBytes}`);
    writeFileSync(big, ' '.repeat(LIMITS.levelFileBytes));
    expect(refusal(() => loadLevelFile(big))).toMatch(/the text is empty/); // at the limit: read, then judged
    // /proc files claim size 0 and have content: the read itself stops at the limit
    expect(quick(() => readBoundedFile('/proc/self/status', 64))).toMatch(/status: file is more than the limit of 64 bytes/);
    expect(readBoundedFile('/proc/self/status', 1 << 20).toString()).toMatch(/^Name:/);
  });

  it('reads a file exactly, whatever its size up to the limit', () => {
    for (const n of [0, 1, 4095, 4096, 4097, 100_000]) {
      const f = join(dir, `f${n}`);
      const data = Buffer.alloc(n, 0x61);
      writeFileSync(f, data);
      expect(readBoundedFile(f, 100_000).equals(data)).toBe(true);
    }
  });
});

describe('encodings', () => {
  const text = JSON.stringify(LEVEL);
  const file = (name: string, data: Buffer | string) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  it('reads UTF-8 with or without a BOM, and UTF-16 with a BOM (Windows editors, PowerShell)', () => {
    expect(loadLevelFile(file('plain.json', text)).id).toBe('enc');
    expect(loadLevelFile(file('bom8.json', `\ufeff${text}`)).id).toBe('enc');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(loadLevelFile(file('le.json', le)).id).toBe('enc');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    expect(loadLevelFile(file('be.json', be)).id).toBe('enc');
    const title = { ...LEVEL, title: 'Grüße 🐧 ü' };
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(title), 'utf16le')]);
    expect(loadLevelFile(file('u16.json', u16)).title).toBe('Grüße 🐧 ü');
  });

  it('names UTF-16 without a BOM, UTF-32, binary data and invalid UTF-8, with the offset', () => {
    expect(refusal(() => loadLevelFile(file('nobom.json', Buffer.from(text, 'utf16le')))))
      .toMatch(/nobom\.json: looks like UTF-16 text without a byte-order mark; save it as UTF-8/);
    expect(refusal(() => loadLevelFile(file('u32.json', Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0])))))
      .toMatch(/is UTF-32 text; save it as UTF-8/);
    expect(refusal(() => loadLevelFile(file('bin.json', Buffer.from([0x7b, 0x22, 0x00, 0x01, 0x02])))))
      .toMatch(/contains a NUL byte at offset 2: binary data, not a JSON text file/);
    expect(refusal(() => loadLevelFile(file('latin1.json', Buffer.from('{"title": "Gr\xfc\xdfe"}', 'latin1')))))
      .toMatch(/is not UTF-8 text \(invalid byte 0xfc at offset 13\)/);
    expect(refusal(() => loadLevelFile(file('odd16.json', Buffer.from([0xff, 0xfe, 0x7b])))))
      .toMatch(/UTF-16 text with an odd number of bytes/);
    expect(refusal(() => loadLevelFile(file('lone16.json', Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])))))
      .toMatch(/is not valid UTF-16 text/);
    // overlong and surrogate encodings are not UTF-8 either
    expect(() => decodeText(Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 's')).toThrow(/invalid byte 0xc0 at offset 1/);
    expect(() => decodeText(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 's')).toThrow(/invalid byte 0xed at offset 1/);
    expect(() => decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x22, 0xff]), 's')).toThrow(/invalid byte 0xff at offset 4/);
  });

  it('a solution given as a level and a level given as a solution are named as such', () => {
    const sol = file('sol.json', JSON.stringify({ format: 'pvlab-solution@1', level: 'enc', name: 'n', hooks: [] }));
    expect(refusal(() => loadLevelFile(sol))).toMatch(/sol\.json: is a solution file, not a level \(give it with --solution\)/);
    expect(refusal(() => loadSolutionFile(file('lv.json', text)))).toMatch(/lv\.json: is a level file, not a solution/);
  });
});
