// The command line end to end, in process through main(): share, import, board,
// progress, levels — exit codes and one-line errors (test/helpers/cli.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, expectRefused, pvlab as run, type CliOut } from '../helpers/cli.js';

const FIX = join(FIXTURES, 'board');

let work: string;
let cfg: string;

function pvlab(args: string[]): Promise<CliOut> {
  return run(args, { cwd: work, levelsDir: join(FIX, 'levels'), configDir: cfg });
}

/** A failure: exit 2 and exactly one line on stderr, no stack trace. */
const expectOneLineError = expectRefused;

const ADA = join(FIX, 'workshop/ada/swap-pressure--unmap.json');

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'pvlab-cli-'));
  cfg = join(work, '.config');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('pvlab share / import', () => {
  it('share prints one line that import turns back into the same file in ./saves', async () => {
    const s = await pvlab(['share', ADA]);
    expect(s.code).toBe(0);
    expect(s.stderr).toBe('');
    expect(s.stdout).toMatch(/^pvlab1\.[A-Za-z0-9_-]+\n$/);
    const code = s.stdout.trim();
    expect(code.length).toBeLessThan(70);

    const i = await pvlab(['import', code]);
    expect(i.code).toBe(0);
    expect(i.stdout).toBe(`${join('saves', 'swap-pressure--unmap.json')}\n`);
    expect(i.stderr).toBe("pvlab: saved 'unmap' by ada for level swap-pressure\n");
    const saved = JSON.parse(readFileSync(join(work, 'saves/swap-pressure--unmap.json'), 'utf8'));
    expect(saved).toEqual(JSON.parse(readFileSync(ADA, 'utf8')));
    // and back: the saved file shares to the very same code
    expect((await pvlab(['share', join(work, 'saves/swap-pressure--unmap.json')])).stdout.trim()).toBe(code);
  });

  it("import credits the sharer: the importer's own file (author) via the sharer; the board shows it without an A mark", async () => {
    const code = (await pvlab(['share', ADA])).stdout.trim();
    // bob joined a workshop: his name (and his saves folder) are in the settings
    const ws = join(work, 'ws');
    expect((await pvlab(['workshop', 'init', ws])).code).toBe(0);
    expect((await pvlab(['workshop', 'join', ws, '--name', 'bob'])).code).toBe(0);
    const i = await pvlab(['import', code]);
    expect(i.code).toBe(0);
    expect(i.stderr).toBe("pvlab: saved 'unmap' (shared by ada) for level swap-pressure\n");
    const file = join(work, i.stdout.trim());
    expect(file).toBe(join(ws, 'players', 'bob', 'saves', 'swap-pressure--unmap.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ author: 'bob', via: 'ada' });
    const b = await pvlab(['board', ws, '--reveal', '--json']);
    expect(b.code).toBe(0);
    const entry = JSON.parse(b.stdout).levels[0].entries[0];
    expect(entry).toMatchObject({ player: 'bob', author: 'bob', via: 'ada', authorDiffers: false, name: 'unmap' });
    expect((await pvlab(['board', ws, '--reveal'])).stdout).toMatch(/bob\s+unmap \(via ada\)/);
  });

  it('import never overwrites without --force, and keeps a backup with it', async () => {
    const code = (await pvlab(['share', ADA])).stdout.trim();
    expect((await pvlab(['import', code])).code).toBe(0);
    writeFileSync(join(work, 'saves/swap-pressure--unmap.json'), '{"edited": true}\n');
    expectOneLineError(await pvlab(['import', code]), /swap-pressure--unmap\.json already exists; use --force to replace it/);
    expect(readFileSync(join(work, 'saves/swap-pressure--unmap.json'), 'utf8')).toBe('{"edited": true}\n');

    const f = await pvlab(['import', code, '--force']);
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/the previous file is kept as .*\.backup/);
    const backups = readdirSync(join(work, 'saves/.backup'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(work, 'saves/.backup', backups[0]!), 'utf8')).toBe('{"edited": true}\n');

    const n = await pvlab(['import', code, '--name', 'My Copy']);
    expect(n.code).toBe(0);
    expect(n.stdout.trim()).toBe(join('saves', 'swap-pressure--my-copy.json'));
  });

  it('rejects truncated, altered, wrong-version and garbage codes with exit 2', async () => {
    const code = (await pvlab(['share', ADA])).stdout.trim();
    expectOneLineError(await pvlab(['import', code.slice(0, -6)]), /share code is damaged|truncated/);
    const i = 20;
    const altered = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    expectOneLineError(await pvlab(['import', altered]), /checksum mismatch/);
    expectOneLineError(await pvlab(['import', code.replace('pvlab1.', 'pvlab9.')]), /version 9 comes from a newer pvlab/);
    expectOneLineError(await pvlab(['import', 'lol']), /not a pvlab share code/);
    expectOneLineError(await pvlab(['import', '\u001b]0;title\u0007x']), /not a pvlab share code/);
    expect(existsSync(join(work, 'saves'))).toBe(false);
  });

  it('share reports a missing or invalid file in one line', async () => {
    expectOneLineError(await pvlab(['share', 'nope.json']), /nope\.json: no such file/);
    writeFileSync(join(work, 'bad.json'), '{"format":"pvlab-solution@1","level":"x","name":"n","hooks":[{"site":"nowhere"}]}');
    expectOneLineError(await pvlab(['share', 'bad.json']), /hook site 'nowhere' is unknown/);
  });

  it('warns when an imported solution does not fit the campaign', async () => {
    writeFileSync(join(work, 'other.json'), JSON.stringify({ format: 'pvlab-solution@1', level: 'gone-level', name: 'old', hooks: [] }));
    const code = (await pvlab(['share', 'other.json'])).stdout.trim();
    const i = await pvlab(['import', code]);
    expect(i.code).toBe(0);
    expect(i.stderr).toMatch(/warning: level 'gone-level' is not in the campaign/);
  });
});

describe('pvlab board', () => {
  it('prints the leaderboard of a folder and exits 0 despite invalid files', async () => {
    const b = await pvlab(['board', join(FIX, 'workshop')]);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^pvlab board: 7 solutions on 1 level, 7 invalid files/);
    expect(b.stdout).toContain("tie at rank 1: ada 'unmap', bob 'unmap any'");
    expect(b.stdout).toContain('Pareto frontier (P)');
    expect(b.stdout).not.toContain('\u001b');
    expect(b.stderr).toBe('');
  });

  it('--json gives one object for scripts', async () => {
    const b = await pvlab(['board', join(FIX, 'workshop'), '--json']);
    expect(b.code).toBe(0);
    const j = JSON.parse(b.stdout);
    expect(j.solutions).toBe(7);
    expect(j.levels[0].entries.map((e: { player: string; rank: number }) => `${e.player}:${e.rank}`))
      .toEqual(['ada:1', 'bob:1', 'dave:1', 'carol:4', 'erin:5', 'frank:6', 'mallory:6']);
    expect(j.levels[0].paretoMetrics).toEqual(['hooks']); // the fixture level's par
    expect(j.invalid).toHaveLength(7);
    // deterministic: the same folder gives byte-identical output
    expect((await pvlab(['board', join(FIX, 'workshop'), '--json'])).stdout).toBe(b.stdout);
  });

  it('a missing path or a folder without solutions is exit 2', async () => {
    expectOneLineError(await pvlab(['board', 'no-such-folder']), /no-such-folder: no such file or folder/);
    mkdirSync(join(work, 'empty'));
    expectOneLineError(await pvlab(['board', 'empty']), /no solution files \(\*\.json\) in empty/);
    expectOneLineError(await pvlab(['board']), /missing required argument/);
  });
});

describe('pvlab progress and levels', () => {
  const progressFile = () => ({
    format: 'pvlab-progress@1',
    settings: { color: 'never', animation: 'off', animationSpeed: 2, savesDir: 'saves', workshopDir: '', playerName: 'ada' },
    progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: { cost: 4187.06 }, hints: 1, attempts: 2 } } },
  });

  it('import, levels, export, reset round trip', async () => {
    writeFileSync(join(work, 'in.json'), JSON.stringify(progressFile()));
    const i = await pvlab(['progress', 'import', 'in.json']);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/imported progress of 1 level \(1 solved;/);

    const l = await pvlab(['levels']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/\[x\] \*\*\* swap-pressure .* best cost 4187\.1/);
    const lj = JSON.parse((await pvlab(['levels', '--json'])).stdout);
    expect(lj.levels[0].progress).toMatchObject({ solved: true, stars: 3, best: { cost: 4187.06 } });

    expect((await pvlab(['progress', 'export', 'out.json'])).code).toBe(0);
    const out = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8'));
    expect(out.progress).toEqual({ levels: { 'swap-pressure': progressFile().progress.levels['swap-pressure'] } });
    expect(out.settings).toEqual({ ...progressFile().settings, fog: 'auto' }); // a file without the fog setting reads with its default
    expectOneLineError(await pvlab(['progress', 'export', 'out.json']), /out\.json already exists; use --force/);
    expect((await pvlab(['progress', 'export', 'out.json', '--force'])).code).toBe(0);

    expectOneLineError(await pvlab(['progress', 'reset']), /asks for confirmation: run it in a terminal, or add --yes/);
    expect(JSON.parse((await pvlab(['levels', '--json'])).stdout).levels[0].progress).not.toBeNull();
    const r = await pvlab(['progress', 'reset', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/progress reset; the old progress is kept in .*config\.progress-.*\.json/);
    expect(JSON.parse((await pvlab(['levels', '--json'])).stdout).levels[0].progress).toBeNull();
  });

  it('progress import rejects a bad file in one line', async () => {
    writeFileSync(join(work, 'bad.json'), JSON.stringify({ ...progressFile(), progress: { levels: { 'swap-pressure': { stars: 9 } } } }));
    expectOneLineError(await pvlab(['progress', 'import', 'bad.json']), /bad\.json: progress\.levels\.swap-pressure\.stars/);
    writeFileSync(join(work, 'notjson.json'), 'hello');
    expectOneLineError(await pvlab(['progress', 'import', 'notjson.json']), /not valid JSON/);
    expectOneLineError(await pvlab(['progress', 'import', 'missing.json']), /no such file/);
  });

  it('a corrupted settings file is reported, reset, and saves/ survives', async () => {
    const code = (await pvlab(['share', ADA])).stdout.trim();
    expect((await pvlab(['import', code])).code).toBe(0);
    const before = readFileSync(join(work, 'saves/swap-pressure--unmap.json'), 'utf8');
    writeFileSync(join(cfg, 'config.json'), '{{{{ not json');
    const l = await pvlab(['levels']);
    expect(l.code).toBe(0);
    expect(l.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(l.stderr).toMatch(/^pvlab: settings file .*config\.json was not valid JSON; reset to defaults/);
    expect(l.stdout).toContain('swap-pressure');
    expect((await pvlab(['levels'])).stderr).toBe('');
    expect(readFileSync(join(work, 'saves/swap-pressure--unmap.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(work, 'saves'))).toEqual(['swap-pressure--unmap.json']);
  });
});
