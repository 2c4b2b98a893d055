// The commands of pvlab (commander): loaded by src/cli.ts for any command line but the
// bare game, so that `pvlab` alone starts the game without parsing commander.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { play as tui } from './commands/play.js';
import { visible } from './io/sanitize.js';
import { ARCH_IDS, DEVICE_IDS, KERNEL_IDS, WORKLOAD_IDS } from './sim/model.js';

const DIFFICULTIES = ['easy', 'hard', 'expert'] as const;

/** --seed of generate: a whole number 0..2^32-1 (one line otherwise). */
function parseSeed(v: string): number {
  if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) throw new InvalidArgumentError('It must be a whole number from 0 to 4294967295.');
  return Number(v);
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Set by each action: the process exit code. */
let exitCode = 0;

/** An option value parser for a whole number in `min..max`; commander names the value it got. */
export function wholeNumber(min: number, max: number): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new InvalidArgumentError(`It must be a whole number from ${min} to ${max}.`);
    }
    return Number(v);
  };
}

/** An option value parser for a positive number (1e12 allowed); commander names the value it got. */
export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!/^\s*[0-9.eE+]+\s*$/.test(v) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('It must be a positive number (like 5e9).');
  return n;
}

/** The --workloads value: comma-separated workload ids, each known and listed once. */
export function workloadList(v: string): string[] {
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new InvalidArgumentError(`It must name workloads (${WORKLOAD_IDS.join(',')}).`);
  const seen = new Set<string>();
  for (const n of names) {
    if (!(WORKLOAD_IDS as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`Unknown workload '${visible(n, 40)}' (known: ${WORKLOAD_IDS.join(', ')}).`);
    }
    if (seen.has(n)) throw new InvalidArgumentError(`'${n}' is listed twice.`);
    seen.add(n);
  }
  return names;
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
    .option('--seed <n>', 'scheduler seed (default: the level\'s first visible seed)', wholeNumber(0, 0xffffffff))
    .option('--json', 'print one JSON object')
    .option('--sandbox', 'no level file: describe the machine with the flags below')
    .addOption(new Option('--arch <arch>', 'architecture (with --sandbox)').choices(ARCH_IDS))
    .addOption(new Option('--kernel <era>', 'kernel era (with --sandbox)').choices(KERNEL_IDS))
    .addOption(new Option('--device <kind>', 'device kind (with --sandbox)').choices(DEVICE_IDS))
    .option('--workloads <ids>', `comma-separated workloads (with --sandbox): ${WORKLOAD_IDS.join(', ')}`, workloadList)
    .option('--pages <n>', 'guest pages (with --sandbox; default 256)', wholeNumber(1, 1 << 22))
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
    .command('patch <solution>')
    .description('the placement as the kernel patch it implies, then an automatic review; exit as verify')
    .option('--level <id>', "level id or level file (default: the solution's level)")
    .option('--json', 'print one JSON object: { patch, review: [...] }')
    .action(async (file: string, opts) => {
      const { patchCommand } = await import('./commands/patch.js');
      exitCode = await patchCommand(file, opts);
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
    .option('--sample <n>', 'score n placements per level, drawn with a fixed seed, instead of all', wholeNumber(1, 1_000_000))
    .option('--max-work <events>', 'page events analyze may spend (default: about a minute of work); more is refused with an estimate', positiveNumber)
    .action(async (level: string | undefined, opts) => {
      const { analyzeCommand } = await import('./commands/analyze.js');
      exitCode = analyzeCommand(level, opts);
    });

  program
    .command('generate')
    .description('a generated level (seeded; the same seed gives the same level): prints how to play it, or the level file')
    .option('--seed <n>', 'seed, a whole number 0..4294967295 (default: a random one)', (v: string) => parseSeed(v))
    .option('--difficulty <level>', `${DIFFICULTIES.join(' | ')} (default easy)`)
    .option('--daily', "the level of the day (UTC): the same for everyone, id daily-YYYY-MM-DD")
    .option('--date <YYYY-MM-DD>', 'with --daily: the level of another day')
    .option('--json', 'print the level file')
    .option('--out <file>', 'write the level file (atomically)')
    .action(async (opts) => {
      const { generateCommand } = await import('./commands/generate.js');
      exitCode = generateCommand(opts);
    });

  program
    .command('par <level>')
    .description("par from enumeration (every placement scored), checked with the campaign's rules; exit 1 when a rule fails")
    .option('--reference <solution>', 'take par from this solution (default: the placement enumeration finds)')
    .option('--write', "write the par into the level file (only its 'par')")
    .option('--json', 'print one JSON object')
    .action(async (level: string, opts) => {
      const { parCommand } = await import('./commands/par.js');
      exitCode = parCommand(level, opts);
    });

  program
    .command('bench')
    .description('simulation throughput, campaign verification time, exhaustive search speed, peak memory')
    .option('--json', 'print one JSON object')
    .option('--quick', 'a fast smoke run (fewer events, one repeat; numbers not comparable)')
    .option('--solutions <dir>', 'folder of <level-id>.reference.json files (default: the package\'s test/solutions)')
    .option('--startup', 'only the start-up: the game\'s first frame against a bundled Ink hello world')
    .option('--keys', 'only the keypress-to-frame latency during an animated run')
    .action(async (opts) => {
      const { benchCommand } = await import('./commands/bench.js');
      exitCode = await benchCommand(opts);
    });

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

  const boardOptions = (c: Command) => c
    .option('--format <kind>', 'text (default, fits the terminal) | csv | markdown | json')
    .option('--json', 'the same as --format json')
    .option('--level <id>', 'only this level (repeat, or separate with commas)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--top <n>', 'at most n rows per level (ties at the cut are kept)')
    .option('--best-per-player', 'only the best solution of each player')
    .option('--key <file>', "the trainer's private key for sealed entries (default: the one 'workshop init' kept)")
    .option('--since <time>', 'the round starts then: entries submitted before are listed, not ranked (2026-12-07 21:00, local time, or ...Z)')
    .option('--until <time>', 'the round ends then: entries submitted after are listed, not ranked')
    .option('--watch', 're-render when files in the folders change (ctrl+c stops)')
    .option('--pull [seconds]', "with --watch: 'git pull --ff-only' the workshop every so many seconds (default 30)");

  boardOptions(program
    .command('standings <paths...>')
    .description('per player across levels: levels solved, stars, rank sum (the board\'s ranking)'))
    .option('--reveal', 'show hook sets and solution names of a sealed workshop')
    .action(async (paths: string[], opts) => {
      const { boardCommand } = await import('./commands/leaderboard.js');
      exitCode = await boardCommand(paths, { ...opts, standingsOnly: true });
    });

  const workshop = program
    .command('workshop')
    .description('run a workshop as a tournament: sealed entries, players, reveal');
  workshop
    .command('init <folder>')
    .description('create a workshop folder (levels/, players/, the public key); the private key stays outside it')
    .option('--key <file>', 'where to write the private key (default: the pvlab config folder, workshop-keys/<id>.pem)')
    .action(async (folder: string, opts) => {
      const { workshopInit } = await import('./commands/workshop.js');
      exitCode = workshopInit(folder, opts);
    });
  workshop
    .command('join <folder>')
    .description('set your player name and this workshop folder in the settings')
    .requiredOption('--name <player>', 'your player name (your folder in players/)')
    .action(async (folder: string, opts) => {
      const { workshopJoin } = await import('./commands/workshop.js');
      exitCode = await workshopJoin(folder, opts);
    });
  workshop
    .command('submit <solutions...>')
    .description("seal solution files to the trainer's key into players/<you>/sealed/")
    .option('--workshop <folder>', 'the workshop folder (default: the one you joined)')
    .option('--name <player>', 'your player name (default: the one you joined with)')
    .action(async (files: string[], opts) => {
      const { workshopSubmit } = await import('./commands/workshop.js');
      exitCode = await workshopSubmit(files, opts);
    });
  workshop
    .command('open <file>')
    .description("open one sealed entry with the trainer's key and print the solution in it")
    .option('--key <file>', "the trainer's private key (default: the one 'workshop init' kept)")
    .action(async (file: string, opts) => {
      const { workshopOpen } = await import('./commands/workshop.js');
      exitCode = workshopOpen(file, opts);
    });
  boardOptions(workshop
    .command('reveal <folder>')
    .description("the trainer's board with hook sets and solution names shown"))
    .action(async (folder: string, opts) => {
      const { workshopReveal } = await import('./commands/workshop.js');
      exitCode = await workshopReveal(folder, opts);
    });

  boardOptions(program
    .command('board <paths...>')
    .alias('leaderboard')
    .description('workshop leaderboard: verify and rank every solution in folders or files'))
    .option('--reveal', 'show hook sets and solution names of a sealed workshop (the trainer decides when)')
    .action(async (paths: string[], opts) => {
      const { boardCommand } = await import('./commands/leaderboard.js');
      exitCode = await boardCommand(paths, opts);
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

/** Parse `argv` and run its command; resolves to the exit code (commander's errors are thrown). */
export async function runProgram(argv: string[]): Promise<number> {
  exitCode = 0;
  await buildProgram().parseAsync(argv, { from: 'user' });
  return exitCode;
}
