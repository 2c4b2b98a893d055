// Driving the BUILT game (node dist/cli.js) in a real pseudo-terminal under tmux: one key
// per send-keys (a chunk of keys is a paste), CI=false in the game's environment (Ink
// prints nothing until exit under CI=true), the screen read with capture-pane and polled
// until the expected text shows (no fixed sleeps). A capture is a tmux client process
// (~13 ms of CPU, ~30 ms on a loaded machine): the poll captures only when the pane's
// output (copied to a file by pipe-pane) has grown, once more after it stops, and at least
// every 500 ms, at most every 50 ms; in between it only stats that file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const cli = join(root, 'dist/cli.js');
export const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

export interface Tmux {
  work: string;
  env: NodeJS.ProcessEnv;
  /** PVLAB_PROBE: the game writes its first-frame time and key latencies there on exit */
  probe: string;
  tmux(...args: string[]): string;
  screen(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** one key per send-keys, then wait for what it should show */
  key(k: string, expectText: string | RegExp): Promise<string>;
  /** start `pvlab <args>` in a new session of `cols`x`rows`; the pane stays for reading EXIT= */
  start(args: string, cols?: number, rows?: number): void;
  kill(): void;
}

export function ensureBuilt(): void {
  if (existsSync(cli)) return;
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
}

export function openTmux(name: string): Tmux {
  const socket = `pvlab-${name}-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), `pvlab-${name}-`));
  const env = {
    ...process.env,
    CI: 'false', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm-256color',
    PVLAB_CONFIG_DIR: join(work, 'config'), PVLAB_PROBE: join(work, 'probe.json'),
  };
  const tmux = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env, cwd: work });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const screen = () => tmux('capture-pane', '-p', '-t', 'game');
  // everything the game writes to the pane, appended by pipe-pane (see start)
  const paneLog = join(work, 'pane.log');
  const logSize = (): number => {
    try { return statSync(paneLog).size; } catch { return -1; }
  };
  const waitFor = async (text: string | RegExp, timeoutMs = 15_000): Promise<string> => {
    const t0 = Date.now();
    const found = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
    let last = screen();
    if (found(last)) return last;
    let seen = logSize();
    let lastCapture = Date.now();
    let settle = true; // capture once more after output stops: tmux may copy it before it draws it
    while (Date.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, 25));
      const size = logSize();
      const grew = size !== seen;
      const since = Date.now() - lastCapture;
      // at most one capture per 50 ms while the game draws (an animation draws all the time)
      if (since < 50 || (!grew && !settle && since < 500)) continue;
      settle = grew;
      seen = size;
      lastCapture = Date.now();
      last = screen();
      if (found(last)) return last;
    }
    throw new Error(`timed out waiting for ${String(text)}; the screen was:\n${last}`);
  };
  return {
    work, env, probe: env.PVLAB_PROBE, tmux, screen, waitFor,
    key: (k, expectText) => {
      tmux('send-keys', '-t', 'game', k);
      return waitFor(expectText);
    },
    start: (args, cols = 100, rows = 30) => {
      const cmd = `env CI=false ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} ${args}; echo "EXIT=$?"; sleep 600`;
      const open = () => tmux('new-session', '-d', '-s', 'game', '-x', String(cols), '-y', String(rows), cmd);
      try {
        open();
      } catch (err) {
        // killing the last session stops the server; a new session can race its exit
        if (!/server exited unexpectedly/.test(String(err))) throw err;
        spawnSync('sleep', ['0.3']);
        open();
      }
      tmux('pipe-pane', '-t', 'game', `cat >> ${JSON.stringify(paneLog)}`);
    },
    kill: () => {
      try { tmux('kill-server'); } catch { /* already gone */ }
    },
  };
}
