// The hand-made hostile corpus (test/fixtures/hostile/, written by make-fixtures.mjs)
// through the command line as a player would meet it (in process through main(); the
// built binary `node dist/cli.js` for what could hang or needs a process of its own):
// refused files exit 2 with one line on stderr and no stack trace; accepted ones are
// printed with their control sequences stripped. No raw ESC, C1 or bidi control byte ever reaches
// stdout or stderr. Plus what cannot live in git: FIFOs, /dev/zero links, folders named
// *.json, control characters in file names, files over the limits, no terminal.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, expectRefused as refused, pvlab as inProcess, spawnPvlab, type CliOut } from '../helpers/cli.js';
import { unsafeBytes } from './helpers.js';

const H = join(FIXTURES, 'hostile');
const LEVELS = join(FIXTURES, 'board/levels');

type Out = CliOut;

let work: string;
let cfg: string;

interface Where { levelsDir?: string; configDir?: string }

/** pvlab in process (most cases): the same contract as the binary, without a process start. */
function pvlab(args: string[], o: Where = {}): Promise<Out> {
  return inProcess(args, { cwd: work, levelsDir: o.levelsDir ?? LEVELS, configDir: o.configDir ?? cfg });
}

/** The built binary: for what could hang a process (FIFOs, devices, /proc) or needs its own stdin. */
function spawned(args: string[], o: Where & { stdin?: 'pipe' | 'ignore'; timeoutMs?: number } = {}): Promise<Out> {
  return spawnPvlab(args, { cwd: work, levelsDir: o.levelsDir ?? LEVELS, configDir: o.configDir ?? cfg, ...(o.stdin ? { stdin: o.stdin } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
}

/** Run jobs with at most `n` at a time: 1 for in-process calls (they share the process's streams), up to 3 spawned. */
async function pool<T>(jobs: (() => Promise<T>)[], n = 1): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

/** Nothing a terminal acts on, in either stream, ever. */
function expectPrintable(o: Out, what: string): void {
  expect(unsafeBytes(o.stdout), `${what}: stdout`).toBeNull();
  expect(unsafeBytes(o.stderr), `${what}: stderr`).toBeNull();
}

/** Refused: printable, and the bad-input contract (exit 2, one line naming the problem). */
function expectRefused(o: Out, re: RegExp, what: string): void {
  expectPrintable(o, what);
  refused(o, re, what);
}

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const code = (f: string) => readFileSync(join(H, 'codes', f), 'utf8').trim();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pvlab-corpus-'));
  cfg = join(work, '.config');
});

describe('hostile level files through `pvlab run`', () => {
  /** Each refused level and the reason its one line must give. */
  const REFUSED: Record<string, RegExp> = {
    'billion-pages.json': /guest\.pages: must be at most 4194304$/,
    'huge-number.json': /guest\.pages: must be at most 4194304$/,
    'overflow-number.json': /not valid JSON \(line 10, column 14: number 1e400 is too large\)/,
    'nan.json': /not valid JSON \(line \d+, column \d+: NaN is not a JSON value\)/,
    'negative-zero.json': /chapter: must be at least 1$/,
    'many-workloads.json': /workloads: has too many items \(at most 9\)/,
    'long-briefing.json': /briefing: is too long \(at most 8000 characters\)/,
    'too-much-work.json': /too much work: about .* page events to verify all seeds/,
    'deep-nesting.json': /nested more than 64 levels deep/,
    'duplicate-keys.json': /duplicate key 'id' \(first at line 1, column 2\)/,
    'unknown-field-escape.json': /\(top level\): unknown field 'evil'$/,
    'type-swap.json': /guest: expected object, received string/,
    'trailing-comma.json': /trailing commas are not allowed/,
    'comments.json': /comments are not allowed/,
    'utf16-no-bom.json': /looks like UTF-16 text without a byte-order mark/,
    'utf32-bom.json': /is UTF-32 text; save it as UTF-8/,
    'invalid-utf8.json': /is not UTF-8 text \(invalid byte 0xc3 at offset 8\)/,
    'binary-garbage.json': /binary data, not a JSON text file/,
    'raw-escape-in-string.json': /control character U\+001B inside a string/,
    'empty.json': /the text is empty/,
    'solution-as-level.json': /is a solution file, not a level/,
  };

  it('every refused file: exit 2, one line naming the file and the reason', async () => {
    const names = readdirSync(join(H, 'levels')).filter((f) => !['escapes-everywhere.json', 'utf16le-bom.json', 'utf8-bom.json'].includes(f));
    expect(names.sort()).toEqual(Object.keys(REFUSED).sort()); // every fixture has an expectation
    const outs = await pool(names.map((f) => () => pvlab(['run', join(H, 'levels', f), '--seed', '1'])));
    names.forEach((f, i) => {
      expectRefused(outs[i]!, REFUSED[f]!, f);
      expect(outs[i]!.stderr).toContain(`levels/${f}: `);
    });
  });

  it('a level with escapes in every text field runs, printed clean; UTF-16 and BOM files load', async () => {
    const [esc, escJson, u16, bom] = await pool([
      () => pvlab(['run', join(H, 'levels/escapes-everywhere.json'), '--seed', '1']),
      () => pvlab(['run', join(H, 'levels/escapes-everywhere.json'), '--seed', '1', '--json']),
      () => pvlab(['run', join(H, 'levels/utf16le-bom.json'), '--seed', '1']),
      () => pvlab(['run', join(H, 'levels/utf8-bom.json'), '--seed', '1']),
    ]);
    for (const o of [esc!, escJson!, u16!, bom!]) {
      expectPrintable(o, 'accepted level');
      expect([0, 1]).toContain(o.code);
    }
    expect(esc!.stdout.split('\n')[0]).toMatch(/^hostile-level: Title with OSC {2}\(s390-pv/);
    expect(JSON.parse(escJson!.stdout).level).toBe('hostile-level');
    expect(u16!.stdout).toMatch(/^utf16-level: Hostile fixture/);
    expect(bom!.stdout).toMatch(/^bom-level: Hostile fixture/);
  });

  it('`levels` and `levels --json` of a campaign with escapes: printable, the JSON keeps the exact text', async () => {
    const dir = join(work, 'campaign');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.json'), readFileSync(join(H, 'levels/escapes-everywhere.json')));
    const [text, json] = await pool([() => pvlab(['levels'], { levelsDir: dir }), () => pvlab(['levels', '--json'], { levelsDir: dir })]);
    expectPrintable(text!, 'levels');
    expectPrintable(json!, 'levels --json');
    expect(text!.stdout).toMatch(/^Chapter 1: Chapter ST\n.*hostile-level\s+Title with OSC/);
    const title = JSON.parse(json!.stdout).levels[0].title as string;
    expect(title).toBe(JSON.parse(readFileSync(join(H, 'levels/escapes-everywhere.json'), 'utf8')).title);
    expect(title).toContain('\u001b]0;owned title\u0007');
  });
});

describe('hostile solution files through `pvlab share`, `run --solution` and `board`', () => {
  const REFUSED: Record<string, RegExp> = {
    'traversal-level.solution.json': /level: must be lowercase letters, digits and dashes/,
    'absolute-level.solution.json': /level: must be lowercase letters, digits and dashes/,
    'nul-level.solution.json': /level: must be lowercase letters, digits and dashes/,
    'unknown-site-escape.solution.json': /hook site 'kmap\\u001b\[2J' is unknown to this pvlab/,
    'too-many-hooks.solution.json': /hooks: has too many items \(at most 11\)/,
  };
  const SHARED = ['escapes-everywhere', 'traversal-name', 'absolute-name', 'device-name', 'windows-traversal'].map((n) => `${n}.solution.json`);

  it('refused ones: exit 2, one line; the others share and import into saves/ only, under safe names', async () => {
    const all = readdirSync(join(H, 'solutions')).sort();
    expect(all).toEqual([...Object.keys(REFUSED), ...SHARED].sort());
    const refused = await pool(Object.keys(REFUSED).map((f) => () => pvlab(['share', join(H, 'solutions', f)])));
    Object.keys(REFUSED).forEach((f, i) => expectRefused(refused[i]!, REFUSED[f]!, f));

    const shared = await pool(SHARED.map((f) => () => pvlab(['share', join(H, 'solutions', f)])));
    const codes = shared.map((o, i) => {
      expectPrintable(o, SHARED[i]!);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toMatch(/^pvlab1\.[A-Za-z0-9_-]+\n$/);
      return o.stdout.trim();
    });
    const dir = join(work, 'share-saves');
    const imported = await pool(codes.map((c) => () => pvlab(['import', c, '--dir', dir])), 1);
    const files = imported.map((o, i) => {
      expectPrintable(o, `import ${SHARED[i]}`);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stderr).toMatch(/^pvlab: saved '.*' by (mallory|author) for level swap-pressure\n$/);
      return relative(dir, join(work, o.stdout.trim()));
    });
    expect(files).toEqual([
      'swap-pressure--name-hiddenevilx.json', 'swap-pressure--etc-passwd.json', 'swap-pressure--etc-shadow.json',
      'swap-pressure--con-solution.json', 'swap-pressure--windows-system32-nul.json',
    ]);
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    // the escapes survive the round trip in the file (it is the player's data), not on screen
    expect(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')).name).toContain('\u001b]0;pwned\u0007');
  });

  it('run and board show hostile names and reasons printable', async () => {
    const [run, board, boardJson] = await pool([
      () => pvlab(['run', 'swap-pressure', '--solution', join(H, 'solutions/escapes-everywhere.solution.json'), '--seed', '1']),
      () => pvlab(['board', join(H, 'solutions')]),
      () => pvlab(['board', join(H, 'solutions'), '--json']),
    ]);
    for (const o of [run!, board!, boardJson!]) expectPrintable(o, 'run/board');
    expect(run!.code).toBe(0);
    expect(board!.code).toBe(0);
    expect(board!.stdout).toMatch(/=1 {3}[ AL]{2} author +name hiddenevilx +pass/);
    // the tie is listed by file path (same merit, same submission time); the line wraps
    const tie = /tie at rank 1: (.*?) \(equal on every ranking key\)/.exec(board!.stdout.replace(/\s+/g, ' '))![1]!;
    expect(tie).toContain("author 'name hiddenevilx'");
    expect(tie).toContain("mallory '../../../../etc/passwd'");
    // (prose lines wrap at the width: the reason may continue on the next line)
    expect(board!.stdout).toMatch(/unknown-site-escape\.solution\.json: hook\s+site\s+'kmap\\u001b\[2J'\s+is\s+unknown/);
    const j = JSON.parse(boardJson!.stdout);
    expect(j.invalid.length).toBe(Object.keys(REFUSED).length);
  });
});

describe('hostile share codes through `pvlab import`', () => {
  const REFUSED: Record<string, RegExp> = {
    'decompression-bomb.code': /share code expands to more than 16384 bytes; refused/,
    'deflate-garbage.code': /its compressed data does not decompress/,
    'hostile-level-id.code': /invalid solution: level: must be lowercase letters, digits and dashes/,
    'absolute-level-id.code': /invalid solution: level: must be lowercase letters, digits and dashes/,
    'huge-string-length.code': /name is 2097151 bytes, more than 240/,
    'escape-inside.code': /damaged \(character U\+001B at position 16 cannot be in a code\)/,
    'c1-inside.code': /damaged \(character U\+009B at position 16/,
    'checksum-mismatch.code': /checksum mismatch/,
    'truncated.code': /truncated/,
    'newer-version.code': /version 9 comes from a newer pvlab/,
    'not-a-code.code': /not a pvlab share code/,
  };
  const ACCEPTED: Record<string, string> = {
    'valid.code': 'swap-pressure--fixture.json',
    'escapes-in-fields.code': 'swap-pressure--n-hiddenevilx.json',
    'traversal-name.code': 'swap-pressure--tmp-pvlab-escaped.json',
    'device-name.code': 'swap-pressure--nul-solution.json',
  };

  it('refused codes: exit 2 and one line, fast; accepted ones land in saves/ under safe names', { tags: ['timing'] }, async () => {
    expect(readdirSync(join(H, 'codes')).sort()).toEqual([...Object.keys(REFUSED), ...Object.keys(ACCEPTED)].sort());
    const dir = join(work, 'code-saves');
    const t0 = performance.now();
    const refused = await pool(Object.keys(REFUSED).map((f) => () => pvlab(['import', code(f), '--dir', dir])));
    Object.keys(REFUSED).forEach((f, i) => expectRefused(refused[i]!, REFUSED[f]!, f));
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(existsSync(dir)).toBe(false); // nothing written for a refused code

    const accepted = await pool(Object.keys(ACCEPTED).map((f) => () => pvlab(['import', code(f), '--dir', dir])), 1);
    Object.keys(ACCEPTED).forEach((f, i) => {
      const o = accepted[i]!;
      expectPrintable(o, f);
      expect(o.code, o.stderr).toBe(0);
      expect(relative(dir, join(work, o.stdout.trim()))).toBe(ACCEPTED[f]);
    });
    expect(readdirSync(dir).sort()).toEqual(Object.values(ACCEPTED).sort());
    expect(existsSync('/tmp/pvlab-escaped.json')).toBe(false);
  });
});

describe('what git cannot hold', () => {
  it('FIFOs, /dev/zero links, folders named *.json, escapes in file names, files over the limit', { tags: ['timing'] }, async () => {
    const d = join(work, 'odd');
    mkdirSync(d, { recursive: true });
    execFileSync('mkfifo', [join(d, 'fifo.json')]);
    symlinkSync('/dev/zero', join(d, 'zero.json'));
    mkdirSync(join(d, 'folder.json'));
    const evilName = join(d, 'x\u001b]0;pwned\u0007\u202eevil.json');
    writeFileSync(evilName, '{ nope');
    const huge = JSON.stringify({ id: 'x', workloads: Array.from({ length: 1_000_000 }, () => 0) });
    writeFileSync(join(d, 'million-workloads.json'), huge);
    writeFileSync(join(d, 'huge-string.json'), JSON.stringify({ id: 'x', briefing: 'x'.repeat(300_000) }));
    const cases: [string[], RegExp][] = [
      [['run', join(d, 'fifo.json')], /fifo\.json: is a FIFO \(named pipe\), not a regular file$/],
      [['run', join(d, 'zero.json')], /zero\.json: is a character device, not a regular file$/],
      [['run', 'swap-pressure', '--solution', join(d, 'zero.json')], /is a character device/],
      [['share', join(d, 'fifo.json')], /is a FIFO/],
      [['board', join(d, 'zero.json')], /is a character device/],
      [['progress', 'import', join(d, 'zero.json')], /is a character device/],
      [['run', join(d, 'folder.json')], /folder\.json: is a folder$/],
      // the OSC in the name is removed, the bidi override too: the name as a terminal would show it, harmless
      [['run', evilName], /\/odd\/xevil\.json: not valid JSON \(line 1, column 3: unexpected 'n' where a key in double quotes should be\)$/],
      [['run', join(d, 'million-workloads.json')], /million-workloads\.json: file is \d+ bytes, more than the limit of 262144$/],
      [['run', join(d, 'huge-string.json')], /file is \d+ bytes, more than the limit/],
    ];
    const t0 = performance.now();
    // a process of its own for what could hang one or fill its memory if a check went
    // missing (a FIFO, /dev/zero); the folder, the name and the sizes are plain files
    const risky = (a: string[]) => a.some((x) => /(fifo|zero)\.json$/.test(x));
    const outs = await Promise.all([
      pool(cases.map(([a]) => () => (risky(a) ? spawned(a, { timeoutMs: 10_000 }) : Promise.resolve(null))), 3),
      pool(cases.map(([a]) => () => (risky(a) ? Promise.resolve(null) : pvlab(a)))),
    ]).then(([x, y]) => x.map((o, i) => (o ?? y[i])!));
    cases.forEach(([a, re], i) => {
      const o = outs[i]!;
      if (a[0] === 'board') {
        // a board lists a bad explicit file among the invalid ones and goes on
        expectPrintable(o, a.join(' '));
        expect(o.code).toBe(0);
        expect(o.stdout.trimEnd()).toMatch(re);
      } else {
        expectRefused(o, re, a.join(' '));
      }
    });
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('saves and config folders where mkdir can never succeed (/proc): one line, no hang', { tags: ['timing'] }, async () => {
    // Node 20's recursive mkdirSync loops forever there; pvlab creates folders itself
    const [saves, config] = await pool([
      () => spawned(['import', code('valid.code'), '--dir', '/proc/self/pvlab-saves/x'], { timeoutMs: 10_000 }),
      () => spawned(['levels'], { configDir: '/proc/self/pvlab-config', timeoutMs: 10_000 }),
    ], 2);
    expectRefused(saves!, /cannot create the saves folder \/proc\/self\/pvlab-saves\/x: no such file or folder$/, 'saves in /proc');
    expectPrintable(config!, 'config in /proc');
    expect(config!.code).toBe(0);
    expect(config!.stdout).toContain('swap-pressure');
    expect(config!.stderr).toBe('pvlab: settings cannot be stored in /proc/self/pvlab-config (no such file or folder); they are kept in memory for this session only\n');
  });

  it('no terminal: `pvlab` and `pvlab play` say so in one line and exit 2', async () => {
    const [a, b] = await pool([() => spawned([], { stdin: 'pipe' }), () => spawned(['play', 'swap-pressure'], { stdin: 'pipe' })], 2);
    for (const o of [a!, b!]) {
      expectRefused(o, /the game needs a terminal; use 'pvlab run' for headless runs$/, 'no tty');
    }
  });
});
