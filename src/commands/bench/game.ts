// The measurements of `pvlab bench` that run the built game: its start-up against an Ink
// hello world, and keypress-to-frame during an animated run, in a pseudo-terminal.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaign } from '../../io/files.js';
import { round1 } from './measure.js';

export interface StartupBench {
  rounds: number;
  /** medians, ms since each process started (its own clock: no shell or pty counted) */
  gameFirstFrameMs: number;
  helloFirstFrameMs: number;
  /** game / hello world */
  ratio: number;
  /** medians of the wall time from spawn to exit (pty and shell included) */
  gameWallMs: number;
  helloWallMs: number;
  /** medians of the game's start-up phases (src/tui/marks.ts), ms since its process started */
  gamePhasesMs: Record<string, number>;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Start the game (to its menu) and the bundled Ink hello world (dist/tui/hello.js, the same
 * esbuild settings) alternately in a pseudo-terminal of 100x30 (util-linux `script`), each
 * quitting after its first frame (PVLAB_PROBE_EXIT), and compare the times of those frames.
 */
export function startupBench(rounds = 7): StartupBench | { reason: string } {
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  const cli = join(dist, 'cli.js');
  const hello = join(dist, 'tui', 'hello.js');
  if (!existsSync(hello)) return { reason: `${hello} is missing: run 'npm run build'` };
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return { reason: "util-linux 'script' (a pseudo-terminal) was not found" };
  const work = mkdtempSync(join(tmpdir(), 'pvlab-startup-'));
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  type One = { first: number; wall: number; marks: [string, number][] };
  const one = (file: string, args: string[]): One => {
    const probe = join(work, 'probe.json');
    rmSync(probe, { force: true });
    const cmd = `stty cols 100 rows 30; exec ${[process.execPath, file, ...args].map(q).join(' ')}`;
    const t0 = performance.now();
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, CI: 'false', PVLAB_PROBE: probe, PVLAB_PROBE_EXIT: 'first-frame', PVLAB_CONFIG_DIR: join(work, 'config') },
    });
    const wall = performance.now() - t0;
    if (r.status !== 0 || !existsSync(probe)) throw new Error(`${file} did not show a frame (exit ${r.status})`);
    const p = JSON.parse(readFileSync(probe, 'utf8')) as { firstFrameMs: number; marks?: [string, number][] };
    return { first: p.firstFrameMs, wall, marks: p.marks ?? [] };
  };
  try {
    const game: One[] = [];
    const hw: One[] = [];
    one(hello, []); one(cli, []); // warm the file cache
    for (let i = 0; i < rounds; i++) {
      hw.push(one(hello, []));
      game.push(one(cli, []));
    }
    const g = median(game.map((x) => x.first));
    const h = median(hw.map((x) => x.first));
    return {
      rounds, gameFirstFrameMs: round1(g), helloFirstFrameMs: round1(h), ratio: Math.round((g / h) * 100) / 100,
      gameWallMs: round1(median(game.map((x) => x.wall))), helloWallMs: round1(median(hw.map((x) => x.wall))),
      gamePhasesMs: Object.fromEntries(game[0]!.marks.map(([phase]) => [phase,
        round1(median(game.map((x) => x.marks.find(([p]) => p === phase)?.[1] ?? NaN)))])),
    };
  } catch (err) {
    return { reason: String((err as Error).message ?? err) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface KeysBench {
  /** keys pressed while the run animated, and their keypress-to-frame latencies (ms) */
  keys: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

/** The keys played during the run: speed down and up, pause and resume (the run keeps animating). */
const RUN_KEYS = ['-', '-', ...Array.from({ length: 20 }, (_, i) => (['f', '-', ' ', ' '] as const)[i % 4])];
const KEY_GAP_MS = 120;

/**
 * Keypress-to-frame during an animated run, as the player sees it: the built game in a
 * pseudo-terminal of 100x30 (util-linux `script`), keys written to it one at a time
 * (KEY_GAP_MS apart) while the first level's run animates; the game's probe (PVLAB_PROBE)
 * times each key from Ink's input handler to the frame that shows it. `rounds` games.
 */
export async function keysBench(rounds = 3): Promise<KeysBench | { reason: string }> {
  const cli = fileURLToPath(new URL('../../cli.js', import.meta.url));
  if (!existsSync(cli)) return { reason: `${cli} is missing: run 'npm run build'` };
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return { reason: "util-linux 'script' (a pseudo-terminal) was not found" };
  const level = loadCampaign()[0]!.level.id;
  const work = mkdtempSync(join(tmpdir(), 'pvlab-keys-'));
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const one = async (round: number): Promise<number[]> => {
    const probe = join(work, `probe-${round}.json`);
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${[process.execPath, cli, 'play', level].map(q).join(' ')}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, CI: 'false', NO_COLOR: '1', PVLAB_PROBE: probe, PVLAB_CONFIG_DIR: join(work, 'config') },
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => { screen = (screen + d.toString('utf8')).slice(-20_000); });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const until = async (text: string) => {
      for (let t = 0; t < 15_000; t += 20) {
        if (screen.includes(text)) { screen = ''; return; }
        await sleep(20);
      }
      throw new Error(`the game did not show '${text}'`);
    };
    try {
      await until('pvlab · briefing');
      child.stdin.write('\r');
      await until('pvlab · board');
      child.stdin.write('r');
      await until('steps/frame');
      for (const k of RUN_KEYS) {
        child.stdin.write(k);
        await sleep(KEY_GAP_MS);
      }
      child.stdin.write('\u0003'); // ctrl+c: the game quits and writes its probe
      await Promise.race([exited, sleep(10_000)]);
    } finally {
      child.kill();
    }
    const p = JSON.parse(readFileSync(probe, 'utf8')) as { keys: { screen: string; ms: number }[] };
    return p.keys.filter((k) => k.screen === 'run').map((k) => k.ms);
  };
  try {
    const all: number[] = [];
    for (let i = 0; i < rounds; i++) all.push(...await one(i));
    if (!all.length) return { reason: 'no key was pressed during the run' };
    const s = all.sort((a, b) => a - b);
    return { keys: s.length, medianMs: round1(median(s)), p90Ms: round1(s[Math.floor(s.length * 0.9)]!), maxMs: round1(s[s.length - 1]!) };
  } catch (err) {
    return { reason: String((err as Error).message ?? err) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
