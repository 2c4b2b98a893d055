// Fog mode: on a generated expert level (or with the setting on) the board shows each
// lane's entry and device, and a site on a path only once a run passed it. The run's
// engine notes every site a workload's path passes, hooked or not (session.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generatedLevel } from '../../src/io/files.js';
import type { Level } from '../../src/io/schema.js';
import { levelConfig } from '../../src/sim/score.js';
import { lanesFor, laneSites } from '../../src/tui/graph.js';
import { fogOn } from '../../src/tui/practice-screen.js';
import { RunSession } from '../../src/tui/session.js';
import { SETTINGS_ITEMS } from '../../src/tui/state.js';
import { KEYS, defaultSettings, fakePersistence, renderApp, settle, type Rendered } from './helpers.js';

let app: Rendered | null = null;
afterEach(async () => {
  vi.useRealTimers();
  if (app) await app.unmount();
  app = null;
});

const expert = (): Level => generatedLevel('gen-expert-1')!;
/** the lane rows' site marks: o (a site on the path), ● (hooked), X */
const marks = (frame: string) => (frame.match(/─[o●X]─/g) ?? []).length;

async function until(a: Rendered, text: string, tries = 600): Promise<string> {
  for (let i = 0; i < tries; i++) {
    if (a.frame().includes(text)) return a.frame();
    await settle(10);
  }
  throw new Error(`never shown: ${text}\n${a.frame()}`);
}

describe('fog', () => {
  it('is on for generated expert levels with the setting auto, everywhere with on, nowhere with off', () => {
    const s = (fog: 'auto' | 'on' | 'off') => ({ settings: { ...defaultSettings(), fog } });
    expect(fogOn(s('auto'), { id: 'gen-expert-1' })).toBe(true);
    expect(fogOn(s('auto'), { id: 'gen-hard-1' })).toBe(false);
    expect(fogOn(s('auto'), { id: 'swap-pressure' })).toBe(false);
    expect(fogOn(s('on'), { id: 'swap-pressure' })).toBe(true);
    expect(fogOn(s('off'), { id: 'gen-expert-1' })).toBe(false);
  });

  it("a run passes only sites on its lanes' paths (what the fog lifts)", () => {
    const lv = expert();
    const run = new RunSession(levelConfig(lv), [], lv.seeds.visible[0]!);
    const passed = new Set<string>();
    let snap;
    do {
      snap = run.frame(4096);
      for (const p of snap.passed ?? []) passed.add(p);
    } while (!snap.done);
    const onPaths = new Set(lanesFor(levelConfig(lv)).flatMap((l) => laneSites(l).filter((x) => lv.sites.includes(x)).map((x) => `${l.workload}:${x}`)));
    const offered = [...passed].filter((p) => lv.sites.includes(p.split(':')[1] as Level['sites'][number]));
    expect(offered.length).toBeGreaterThan(0);
    for (const p of offered) expect(onPaths.has(p)).toBe(true);
  });

  it('hides the sites of the paths until a run has passed them, then shows those', async () => {
    const lv = expert();
    const ports = fakePersistence();
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { ports });
    await app.press(KEYS.enter);
    let f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toContain('fog: a site shows once a run passed it');
    expect(marks(f)).toBe(0);
    expect(f).toMatch(/guest: … → guest CPU/);
    await app.press('r');
    await until(app, 'pvlab · results');
    await app.press('b');
    f = await until(app, 'pvlab · board');
    expect(marks(f)).toBeGreaterThan(0);
  });

  it('with the fog off the same board shows every site on every path at once', async () => {
    const lv = expert();
    const ports = fakePersistence({ settings: { ...defaultSettings(), fog: 'off' } });
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { ports });
    await app.press(KEYS.enter);
    const f = app.frame();
    expect(f).not.toContain('fog:');
    const onPaths = lanesFor(levelConfig(lv)).flatMap((l) => laneSites(l).filter((x) => lv.sites.includes(x)));
    expect(marks(f)).toBe(onPaths.length);
  });

  it('the settings screen cycles the fog: auto, on, off (saved like every setting)', async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    await app.menuTo('settings');
    await app.press(KEYS.enter);
    expect(app.frame()).toMatch(/Fog on the board\s+auto \(on for generated expert levels\)/);
    await app.press(...Array(SETTINGS_ITEMS.indexOf('fog')).fill(KEYS.down), KEYS.enter);
    expect(ports.current.fog).toBe('on');
    expect(app.frame()).toMatch(/Fog on the board\s+on \(every level/);
    await app.press(KEYS.enter);
    expect(ports.current.fog).toBe('off');
  });
});
