// The TUI's state machine without a terminal: every transition is a pure function.
import { describe, expect, it } from 'vitest';
import { KEYMAP, burstKeys, hintLine, keyName, keyNames, resolveKey } from '../../src/tui/keymap.js';
import { lanesFor, laneSites, slotColumns, workloadsThrough } from '../../src/tui/graph.js';
import {
  MENU_ITEMS, colorOn, continueTarget, initialState, isUnlocked, keyContext, reduce, sandboxLevel, toggleHook,
  type Msg, type State,
} from '../../src/tui/state.js';
import { levelConfig } from '../../src/sim/score.js';
import { verify } from '../../src/sim/verify.js';
import { hiddenSeeds } from '../../src/sim/score.js';
import type { Hook } from '../../src/sim/types.js';
import { campaign, defaultSettings, twoLevels } from './helpers.js';

const start = (over: Partial<Parameters<typeof initialState>[0]> = {}): State =>
  initialState({ campaign: twoLevels(), progress: { levels: {} }, settings: defaultSettings(), ...over });

/** Feed key names the way the app does (one 'input' message a key). */
function keys(s: State, ...names: string[]): State {
  for (const n of names) s = reduce(s, { type: 'input', name: n, text: n.length === 1 ? n : '' });
  return s;
}
/** The Down presses from the top of the menu to an entry (by id, not by a count). */
const downsTo = (id: (typeof MENU_ITEMS)[number]['id']): string[] => Array<string>(MENU_ITEMS.findIndex((m) => m.id === id)).fill('down');
const send = (s: State, ...msgs: Msg[]) => msgs.reduce(reduce, s);
const taken = (s: State) => reduce(s, { type: 'effectsTaken', count: s.effects.length });

function verifyOn(s: State, hooks: Hook[]) {
  const lv = s.level!;
  return verify({ config: levelConfig(lv), hooks, visibleSeeds: lv.seeds.visible, hiddenSeeds: hiddenSeeds(lv), par: lv.par });
}

describe('keymap', () => {
  it('names keys and resolves them per context, global keys last', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName(' ', {})).toBe('space');
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyName('', { delete: true })).toBe('backspace');
    expect(resolveKey('board', 'space')).toBe('toggle');
    expect(resolveKey('board', 'q')).toBe('back');
    expect(resolveKey('board', '?')).toBe('help');
    expect(resolveKey('text', 'q')).toBeUndefined(); // typing a q, not going back
    expect(resolveKey('run', 'p')).toBe('pause');
  });

  it('no key is bound twice in one context, and every context has a hint line', () => {
    for (const [ctx, list] of Object.entries(KEYMAP)) {
      const seen = new Set<string>();
      for (const b of list) for (const k of b.keys) {
        expect(seen.has(k), `${ctx}: ${k}`).toBe(false);
        seen.add(k);
      }
      expect(hintLine(ctx as keyof typeof KEYMAP).length).toBeGreaterThan(0);
    }
  });
});

describe('menu and campaign', () => {
  it('moves through the menu, wraps, and quits from it with q', () => {
    let s = start();
    s = keys(s, 'up');
    expect(MENU_ITEMS[s.cursor.menu].id).toBe('quit');
    s = keys(s, 'down', 'down');
    expect(MENU_ITEMS[s.cursor.menu].id).toBe('campaign');
    const q = keys(s, 'q');
    expect(q.quitting).toBe(true);
    expect(q.effects).toEqual([{ kind: 'exit' }]);
  });

  it('unlocks levels in order: the first, and each after a solved one', () => {
    let s = start();
    expect(isUnlocked(s, 0)).toBe(true);
    expect(isUnlocked(s, 1)).toBe(false);
    s = keys(s, 'down', 'enter', 'down', 'enter');
    expect(s.screen).toBe('levels');
    expect(s.message).toMatch(/locked/);
    s = { ...s, progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: {}, hints: 0, attempts: 1 } } } };
    expect(isUnlocked(s, 1)).toBe(true);
    expect(continueTarget(s)).toBe(1);
    s = keys(s, 'enter');
    expect(s.screen).toBe('briefing');
    expect(s.level?.id).toBe('second-level');
  });

  it('continue opens the first open unsolved level; back returns through the stack', () => {
    let s = keys(start(), 'enter');
    expect(s.screen).toBe('briefing');
    expect(s.level?.id).toBe('swap-pressure');
    s = keys(s, 'escape');
    expect(s.screen).toBe('levels');
    s = keys(s, 'q');
    expect(s.screen).toBe('menu');
  });

  it('`play <level>` starts on that briefing; a start message is shown', () => {
    const s = start({ startLevel: 'swap-pressure', message: 'settings file was reset' });
    expect(s.message).toBe('settings file was reset');
    expect(s.screen).toBe('briefing');
    expect(keys(s, 'q').screen).toBe('levels');
  });
});

describe('briefing', () => {
  it('reveals hints one step at a time and records each step', () => {
    let s = keys(start(), 'enter');
    s = keys(s, 'h');
    expect(s.hintsShown).toBe(1);
    expect(s.effects).toContainEqual({ kind: 'recordHint', levelId: 'swap-pressure', step: 1 });
    s = keys(taken(s), 'h', 'h', 'h');
    expect(s.hintsShown).toBe(3);
    expect(s.effects.filter((e) => e.kind === 'recordHint').map((e) => (e as { step: number }).step)).toEqual([2, 3]);
    expect(s.message).toMatch(/no more hints/);
  });

  it('starts with the hints already used', () => {
    const s = keys(start({ progress: { levels: { 'swap-pressure': { solved: false, stars: 0, best: {}, hints: 2, attempts: 0 } } } }), 'enter');
    expect(s.hintsShown).toBe(2);
  });
});

describe('board', () => {
  const board = () => keys(start(), 'enter', 'enter');

  it('space places a hook, cycles its when, then removes it', () => {
    expect(toggleHook([], 'ptep_clear')).toEqual([{ site: 'ptep_clear', when: 'any' }]);
    expect(toggleHook([{ site: 'ptep_clear', when: 'any' }], 'ptep_clear')).toEqual([{ site: 'ptep_clear', when: 'live' }]);
    expect(toggleHook([{ site: 'ptep_clear', when: 'live' }], 'ptep_clear')).toEqual([]);
    expect(toggleHook([], 'writeback')).toEqual([{ site: 'writeback' }]);
    expect(toggleHook([{ site: 'writeback' }], 'writeback')).toEqual([]);
    expect(toggleHook([], 'gup_fast')).toEqual([{ site: 'gup_fast', when: 'pin' }]);
  });

  it('arrows move between slots and lanes; undo, redo and reset', () => {
    let s = board();
    expect(s.screen).toBe('board');
    s = keys(s, 'right', 'space');
    expect(s.board.hooks).toEqual([{ site: 'ptep_clear', when: 'any' }]);
    s = keys(s, 'right', 'enter');
    expect(s.board.hooks.map((h) => h.site)).toEqual(['ptep_clear', 'writeback']);
    s = keys(s, 'u');
    expect(s.board.hooks.map((h) => h.site)).toEqual(['ptep_clear']);
    s = keys(s, 'y');
    expect(s.board.hooks.map((h) => h.site)).toEqual(['ptep_clear', 'writeback']);
    s = keys(s, 'z');
    expect(s.board.hooks).toEqual([]);
    s = keys(s, 'u');
    expect(s.board.hooks).toHaveLength(2);
    s = keys(s, 'left', 'left', 'left', 'left', 'left');
    expect(s.board.col).toBe(0);
    s = keys(s, 'down', 'down', 'down');
    expect(s.board.lane).toBe(1); // two lanes: guest, reclaim
    s = keys(s, 'y', 'y');
    expect(s.message).toMatch(/nothing to redo/);
    // i: the briefing and back, without growing the way back
    const stack = s.stack;
    s = keys(s, 'i');
    expect(s.screen).toBe('briefing');
    s = keys(s, 'enter');
    expect(s.screen).toBe('board');
    expect(s.stack).toEqual(stack);
  });

  it('splits a chunk into the keys it holds: CR and CRLF are enter, DEL backspace, a run of text stays whole when asked', () => {
    expect(keyNames('j', { meta: true })).toEqual(['escape', 'j']); // ESC then j, typed fast
    expect(keyNames('', { escape: true, meta: true })).toEqual(['escape']);
    expect(keyNames('', { downArrow: true })).toEqual(['down']);
    expect(burstKeys('jj\r', false).map((k) => k.name)).toEqual(['j', 'j', 'enter']);
    expect(burstKeys('a b\r\n\t\x7f\x01', false).map((k) => k.name)).toEqual(['a', 'space', 'b', 'enter', 'tab', 'backspace', 'ctrl+a']);
    expect(burstKeys('ada\rjj', true)).toEqual([{ name: 'ada', text: 'ada' }, { name: 'enter', text: '' }, { name: 'jj', text: 'jj' }]);
  });

  it('a chunk with an Enter in it (jj then Enter, typed fast) chooses the row the j keys reached', () => {
    const chunk = (s: State, text: string) => reduce(s, { type: 'input', name: text, text });
    let s = chunk(start(), 'jj\r');
    expect(s.screen).toBe(MENU_ITEMS[2].id); // the third entry
    // in a text field: the name is typed, the Enter submits it, what follows is read as keys
    s = keys(start({ settings: { ...defaultSettings(), playerName: '' } }), ...downsTo('settings'), 'enter');
    expect(s.screen).toBe('settings');
    s = keys(s, 'down', 'down', 'enter');
    expect(s.text?.purpose).toBe('playerName');
    s = chunk(s, 'ada\rq');
    expect(s.text).toBeNull();
    expect(s.effects).toContainEqual({ kind: 'settings', patch: { playerName: 'ada' } });
    expect(s.screen).toBe('menu'); // the q after the Enter went back
  });

  it('reads a burst of keys in order (no stale screen)', () => {
    // menu -> continue -> briefing -> board -> slot 2 -> place, all in one burst
    const s = keys(start(), 'enter', 'enter', 'right', 'space', 'space');
    expect(s.screen).toBe('board');
    expect(s.board.hooks).toEqual([{ site: 'ptep_clear', when: 'live' }]);
  });
});

describe('call graph', () => {
  it('the first level has a guest and a reclaim lane (engine check: test/sim/paths.test.ts); the side panel lists workloads through a site', () => {
    const lv = campaign()[0];
    const lanes = lanesFor(levelConfig(lv));
    expect(lanes.map((l) => l.entry)).toEqual(['guest', 'reclaim']);
    expect(laneSites(lanes[1])).toEqual(['reclaim_scan', 'ptep_clear', 'writeback', 'bio_submit']);
    expect(lanes[1].sink).toBe('device');
    expect(workloadsThrough(lanes, 'ptep_clear')).toEqual(['swap']);
    expect(workloadsThrough(lanes, 'kmap')).toEqual([]);
    expect(slotColumns(lv.sites)).toEqual(['reclaim_scan', 'ptep_clear', 'writeback', 'kmap', 'bio_submit']);
  });

  it('every workload has a lane on every arch, device and kernel', () => {
    for (const arch of ['s390-pv', 'sev-snp', 'guest-memfd'] as const) for (const device of ['ccw', 'pci'] as const) {
      const lv = sandboxLevel({ arch, kernel: '5.7', device, pages: 16, field: 0, wcursor: 0,
        workloads: ['kvm_fault', 'host_refs', 'swap', 'malicious_qemu', 'mmap_sync', 'sendfile', 'process_vm_readv', 'zswap', 'teardown'] });
      const lanes = lanesFor(levelConfig(lv));
      expect(lanes).toHaveLength(9);
      const qemu = lanes.find((l) => l.workload === 'malicious_qemu')!;
      expect(laneSites(qemu).includes('dma_map')).toBe(device === 'pci');
    }
  });
});

describe('run and results', () => {
  const snap = (done: boolean, failed = false) => ({
    steps: 10, workloads: [], counters: { ioErrors: failed ? 1 : 0, crashes: 0, freedSecure: 0, exports: 1, imports: 0, wastedExports: 0, guestStall: 0 },
    newLines: ['a line'], done, failed,
  });

  it('r starts a run (effect), frames update it, pause/step/faster change it', () => {
    let s = keys(start({ settings: { ...defaultSettings(), animation: 'full' } }), 'enter', 'enter', 'right', 'space', 'space', 'r');
    expect(s.screen).toBe('run');
    const run = s.effects.find((e) => e.kind === 'startRun');
    expect(run).toMatchObject({ kind: 'startRun', hooks: [{ site: 'ptep_clear', when: 'live' }], seed: 1, animate: true });
    expect(s.effects).toContainEqual({ kind: 'lastLevel', levelId: 'swap-pressure' });
    const id = s.run!.id;
    s = send(taken(s), { type: 'runFrame', runId: id, snap: snap(false) });
    expect(s.run!.log).toEqual(['a line']);
    s = keys(s, 'space');
    expect(s.run!.paused).toBe(true);
    s = keys(s, 's');
    expect(s.effects).toEqual([{ kind: 'runStep', runId: id, n: 1 }]);
    // rule: faster changes the speed only; a paused run stays paused (space resumes)
    s = keys(taken(s), 'f');
    expect(s.run!.paused).toBe(true);
    expect(s.run!.speed).toBe(3);
    s = keys(s, 'space');
    expect(s.run!.paused).toBe(false);
    // a frame of an older run is ignored
    expect(send(s, { type: 'runFrame', runId: id + 7, snap: snap(true) })).toEqual(s);
    s = send(s, { type: 'runFrame', runId: id, snap: snap(true) });
    s = keys(s, 'enter');
    expect(s.run!.phase).toBe('scoring');
    expect(s.effects[0]).toMatchObject({ kind: 'verify', runId: id });
  });

  it('with animation off the run scores as soon as it ends', () => {
    let s = keys(start(), 'enter', 'enter', 'r');
    s = send(taken(s), { type: 'runFrame', runId: s.run!.id, snap: snap(true) });
    expect(s.run!.phase).toBe('scoring');
  });

  it('a pass: results, progress recorded, save with a name, exists -> overwrite, share', () => {
    let s = keys(start(), 'enter', 'enter', 'right', 'space', 'space', 'r');
    const id = s.run!.id;
    const hooks = s.board.hooks;
    const result = verifyOn(s, hooks);
    expect(result.passed).toBe(true);
    s = send(taken(s), { type: 'verified', runId: id, result, hooks });
    expect(s.screen).toBe('results');
    expect(s.effects.map((e) => e.kind)).toEqual(['recordResult', 'listSolutions']);
    s = keys(taken(s), 's');
    expect(s.text).toEqual({ purpose: 'saveName', value: '' }); // the box starts empty
    s = send(s, { type: 'input', name: 'unmap export', text: 'unmap export' }); // a paste
    s = keys(s, 'enter');
    expect(s.effects[0]).toMatchObject({ kind: 'save', overwrite: false, solution: { name: 'unmap export', level: 'swap-pressure', author: 'ada', hooks } });
    s = send(taken(s), { type: 'saveExists', name: 'unmap export' });
    s = keys(s, 'o');
    expect(s.effects[0]).toMatchObject({ kind: 'save', overwrite: true });
    s = send(taken(s), { type: 'saved', name: 'unmap export', file: '/x.json' });
    expect(s.results!.savedAs).toBe('unmap export');
    s = keys(s, 'c');
    expect(s.effects[0]).toMatchObject({ kind: 'share', solution: { name: 'unmap export' } });
    s = send(taken(s), { type: 'shared', code: 'pvlab1.xyz' });
    expect(s.results!.shareCode).toBe('pvlab1.xyz');
  });

  it('a failure: the counterexample timeline, then the board with the guilty path', () => {
    let s = keys(start(), 'enter', 'enter', 'right', 'right', 'right', 'space', 'r'); // kmap only: swap to disk fails
    const hooks = s.board.hooks;
    const result = verifyOn(s, hooks);
    expect(result.passed).toBe(false);
    const cx = result.counterexample!;
    s = send(taken(s), { type: 'verified', runId: s.run!.id, result, hooks });
    expect(keyContext(s)).toBe('timeline');
    s = keys(s, 'right', 'right');
    expect(s.results!.cx).toBe(Math.min(2, cx.trace.length - 1));
    s = keys(s, 'G');
    expect(s.results!.cx).toBe(cx.trace.length - 1);
    s = keys(s, 'left', 'g');
    expect(s.results!.cx).toBe(0);
    s = keys(s, 's');
    expect(s.text).toBeNull(); // nothing to save on a failure
    s = keys(s, 'b');
    expect(s.screen).toBe('board');
    expect(s.board.guilty?.workload).toBe(cx.failure.workload);
    expect(s.board.lane).toBe(1);
    // placing a hook clears the highlight; back goes to the briefing, not into the run
    s = keys(s, 'space');
    expect(s.board.guilty).toBeNull();
    expect(keys(s, 'q').screen).toBe('briefing');
  });

  it('next opens the next level after a pass', () => {
    let s = keys(start(), 'enter', 'enter', 'right', 'space', 'r');
    const hooks = s.board.hooks;
    s = send(taken(s), { type: 'verified', runId: s.run!.id, result: verifyOn(s, hooks), hooks });
    s = keys(s, 'n');
    expect(s.screen).toBe('briefing');
    expect(s.level?.id).toBe('second-level');
    expect(s.board.hooks).toEqual([]);
  });
});

describe('sandbox, solutions, import, settings, help', () => {
  it('[A6] sandbox: an arch takes only the kernels and devices it ran with', () => {
    let s = keys(start(), ...downsTo('sandbox'), 'enter');
    expect(s.sandbox).toMatchObject({ arch: 's390-pv', kernel: '6.5', device: 'ccw' });
    s = keys(s, 'down', 'right'); // kernel 5.7
    expect(s.sandbox.kernel).toBe('5.7');
    s = keys(s, 'up', 'left'); // arch wraps to guest-memfd: kernel 6.5, device pci
    expect(s.sandbox).toMatchObject({ arch: 'guest-memfd', kernel: '6.5', device: 'pci' });
    s = keys(s, 'down', 'right', 'down', 'right'); // nothing else to pick
    expect(s.sandbox).toMatchObject({ arch: 'guest-memfd', kernel: '6.5', device: 'pci' });
    s = keys(s, 'up', 'up', 'left', 'left', 'left'); // sev-snp: 5.7 again, still no ccw
    expect(s.sandbox.arch).toBe('sev-snp');
    s = keys(s, 'down', 'right', 'down', 'right');
    expect(s.sandbox).toMatchObject({ arch: 'sev-snp', kernel: '5.7', device: 'pci' });
  });

  it('sandbox: choose the machine and workloads, then the board offers every site', () => {
    let s = keys(start(), ...downsTo('sandbox'), 'enter');
    expect(s.screen).toBe('sandbox');
    s = keys(s, 'right'); // arch -> sev-snp
    s = keys(s, 'down', 'right', 'down', 'right'); // kernel 5.7? (6.5 -> wraps to 5.7), device pci
    s = keys(s, 'down', 'right', 'right', 'right', 'space'); // workloads: cursor 3 = malicious_qemu
    expect(s.sandbox).toMatchObject({ arch: 'sev-snp', kernel: '5.7', device: 'pci' });
    expect(s.sandbox.workloads).toEqual(['kvm_fault', 'swap', 'malicious_qemu']);
    s = keys(s, 'space');
    expect(s.sandbox.workloads).toEqual(['kvm_fault', 'swap']);
    s = keys(s, 'down', 'right');
    expect(s.sandbox.pages).toBe(256);
    s = keys(s, 'enter');
    expect(s.screen).toBe('board');
    expect(s.level?.id).toBe('sandbox');
    expect(s.level?.sites).toHaveLength(10);
  });

  it('my solutions: listed, loaded onto the board with what was dropped', () => {
    let s = keys(start(), ...downsTo('solutions'), 'enter');
    expect(s.screen).toBe('solutions');
    expect(s.effects[0]).toMatchObject({ kind: 'listSolutions', purpose: 'browse' });
    s = send(taken(s), { type: 'solutionsListed', purpose: 'browse', entries: [
      { name: 'a', file: 'a.json', level: 'swap-pressure', hooks: [{ site: 'ptep_clear' }] },
    ] });
    s = keys(s, 'enter');
    expect(s.effects[0]).toMatchObject({ kind: 'fit', level: { id: 'swap-pressure' } });
    s = send(taken(s), { type: 'fitted', level: s.campaign[0], loaded: {
      solution: { level: 'swap-pressure', name: 'a', author: '', hooks: [] },
      hooks: [{ site: 'ptep_clear' }], dropped: ["site 'gup_fast' is not offered"] } });
    expect(s.screen).toBe('board');
    expect(s.board.hooks).toEqual([{ site: 'ptep_clear' }]);
    expect(s.message).toMatch(/dropped: site 'gup_fast'/);
    // back retraces the way the player came: the list the solution was opened from
    expect(keys(s, 'q').screen).toBe('solutions');
  });

  it('import: type or paste a code, enter decodes it', () => {
    let s = keys(start(), ...downsTo('import'), 'enter');
    expect(s.screen).toBe('import');
    expect(s.text?.purpose).toBe('importCode');
    s = send(s, { type: 'input', name: 'pvlab1.abc', text: 'pvlab1.abc' });
    s = keys(s, 'q'); // q is text here
    expect(s.text?.value).toBe('pvlab1.abcq');
    s = send(s, { type: 'input', name: 'x', text: '\u001b[31m\u202e!' }); // escapes and bidi overrides never reach the screen
    expect(s.text?.value).toBe('pvlab1.abcq!');
    s = keys(s, 'backspace');
    s = keys(s, 'backspace', 'enter');
    expect(s.effects[0]).toEqual({ kind: 'decode', code: 'pvlab1.abc' });
    s = send(taken(s), { type: 'decoded', solution: { format: 'pvlab-solution@1', level: 'nope', name: 'x', author: '', hooks: [] } });
    expect(s.message).toMatch(/level 'nope'/);
    s = keys(s, 'escape');
    expect(s.screen).toBe('menu');
  });

  it('settings: colour and animation cycle, names are typed', () => {
    let s = keys(start(), ...downsTo('settings'), 'enter');
    expect(s.screen).toBe('settings');
    s = keys(s, 'enter');
    expect(s.effects[0]).toEqual({ kind: 'settings', patch: { color: 'always' } });
    s = keys(taken(s), 'down', 'space');
    expect(s.effects[0]).toEqual({ kind: 'settings', patch: { animation: 'full' } });
    s = keys(taken(s), 'down', 'enter', 'backspace', 'backspace', 'backspace');
    s = send(s, { type: 'input', name: 'bob', text: 'bob' });
    s = keys(s, 'enter');
    expect(s.effects[0]).toEqual({ kind: 'settings', patch: { playerName: 'bob' } });
  });

  it('? opens help anywhere; it swallows keys until closed', () => {
    let s = keys(start(), '?');
    expect(s.help).toBe(true);
    s = keys(s, 'down', 'enter');
    expect(s.screen).toBe('menu');
    expect(s.cursor.menu).toBe(0);
    s = keys(s, 'escape');
    expect(s.help).toBe(false);
  });

  it('colour: --no-color always wins, NO_COLOR turns auto off, never/always as said', () => {
    const with_ = (color: 'auto' | 'always' | 'never', env: boolean, flag: boolean) =>
      colorOn(start({ settings: { ...defaultSettings(), color }, forceNoColor: env, noColorFlag: flag }));
    expect(with_('auto', false, false)).toBe(true);
    expect(with_('auto', true, false)).toBe(false);
    expect(with_('always', true, false)).toBe(true);
    expect(with_('always', false, true)).toBe(false);
    expect(with_('never', false, false)).toBe(false);
  });
});
