// `pvlab` and `pvlab play <level>`: the game. It needs a terminal; ink and react load only
// here, after the boot worker started (src/tui/start.ts).
import { resolve } from 'node:path';
import type { Level } from '../io/schema.js';
import { mark } from '../tui/marks.js';

/** The game (no subcommand, or `play`): needs a terminal; ink and react load only here. */
export async function play(level: string | undefined, noColor: boolean): Promise<number> {
  // a level file (as `pvlab run` takes one): read and checked first, a bad one is one line, exit 2
  let extraLevels: Level[] = [];
  if (level && (level.endsWith('.json') || level.includes('/') || level.includes('\\'))) {
    // through the boot bundle (zod is there; dist/cli.js stays without it: docs/startup.md)
    const { levelFile } = await import('../tui/boot.js');
    const lv = levelFile(resolve(level));
    extraLevels = [lv];
    level = lv.id;
  }
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
  return launch({ ...(level ? { level } : {}), noColor, boot, ...(extraLevels.length ? { extraLevels } : {}) });
}

