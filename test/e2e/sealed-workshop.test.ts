// End to end, with a real git repository: the trainer creates a sealed workshop and pushes
// it; two players clone it, join, submit sealed entries and push; the trainer pulls and the
// board ranks them (submission time = commit time); nobody else can read an entry, and
// until the trainer reveals, no export shows a hook set or a solution name. Bad input: a
// wrong key, a tampered entry, a player name with control characters.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, pvlab } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pvlab-sealed-'));
const bare = join(tmp, 'origin.git');
const cfg = (who: string) => join(tmp, `config-${who}`);
const clone = (who: string) => join(tmp, who);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', `user.name=${cwd.split('/').pop()}`, '-c', 'init.defaultBranch=main', ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A commit at a given time (seconds), so the submission order is not left to the clock. */
function commitAt(cwd: string, t: number, msg: string): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=x', 'commit', '-q', '-m', msg], {
    cwd, env: { ...process.env, GIT_AUTHOR_DATE: `@${t} +0000`, GIT_COMMITTER_DATE: `@${t} +0000` }, stdio: 'ignore',
  });
}

const solution = (name: string, hooks: object[]) => JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name, author: '', hooks });

describe('a sealed workshop over git', () => {
  it('two players push sealed entries; the trainer board ranks them; nothing leaks before reveal', async () => {
    git(tmp, 'init', '-q', '--bare', bare);
    git(tmp, 'clone', '-q', bare, clone('trainer'));
    const ws = join(clone('trainer'), 'ws');
    let r = await pvlab(['workshop', 'init', ws], { configDir: cfg('trainer') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(cfg('trainer'), 'workshop-keys'));
    expect(readdirSync(ws).sort()).toEqual(['.gitignore', 'levels', 'players', 'workshop.json']);
    git(clone('trainer'), 'add', '.');
    commitAt(clone('trainer'), 1_700_000_000, 'workshop');
    git(clone('trainer'), 'push', '-q', 'origin', 'HEAD');

    // ada submits the better solution, later; bob the worse one, earlier
    const plays: [string, number, string, object[]][] = [
      ['bob', 1_700_000_100, 'belt and braces', [{ site: 'reclaim_scan' }, { site: 'ptep_clear', when: 'live' }]],
      ['ada', 1_700_000_200, 'unmap live', [{ site: 'ptep_clear', when: 'live' }]],
    ];
    for (const [who, t, name, hooks] of plays) {
      git(tmp, 'clone', '-q', bare, clone(who));
      const mine = join(clone(who), 'ws');
      r = await pvlab(['workshop', 'join', mine, '--name', who], { configDir: cfg(who) });
      expect(r.code, r.stderr).toBe(0);
      const file = join(tmp, `${who}.json`);
      writeFileSync(file, solution(name, hooks));
      r = await pvlab(['workshop', 'submit', file], { configDir: cfg(who) });
      expect(r.code, r.stderr).toBe(0);
      const sealed = readFileSync(r.stdout.trim(), 'utf8');
      // other players cannot read it: no hook site, no solution name in the file
      expect(sealed).not.toMatch(/ptep_clear|reclaim_scan/);
      expect(sealed).not.toContain(name);
      // a player has no key: the board lists their own sealed entry, unopened
      r = await pvlab(['board', mine, '--json'], { configDir: cfg(who) });
      expect(JSON.parse(r.stdout).invalid[0].reason).toMatch(/sealed entry/);
      git(clone(who), 'add', 'ws');
      commitAt(clone(who), t, `${who}: swap-pressure`);
      git(clone(who), 'pull', '-q', '--rebase');
      git(clone(who), 'push', '-q', 'origin', 'HEAD');
    }

    git(clone('trainer'), 'pull', '-q', '--ff-only');
    const exports = [];
    for (const f of [[], ['--json'], ['--format', 'csv'], ['--format', 'markdown']]) exports.push(await pvlab(['board', ws, ...f], { configDir: cfg('trainer') }));
    for (const o of exports) {
      expect(o.code, o.stderr).toBe(0);
      // no hook id and no solution name before the reveal
      expect(o.stdout).not.toMatch(/ptep_clear|reclaim_scan|unmap live|belt and braces/);
    }
    const j = JSON.parse(exports[1]!.stdout);
    expect(j.hidden).toBe(true);
    const rows = j.levels[0].entries.map((e: { player: string; rank: number; stars: number; submitted: string; submittedFrom: string }) => [e.player, e.rank, e.stars, e.submittedFrom]);
    expect(rows).toEqual([['ada', 1, 3, 'git'], ['bob', 2, 1, 'git']]);
    expect(j.levels[0].entries[0].submitted).toBe(new Date(1_700_000_200_000).toISOString());

    const shown = await pvlab(['workshop', 'reveal', ws, '--json'], { configDir: cfg('trainer') });
    const jr = JSON.parse(shown.stdout);
    expect(jr.hidden).toBe(false);
    expect(jr.levels[0].entries.map((e: { name: string }) => e.name)).toEqual(['unmap live', 'belt and braces']);

    // bad input: a wrong key; a tampered entry; a name with control characters
    const other = join(tmp, 'other-ws');
    await pvlab(['workshop', 'init', other, '--key', join(tmp, 'other.pem')], { configDir: cfg('trainer') });
    expectRefused(await pvlab(['board', ws, '--key', join(tmp, 'other.pem')], { configDir: cfg('trainer') }), /wrong key/, 'wrong key');
    const adaFile = join(ws, 'players', 'ada', 'sealed', readdirSync(join(ws, 'players', 'ada', 'sealed'))[0]!);
    const env = JSON.parse(readFileSync(adaFile, 'utf8'));
    env.player = 'bob'; // the clear fields are authenticated too
    writeFileSync(adaFile, JSON.stringify(env));
    const tampered = await pvlab(['board', ws, '--json'], { configDir: cfg('trainer') });
    expect(JSON.parse(tampered.stdout).invalid.map((f: { reason: string }) => f.reason)).toEqual(['sealed entry does not open: it was changed after sealing (or is damaged)']);
    expectRefused(await pvlab(['workshop', 'open', adaFile], { configDir: cfg('trainer') }), /changed after sealing/, 'tampered');
    expectRefused(await pvlab(['workshop', 'join', ws, '--name', 'a\u001b[0mda'], { configDir: cfg('x') }), /control/, 'control name');
  });
});
