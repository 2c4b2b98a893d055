// `pvlab` and `pvlab play <level>`: the game. It needs a terminal; ink and react load only
// here, after the boot worker started (src/tui/start.ts).
import { mark } from '../tui/marks.js';

/** The game (no subcommand, or `play`): needs a terminal; ink and react load only here. */
export async function play(level: string | undefined, noColor: boolean): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write("pvlab: the game needs a terminal; use 'pvlab run' for headless runs\n");
    return 2;
  }
  mark('cli');
  // the boot worker reads levels, settings and progress while ink loads (tui/start.ts)
  const { startBoot } = await import('../tui/start.js');
  mark('start loaded');
  const boot = startBoot();
  mark('boot started');
  const { launch } = await import('../tui/index.js');
  mark('bundle loaded');
  return launch({ ...(level ? { level } : {}), noColor, boot });
}

