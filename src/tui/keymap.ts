// Keys as data: each context maps key names to named actions. Components never look at
// raw keys; the help overlay and the hint bar are generated from this table.
import type { Key } from 'ink';

export type Action =
  | 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end'
  | 'select' | 'back' | 'quit' | 'help'
  | 'hint' | 'toBoard' | 'toBriefing'
  | 'toggle' | 'remove' | 'undo' | 'redo' | 'reset' | 'run'
  | 'pause' | 'step' | 'faster' | 'slower' | 'finish'
  | 'save' | 'overwrite' | 'share' | 'next' | 'retry' | 'first' | 'last' | 'projector'
  | 'patch' | 'savePatch' | 'mainline' | 'seed' | 'standings' | 'reveal' | 'cycle';

export type Context =
  | 'global' | 'menu' | 'levels' | 'briefing' | 'board' | 'run' | 'results' | 'timeline'
  | 'sandbox' | 'solutions' | 'settings' | 'import' | 'workshop' | 'text' | 'help' | 'patch'
  | 'practice' | 'builder' | 'projector' | 'standings';

export interface Binding {
  keys: readonly string[];
  action: Action;
  label: string;
  /** shown in the hint bar (the help overlay shows every binding) */
  hint?: boolean;
}

const nav: Binding[] = [
  { keys: ['up', 'k'], action: 'up', label: 'move up', hint: true },
  { keys: ['down', 'j'], action: 'down', label: 'move down', hint: true },
  { keys: ['enter'], action: 'select', label: 'choose', hint: true },
];

export const KEYMAP: Readonly<Record<Context, readonly Binding[]>> = {
  global: [
    { keys: ['?'], action: 'help', label: 'help: every key', hint: true },
    { keys: ['q', 'escape'], action: 'back', label: 'back (quit from the menu)', hint: true },
    { keys: ['ctrl+c'], action: 'quit', label: 'quit at once' },
  ],
  menu: nav,
  levels: [
    ...nav,
    { keys: ['pageup'], action: 'pageUp', label: 'previous chapter' },
    { keys: ['pagedown'], action: 'pageDown', label: 'next chapter' },
  ],
  briefing: [
    { keys: ['h'], action: 'hint', label: 'next hint (recorded)', hint: true },
    { keys: ['enter', 'b'], action: 'toBoard', label: 'to the board', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'scroll up' },
    { keys: ['down', 'j'], action: 'down', label: 'scroll down' },
  ],
  board: [
    { keys: ['left', 'h'], action: 'left', label: 'previous hook slot', hint: true },
    { keys: ['right', 'l'], action: 'right', label: 'next hook slot', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'previous path' },
    { keys: ['down', 'j'], action: 'down', label: 'next path' },
    { keys: ['space', 'enter'], action: 'toggle', label: 'place hook / cycle its when / remove', hint: true },
    { keys: ['x', 'backspace'], action: 'remove', label: 'remove the hook here' },
    { keys: ['u'], action: 'undo', label: 'undo', hint: true },
    { keys: ['y'], action: 'redo', label: 'redo' },
    { keys: ['z'], action: 'reset', label: 'reset: remove every hook' },
    { keys: ['r'], action: 'run', label: 'run the workloads', hint: true },
    { keys: ['i'], action: 'toBriefing', label: 'briefing and hints' },
  ],
  run: [
    { keys: ['space', 'p'], action: 'pause', label: 'pause / resume', hint: true },
    { keys: ['s', '.'], action: 'step', label: 'one step (while paused)', hint: true },
    { keys: ['f', '+', 'right'], action: 'faster', label: 'faster', hint: true },
    { keys: ['-', 'left'], action: 'slower', label: 'slower' },
    { keys: ['e'], action: 'finish', label: 'run to the end' },
    { keys: ['enter'], action: 'select', label: 'results (runs to the end first)', hint: true },
  ],
  results: [
    { keys: ['s'], action: 'save', label: 'save this solution (name it)', hint: true },
    { keys: ['o'], action: 'overwrite', label: 'overwrite the save of that name' },
    { keys: ['c'], action: 'share', label: 'share code', hint: true },
    { keys: ['n'], action: 'next', label: 'next level (generated: another one)', hint: true },
    { keys: ['b'], action: 'toBoard', label: 'back to the board', hint: true },
    { keys: ['r'], action: 'retry', label: 'run again' },
    { keys: ['p'], action: 'patch', label: 'the kernel patch and its review', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'scroll up' },
    { keys: ['down', 'j'], action: 'down', label: 'scroll down' },
  ],
  timeline: [
    { keys: ['right', 'l', 'space'], action: 'right', label: 'next step of the counterexample', hint: true },
    { keys: ['left', 'h'], action: 'left', label: 'previous step', hint: true },
    { keys: ['home', 'g'], action: 'first', label: 'first step' },
    { keys: ['end', 'G'], action: 'last', label: 'the failing step' },
    { keys: ['b', 'enter'], action: 'toBoard', label: 'board, guilty path highlighted', hint: true },
    { keys: ['r'], action: 'retry', label: 'run again' },
    { keys: ['p'], action: 'patch', label: 'the kernel patch and its review', hint: true },
  ],
  patch: [
    { keys: ['up', 'k'], action: 'up', label: 'scroll up', hint: true },
    { keys: ['down', 'j', 'space'], action: 'down', label: 'scroll down', hint: true },
    { keys: ['pageup'], action: 'pageUp', label: 'ten lines up' },
    { keys: ['pagedown'], action: 'pageDown', label: 'ten lines down' },
    { keys: ['home', 'g'], action: 'first', label: 'top' },
    { keys: ['w'], action: 'savePatch', label: 'write the .patch next to the solution', hint: true },
    { keys: ['m'], action: 'mainline', label: "mainline's placement / yours (solved levels)", hint: true },
  ],
  sandbox: [
    { keys: ['up', 'k'], action: 'up', label: 'previous field', hint: true },
    { keys: ['down', 'j'], action: 'down', label: 'next field', hint: true },
    { keys: ['left', 'h'], action: 'left', label: 'previous value / workload', hint: true },
    { keys: ['right', 'l'], action: 'right', label: 'next value / workload', hint: true },
    { keys: ['space'], action: 'toggle', label: 'add / drop the workload', hint: true },
    { keys: ['enter'], action: 'toBoard', label: 'to the board', hint: true },
    { keys: ['w'], action: 'save', label: 'save as level: title, briefing, hints, par from enumeration', hint: true },
  ],
  practice: [
    { keys: ['up', 'k'], action: 'up', label: 'move up', hint: true },
    { keys: ['down', 'j'], action: 'down', label: 'move down', hint: true },
    { keys: ['enter'], action: 'select', label: 'play a new level of this difficulty (the next seed)', hint: true },
    { keys: ['s'], action: 'seed', label: 'type a seed: that level of this difficulty (a room can share one)', hint: true },
  ],
  builder: [
    { keys: ['up', 'k'], action: 'up', label: 'previous field', hint: true },
    { keys: ['down', 'j'], action: 'down', label: 'next field', hint: true },
    { keys: ['enter', 'space'], action: 'select', label: 'edit the field / check and write the level', hint: true },
    { keys: ['x', 'backspace'], action: 'remove', label: 'delete the hint under the cursor' },
  ],
  solutions: nav,
  settings: [
    { keys: ['up', 'k'], action: 'up', label: 'move up', hint: true },
    { keys: ['down', 'j'], action: 'down', label: 'move down', hint: true },
    { keys: ['enter', 'space'], action: 'toggle', label: 'change / edit', hint: true },
  ],
  import: [{ keys: ['enter'], action: 'select', label: 'paste a code, then enter', hint: true }],
  workshop: [
    { keys: ['left', 'h'], action: 'left', label: 'previous level', hint: true },
    { keys: ['right', 'l'], action: 'right', label: 'next level', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'scroll the ranking up' },
    { keys: ['down', 'j'], action: 'down', label: 'scroll the ranking down' },
    { keys: ['v'], action: 'projector', label: 'projector view (large, one level a screen)', hint: true },
    { keys: ['s'], action: 'standings', label: 'standings: players across levels', hint: true },
    { keys: ['r'], action: 'retry', label: 'read the folder again', hint: true },
    { keys: ['R'], action: 'reveal', label: 'reveal a sealed board (the trainer; again to hide)' },
  ],
  projector: [
    { keys: ['left', 'h'], action: 'left', label: 'previous level', hint: true },
    { keys: ['right', 'l'], action: 'right', label: 'next level', hint: true },
    { keys: ['down', 'j'], action: 'down', label: 'scroll down', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'scroll up' },
    { keys: ['c'], action: 'cycle', label: 'cycle through the levels on a timer on/off', hint: true },
    { keys: ['s'], action: 'standings', label: 'standings' },
    { keys: ['v'], action: 'projector', label: 'back to the board', hint: true },
    { keys: ['R'], action: 'reveal', label: 'reveal a sealed board (the trainer; again to hide)' },
  ],
  standings: [
    { keys: ['down', 'j'], action: 'down', label: 'scroll down', hint: true },
    { keys: ['up', 'k'], action: 'up', label: 'scroll up', hint: true },
    { keys: ['v'], action: 'projector', label: 'projector view', hint: true },
    { keys: ['r'], action: 'retry', label: 'read the folder again' },
  ],
  text: [
    { keys: ['enter'], action: 'select', label: 'confirm', hint: true },
    { keys: ['escape'], action: 'back', label: 'cancel', hint: true },
    { keys: ['backspace'], action: 'remove', label: 'delete a character', hint: true },
  ],
  help: [
    { keys: ['?', 'q', 'escape'], action: 'back', label: 'close help', hint: true },
    { keys: ['down', 'j', 'pagedown', 'space'], action: 'down', label: 'next page of keys', hint: true },
    { keys: ['up', 'k', 'pageup'], action: 'up', label: 'previous page' },
  ],
};

/** Each context's heading in the help overlay: every context has one, so the help lists every key. */
export const CONTEXT_TITLES: Readonly<Record<Context, string>> = {
  global: 'everywhere', help: 'this help', menu: 'menu', levels: 'level select', briefing: 'briefing', board: 'board',
  run: 'run', results: 'results (pass)', timeline: 'results (fail): counterexample', sandbox: 'sandbox',
  solutions: 'my solutions', import: 'import a share code',
  settings: 'settings', workshop: 'workshop board', patch: 'kernel patch', text: 'typing a name or code',
  practice: 'practice (generated levels)', builder: 'save as level',
  projector: 'projector', standings: 'standings',
};

/** A stable name for an Ink key event: 'up', 'enter', 'space', 'ctrl+c', 'q', 'G', ... */
export function keyName(input: string, key: Partial<Key>): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input}`;
  if (input === ' ') return 'space';
  return input;
}

/**
 * The keys one Ink key event stands for. Escape and a key typed fast after it arrive as one
 * Alt key (ESC j); pvlab binds no Alt keys, so that is read as the two presses it was.
 */
export function keyNames(input: string, key: Partial<Key>): string[] {
  if (key.meta && !key.escape && [...input].length === 1) return ['escape', keyName(input, { ...key, meta: false })];
  return [keyName(input, key)];
}

/**
 * The keys in a chunk that arrived whole (a paste, key repeat, `tmux send-keys j j Enter`):
 * Ink hands such a chunk over as one string, with its Enter as a raw CR. Each key's name as
 * `keyName` would give it alone: CR, LF or CRLF is `enter`, TAB `tab`, DEL or BS `backspace`,
 * a space `space`, another control character `ctrl+<letter>`. With `group`, a run of
 * printable characters stays one piece of text (typing into a field).
 */
export function burstKeys(chunk: string, group: boolean): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  let run = '';
  const flush = () => { if (run) out.push({ name: run, text: run }); run = ''; };
  const chars = [...chunk];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const code = c.codePointAt(0)!;
    if (code >= 0x20 && code !== 0x7f) {
      if (group) { run += c; continue; }
      out.push({ name: c === ' ' ? 'space' : c, text: c });
      continue;
    }
    flush();
    if (c === '\r' || c === '\n') {
      if (c === '\r' && chars[i + 1] === '\n') i++;
      out.push({ name: 'enter', text: '' });
    } else if (c === '\t') out.push({ name: 'tab', text: '' });
    else if (c === '\x7f' || c === '\b') out.push({ name: 'backspace', text: '' });
    else if (code >= 1 && code <= 26) out.push({ name: `ctrl+${String.fromCharCode(code + 96)}`, text: '' });
  }
  flush();
  return out;
}

/** The action a key means in a context (its own bindings first, then the global ones). */
export function resolveKey(ctx: Context, name: string): Action | undefined {
  const own = KEYMAP[ctx].find((b) => b.keys.includes(name));
  if (own) return own.action;
  if (ctx === 'text' || ctx === 'help') return undefined;
  return KEYMAP.global.find((b) => b.keys.includes(name))?.action;
}

const SHOWN: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', enter: 'enter', escape: 'esc', space: 'space',
  pageup: 'pgup', pagedown: 'pgdn', backspace: 'bksp',
};
export function keyLabel(k: string): string {
  return SHOWN[k] ?? k;
}

/** ["? help", "q back", "↑ move up", ...] for the hint bar of a context: help and back first. */
export function hintParts(ctx: Context, hide: readonly Action[] = []): string[] {
  const own = KEYMAP[ctx].filter((b) => b.hint && !hide.includes(b.action));
  const glob = ctx === 'text' || ctx === 'help' ? [] : KEYMAP.global.filter((b) => b.hint);
  return [...glob, ...own].map((b) => `${keyLabel(b.keys[0])} ${b.label.split(/[:(]/)[0].trim()}`);
}

/** The hint bar of a context as one line. */
export function hintLine(ctx: Context): string {
  return hintParts(ctx).join('  ');
}
