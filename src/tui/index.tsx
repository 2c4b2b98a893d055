// Launching the TUI (loaded lazily by the CLI: the headless commands never import ink).
// This bundle holds no zod and no conf: the boot worker (start.ts) reads the campaign,
// settings and progress, and the store (persistence.ts) is loaded after the first frame.
import { parseGeneratedId } from '../sim/generate/index.js';
import { render } from 'ink';
import { InputError } from '../io/errors.js';
import { writeProbe } from '../io/probe.js';
import { App, type Probe } from './app.js';
import type { TuiPersistence } from './persistence.js';
import type { Persistence } from './ports.js';
import { mark, startupMarks } from './marks.js';
import type { BootData } from './start.js';
import type { Level } from '../io/schema.js';
import { withCustomChapter } from './custom-levels.js';

export interface LaunchOptions {
  /** `pvlab play <level>`: open this level's briefing */
  level?: string;
  /** `pvlab play <level-file>`: the level of that file, beside the campaign */
  extraLevels?: Level[];
  /** --no-color */
  noColor?: boolean;
  /** started by the CLI before this bundle was loaded (startBoot); else read here */
  boot?: Promise<BootData> | null;
}

/** NO_COLOR: set to anything but the empty string (no-color.org). */
export function noColorEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

const ALT_ON = '\u001b[?1049h\u001b[H';
const ALT_OFF = '\u001b[?1049l';

/** Without the worker (running from the sources): the same reads, in this thread. */
async function bootHere(): Promise<BootData> {
  const { bootData } = await import('./boot.js');
  return bootData();
}

/**
 * Run the game until the player quits. Needs a TTY on stdin and stdout (the CLI checks).
 * PVLAB_PROBE=<file> writes timings there on exit: time to the first frame and each
 * keypress-to-frame latency, in ms. PVLAB_PROBE_EXIT=first-frame quits after the first
 * frame (`pvlab bench --startup` times the start-up that way).
 */
export async function launch(o: LaunchOptions = {}): Promise<number> {
  const boot = await (o.boot ?? bootHere());
  mark('boot data');
  // the workshop's levels and a level file given: a chapter of their own after the campaign
  const custom = withCustomChapter(boot.campaign, [...(o.extraLevels ?? []), ...(boot.custom ?? [])]);
  if ('clash' in custom) throw new InputError(`level id '${custom.clash}' is also a campaign level; give the custom level another id`);
  const { campaign, customIds } = custom;
  // a campaign or custom id opens at once; a generated or daily id is generated off the
  // render path once the game is on screen
  let start: { startLevel: string } | { startRef: { id: string } } | Record<string, never> = {};
  if (o.level && campaign.some((l) => l.id === o.level)) start = { startLevel: o.level };
  else if (o.level && parseGeneratedId(o.level)) start = { startRef: { id: o.level } };
  else if (o.level) {
    throw new InputError(`unknown level '${o.level}'; see 'pvlab levels'`);
  }
  const init = {
    campaign, customIds, progress: boot.progress, settings: boot.settings,
    forceNoColor: noColorEnv(), noColorFlag: !!o.noColor,
    ...start,
    ...(boot.warnings.length ? { message: boot.warnings.join('; ') } : {}),
  };
  // the store the game writes through: opened once the first frame is on screen (the
  // effects that need it wait for it)
  let openStore!: () => void;
  let store: TuiPersistence | null = null;
  const ports = new Promise<Persistence>((resolve, reject) => {
    openStore = () => {
      import('./persistence.js').then((m) => {
        store = m.openPersistence();
        store.saveSnapshot(); // the next start can skip zod and conf if nothing changes
        resolve(store);
      }, reject);
    };
  });

  const probeFile = process.env.PVLAB_PROBE;
  const probe: Probe = { keyAt: null };
  const latencies: { key: string; screen: string; ms: number }[] = [];
  let firstFrame: number | null = null;
  const exitAfterFirst = process.env.PVLAB_PROBE_EXIT === 'first-frame';
  let app: ReturnType<typeof render> | null = null;
  const onRender = () => {
    const now = performance.now();
    if (firstFrame === null) {
      setTimeout(openStore, 0);
      // timing runs quit once the store is open (its snapshot written, as in a real session)
      if (exitAfterFirst) ports.then(() => app?.unmount(), () => app?.unmount());
    }
    if (firstFrame === null) mark('first frame');
    firstFrame ??= now; // ms since the process started
    if (probe.keyAt !== null) {
      latencies.push({ key: probe.key ?? '?', screen: probe.screen ?? '?', ms: Math.round((now - probe.keyAt) * 100) / 100 });
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
    mark('render');
    app = render(<App init={init} ports={ports} probe={probe} warm />, {
      exitOnCtrlC: true,
      patchConsole: true,
      // renders follow state changes (frames come from the run loop at ~30 fps); a high
      // cap keeps a keypress from waiting for the throttle
      maxFps: 250,
      // only the changed lines are written (a keypress that moves a cursor rewrites a line
      // or two, not the screen). Ink 6.8's incremental renderer put them one row low after a
      // frame that ends with a newline (every frame here); the bundle carries Ink 7.1's fix
      // (scripts/bundle-patches.mjs; test/e2e/tui.test.ts, "every frame is drawn in place")
      incrementalRendering: true,
      onRender,
    });
    await app.waitUntilExit();
  } finally {
    restore();
    (store as TuiPersistence | null)?.saveSnapshot(); // settings and progress as they are now
    if (probeFile) {
      writeProbe(probeFile, { firstFrameMs: firstFrame, keyLatenciesMs: latencies.map((l) => l.ms), keys: latencies, marks: startupMarks() });
    }
  }
  return 0;
}
