#!/usr/bin/env node
// pvlab command line: argument parsing and dispatch. The headless commands never load
// ink or react; the TUI is imported lazily.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { InputError, MAX_ERROR_CHARS } from './io/errors.js';
import { sanitizeLine } from './io/sanitize.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Set by each action: the process exit code. */
let exitCode = 0;

/** The game (no subcommand, or `play`): needs a terminal; ink and react load only here. */
async function tui(level: string | undefined, noColor: boolean): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write("pvlab: the game needs a terminal; use 'pvlab run' for headless runs\n");
    return 2;
  }
  const { launch } = await import('./tui/index.js');
  return launch({ ...(level ? { level } : {}), noColor });
}

export function buildProgram(): Command {
  const program = new Command('pvlab');
  program
    .description('a terminal lab about protecting confidential-VM memory in the Linux mm')
    .version(version(), '-v, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    // without a command, pvlab opens the game (see main)
    .option('--no-color', 'no colours in the game (NO_COLOR is honoured too)')
    .addHelpText('after', '\nWithout a command, pvlab opens the game (needs a terminal of at least 80x24).');

  program
    .command('play <level>')
    .description('open one level in the game')
    .option('--no-color', 'no colours')
    .action(async (level: string, opts: { color?: boolean }) => {
      exitCode = await tui(level, opts.color === false || program.opts().color === false);
    });

  program
    .command('run [level]')
    .description('headless run of one seed; exit 0 pass, 1 fail, 2 bad input')
    .option('--solution <file>', 'solution file with the hooks to place')
    .option('--seed <n>', 'scheduler seed (default: the level\'s first visible seed)')
    .option('--json', 'print one JSON object')
    .option('--sandbox', 'no level file: describe the machine with the flags below')
    .option('--arch <arch>', 's390-pv | sev-snp | tdx | cca | guest-memfd')
    .option('--kernel <era>', '5.7 | 6.5')
    .option('--device <kind>', 'ccw | pci')
    .option('--workloads <ids>', 'comma-separated workload ids')
    .option('--pages <n>', 'guest pages (default 256)')
    .action(async (level: string | undefined, opts) => {
      const { runCommand } = await import('./commands/run.js');
      exitCode = runCommand(level, opts);
    });

  program
    .command('verify [level]')
    .description('run every visible and hidden seed of a level; exit code as run')
    .requiredOption('--solution <file>', 'solution file')
    .option('--json', 'print one JSON object')
    .option('--exhaustive', 'also check every interleaving of a small configuration (default: if the level declares one)')
    .option('--no-exhaustive', 'seeds only, even if the level declares a small configuration')
    .action(async (level: string | undefined, opts) => {
      const { verifyCommand } = await import('./commands/run.js');
      exitCode = verifyCommand(level, opts);
    });

  program
    .command('levels')
    .description('list the campaign')
    .option('--json', 'print one JSON object')
    .action(async (opts) => {
      const { levelsCommand } = await import('./commands/levels.js');
      exitCode = levelsCommand(opts);
    });

  program
    .command('analyze [level]')
    .description('score every placement of a level\'s offered sites (all levels without one): passing, par, Pareto front')
    .option('--json', 'print one JSON object')
    .action(async (level: string | undefined, opts) => {
      const { analyzeCommand } = await import('./commands/analyze.js');
      exitCode = analyzeCommand(level, opts);
    });

  program
    .command('bench')
    .description('simulation throughput, campaign verification time, exhaustive search speed, peak memory')
    .option('--json', 'print one JSON object')
    .option('--quick', 'a fast smoke run (fewer events, one repeat; numbers not comparable)')
    .option('--solutions <dir>', 'folder of <level-id>.reference.json files (default: the package\'s test/solutions)')
    .action(async (opts) => {
      const { benchCommand } = await import('./commands/bench.js');
      exitCode = benchCommand(opts);
    });

  // saving, sharing and workshops (issue 5)
  program
    .command('share <file>')
    .description('print a solution file as a one-line share code')
    .action(async (file: string) => {
      const { shareCommand } = await import('./commands/share.js');
      exitCode = shareCommand(file);
    });

  program
    .command('import <code>')
    .description('save the solution of a share code into the saves folder and print its path')
    .option('--force', 'replace a saved solution of the same name (the old file goes to saves/.backup/)')
    .option('--name <name>', 'save it under another name')
    .option('--dir <folder>', 'saves folder (default: the settings\' savesDir, ./saves)')
    .action(async (code: string, opts) => {
      const { importCommand } = await import('./commands/import.js');
      exitCode = await importCommand(code, opts);
    });

  program
    .command('board <paths...>')
    .description('workshop leaderboard: verify and rank every solution in folders or files')
    .option('--json', 'print one JSON object')
    .action(async (paths: string[], opts) => {
      const { boardCommand } = await import('./commands/board.js');
      exitCode = boardCommand(paths, opts);
    });

  const progress = program
    .command('progress')
    .description('export, import or reset your progress and settings');
  progress
    .command('export <file>')
    .description('write progress and settings to a JSON file')
    .option('--force', 'replace an existing file')
    .action(async (file: string, opts) => {
      const { progressExport } = await import('./commands/progress.js');
      exitCode = progressExport(file, opts);
    });
  progress
    .command('import <file>')
    .description('merge progress (and settings) from an exported file')
    .action(async (file: string) => {
      const { progressImport } = await import('./commands/progress.js');
      exitCode = progressImport(file);
    });
  progress
    .command('reset')
    .description('forget all progress (asks first; saves/ is never touched)')
    .option('--yes', 'do not ask (needed without a terminal)')
    .action(async (opts) => {
      const { progressReset } = await import('./commands/progress.js');
      exitCode = await progressReset(opts);
    });

  return program;
}

/** The first line of a message, printable: it can quote argv or file content. */
function firstLine(s: string): string {
  return sanitizeLine(s.split('\n')[0].replace(/^error: /, '')).slice(0, MAX_ERROR_CHARS);
}

export async function main(argv: string[]): Promise<number> {
  exitCode = 0;
  try {
    // no command: the game (commander would print the help)
    if (argv.every((a) => a === '--no-color')) return await tui(undefined, argv.length > 0);
    await buildProgram().parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      process.stderr.write(`pvlab: ${firstLine(err.message)}\n`);
      return 2;
    }
    if (err instanceof InputError) {
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
