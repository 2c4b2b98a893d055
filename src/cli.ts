#!/usr/bin/env node
// pvlab command line: the entry point. `pvlab` alone opens the game at once; any other
// command line loads the commands (src/program.ts, commander). The headless commands never
// load ink or react; the game never loads commander.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { play } from './commands/play.js';
import { MAX_ERROR_CHARS, isInputError } from './io/errors.js';
import { sanitizeLine } from './io/sanitize.js';

/** commander's own error (a bad flag, --help, --version), told apart without loading commander. */
function commanderCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.') ? code : null;
}

/** The first line of a message, printable: it can quote argv or file content. */
function firstLine(s: string): string {
  return sanitizeLine(s.split('\n')[0].replace(/^error: /, '')).slice(0, MAX_ERROR_CHARS);
}

/**
 * Where a call of `main` writes and what it sees. The binary uses the process's own
 * streams, environment and folder; tests run many calls in one process and capture them.
 */
export interface CliIo {
  /** receives what the command writes to stdout (default: the process's stdout) */
  stdout?: (text: string) => void;
  /** receives what the command writes to stderr (default: the process's stderr) */
  stderr?: (text: string) => void;
  /** variables set for the call; `undefined` removes one */
  env?: Record<string, string | undefined>;
  /** working folder for the call */
  cwd?: string;
}

/** Redirect the process's streams, environment and folder to `io` until the returned undo runs. */
function install(io: CliIo): () => void {
  const undo: (() => void)[] = [];
  for (const [name, sink] of [['stdout', io.stdout], ['stderr', io.stderr]] as const) {
    if (!sink) continue;
    const stream = process[name];
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof stream.write;
    undo.push(() => { stream.write = write; });
  }
  for (const [k, v] of Object.entries(io.env ?? {})) {
    const had = Object.prototype.hasOwnProperty.call(process.env, k);
    const old = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    undo.push(() => { if (had) process.env[k] = old; else delete process.env[k]; });
  }
  if (io.cwd !== undefined) {
    const old = process.cwd();
    process.chdir(io.cwd);
    undo.push(() => process.chdir(old));
  }
  return () => { for (const u of undo.reverse()) u(); };
}

/** Run pvlab with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const restore = install(io);
  try {
    return await dispatch(argv);
  } finally {
    restore();
  }
}

async function dispatch(argv: string[]): Promise<number> {
  try {
    // no command: the game (commander would print the help)
    if (argv.every((a) => a === '--no-color')) return await play(undefined, argv.length > 0);
    const { runProgram } = await import('./program.js');
    return await runProgram(argv);
  } catch (err) {
    const code = commanderCode(err);
    if (code) {
      if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
      process.stderr.write(`pvlab: ${firstLine((err as Error).message)}\n`);
      return 2;
    }
    // not instanceof: the bundled game throws its own copy of the class
    if (isInputError(err)) {
      process.stderr.write(`pvlab: ${firstLine(err.message)}\n`);
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`pvlab: internal error: ${firstLine(e?.message ?? String(err))}\n`);
    if (process.env.PVLAB_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return 3;
  }
}

function invokedDirectly(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
const isMain = invokedDirectly();
if (isMain || process.env.PVLAB_FORCE_MAIN) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
