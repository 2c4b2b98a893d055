// Launching the TUI (loaded lazily by the CLI: the headless commands never import ink).
import { writeFileSync } from 'node:fs';
import { render } from 'ink';
import { InputError } from '../io/errors.js';
import { loadCampaign } from '../io/files.js';
import { App, type Probe } from './app.js';
import { openPersistence } from './persistence.js';

export interface LaunchOptions {
  /** `pvlab play <level>`: open this level's briefing */
  level?: string;
  /** --no-color */
  noColor?: boolean;
}

/** NO_COLOR: set to anything but the empty string (no-color.org). */
export function noColorEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

const ALT_ON = '\u001b[?1049h\u001b[H';
const ALT_OFF = '\u001b[?1049l';

/**
 * Run the game until the player quits. Needs a TTY on stdin and stdout (the CLI checks).
 * PVLAB_PROBE=<file> writes timings there on exit: time to the first frame and each
 * keypress-to-frame latency, in ms.
 */
export async function launch(o: LaunchOptions = {}): Promise<number> {
  const campaign = loadCampaign().map((e) => e.level);
  if (o.level && !campaign.some((l) => l.id === o.level)) {
    throw new InputError(`unknown level '${o.level}'; see 'pvlab levels'`);
  }
  const ports = openPersistence();
  const init = {
    campaign, progress: ports.loadProgress(), settings: ports.settings(),
    forceNoColor: noColorEnv(), noColorFlag: !!o.noColor,
    ...(o.level ? { startLevel: o.level } : {}),
    ...(ports.warnings.length ? { message: ports.warnings.join('; ') } : {}),
  };

  const probeFile = process.env.PVLAB_PROBE;
  const probe: Probe = { keyAt: null };
  const latencies: number[] = [];
  let firstFrame: number | null = null;
  const onRender = () => {
    const now = performance.now();
    firstFrame ??= now; // ms since the process started
    if (probe.keyAt !== null) {
      latencies.push(now - probe.keyAt);
      probe.keyAt = null;
    }
  };

  const out = process.stdout;
  out.write(ALT_ON);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write(ALT_OFF);
  };
  process.once('exit', restore);
  try {
    const app = render(<App init={init} ports={ports} probe={probe} />, {
      exitOnCtrlC: true,
      patchConsole: true,
      // renders follow state changes (frames come from the run loop at ~30 fps); a high
      // cap keeps a keypress from waiting for the throttle
      maxFps: 250,
      onRender,
    });
    await app.waitUntilExit();
  } finally {
    restore();
    if (probeFile) {
      writeFileSync(probeFile, JSON.stringify({ firstFrameMs: firstFrame, keyLatenciesMs: latencies }) + '\n');
    }
  }
  return 0;
}
