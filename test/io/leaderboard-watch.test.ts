// Rule: `pvlab board --watch` (the built CLI, a real process) draws the board again when
// a file is added to the folder or replaced by a rename (as git pull does), and ctrl+c
// (SIGINT) ends it cleanly with exit code 0.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_CLI } from './race-harness.js';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'pvlab-watch-')); });
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

const sol = (author: string, name: string, hooks: object[]) =>
  JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name, author, hooks });

it('rule: board --watch redraws on a new file and on a rename over a file; SIGINT exits 0', async () => {
  const players = join(root, 'players');
  mkdirSync(join(players, 'ada'), { recursive: true });
  writeFileSync(join(players, 'ada', 'a.json'), sol('ada', 'first', [{ site: 'ptep_clear', when: 'live' }]));
  const p = spawn(process.execPath, [DEFAULT_CLI, 'board', players, '--watch'], {
    env: { ...process.env, PVLAB_CACHE_DIR: join(root, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (b) => { out += b; });
  p.stderr.on('data', (b) => { err += b; });
  const boards = () => out.split('pvlab board:').length - 1;
  const until = async (ok: () => boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (!ok()) throw new Error(`not seen in time; output so far:\n${out.slice(-300)}\nstderr:\n${err}\nexit: ${p.exitCode} ${p.signalCode}`);
  };
  const exited = new Promise<number | null>((done) => p.on('close', (code) => done(code)));
  try {
    await until(() => boards() >= 1);
    expect(out).toContain('1 solution on 1 level');
    mkdirSync(join(players, 'bob'));
    writeFileSync(join(players, 'bob', 'b.json'), sol('bob', 'second', [{ site: 'writeback' }]));
    await until(() => boards() >= 2 && out.includes('2 solutions'));
    writeFileSync(join(root, 'incoming'), sol('ada', 'renamed in', [{ site: 'ptep_clear', when: 'any' }]));
    renameSync(join(root, 'incoming'), join(players, 'ada', 'a.json'));
    await until(() => out.includes('renamed in'));
  } finally {
    p.kill('SIGINT');
  }
  expect(await exited).toBe(0);
}, 120_000);
