// The one way tests run pvlab's command line:
// - `pvlab(args)`: in this process, through `main()` (fast; most tests);
// - `spawnPvlab(args)`: the built binary `node dist/cli.js` as a child process (smoke
//   tests of what only a real process shows: exit status, signals, a hanging read).
// Both give the same result shape, so a case can move between them freely. The vitest
// global setup (test/global-setup.ts) builds dist/ before the suite when src/ changed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../src/cli.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
export const FIXTURES = join(ROOT, 'test/fixtures');

export interface CliOut {
  /** exit code (null when a spawned process was killed by a signal) */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, as bytes */
  raw: Buffer;
}

export interface CliOptions {
  /** working folder (default: the repository) */
  cwd?: string;
  /** PVLAB_LEVELS_DIR: the campaign folder (default: the shipped levels/) */
  levelsDir?: string;
  /** PVLAB_CONFIG_DIR and XDG_CONFIG_HOME: where settings and progress live */
  configDir?: string;
  /** more variables; `undefined` removes one */
  env?: Record<string, string | undefined>;
}

export interface SpawnOptions extends CliOptions {
  stdin?: 'pipe' | 'ignore';
  /** text written to stdin (implies a pipe) */
  input?: string;
  /** kill the child after this long (default 20 s) */
  timeoutMs?: number;
}

/** The environment every run gets: no colour, not a CI-detected terminal, no debug traces. */
function envFor(o: CliOptions): Record<string, string | undefined> {
  return {
    NO_COLOR: '1', CI: 'true', PVLAB_DEBUG: undefined,
    ...(o.levelsDir !== undefined ? { PVLAB_LEVELS_DIR: o.levelsDir } : {}),
    ...(o.configDir !== undefined ? { PVLAB_CONFIG_DIR: o.configDir, XDG_CONFIG_HOME: o.configDir } : {}),
    ...o.env,
  };
}

function result(code: number | null, signal: NodeJS.Signals | null, out: Buffer, err: Buffer): CliOut {
  return { code, signal, stdout: out.toString('utf8'), stderr: err.toString('utf8'), raw: Buffer.concat([out, err]) };
}

/** pvlab in this process (calls run one at a time: they share process.stdout and the folder). */
export async function pvlab(args: readonly string[], o: CliOptions = {}): Promise<CliOut> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args], {
    stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: envFor(o), cwd: o.cwd ?? ROOT,
  });
  return result(code, null, Buffer.from(out.join(''), 'utf8'), Buffer.from(err.join(''), 'utf8'));
}

/** The built binary as a child process. */
export function spawnPvlab(args: readonly string[], o: SpawnOptions = {}): Promise<CliOut> {
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(envFor(o))) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const piped = o.stdin === 'pipe' || o.input !== undefined;
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd ?? ROOT, env, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const t = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      done(result(code, signal, Buffer.concat(out), Buffer.concat(err)));
    });
    if (piped) child.stdin!.end(o.input ?? '');
  });
}

/**
 * The bad-input contract: exit 2, exactly one line on stderr starting 'pvlab: ' and
 * matching `re`, no stack trace, no internal error, nothing on stdout.
 */
export function expectRefused(o: CliOut, re: RegExp, what = ''): void {
  expect(o.signal, what).toBeNull();
  expect(o.code, `${what}: ${o.stderr}`).toBe(2);
  expect(o.stdout, what).toBe('');
  expect(o.stderr.trimEnd().split('\n'), what).toHaveLength(1);
  expect(o.stderr, what).toMatch(/^pvlab: /);
  expect(o.stderr, what).not.toMatch(/\n\s+at |internal error/);
  expect(o.stderr.trimEnd(), what).toMatch(re);
}
