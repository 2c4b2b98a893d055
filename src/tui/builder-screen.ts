// The level builder screen ("save as level", w on the sandbox): the sandbox's machine plus
// a file name, title, briefing and hints typed here become a level file. The check (the
// level schema, par from enumeration, the campaign's rules) and the atomic write run
// behind the port (src/io/level-builder.ts, in the job worker); the outcome comes back as
// 'built'. The view is builder-view.tsx.
import type { Action as KeyAction } from './keymap.js';
import { clamp, go, withEffect } from './nav.js';
import type { BuildOutcome, LevelDraft } from './ports.js';
import type { State } from './state.js';

/** Most hints a level holds (the level schema's bound). */
export const MAX_HINTS = 10;

export interface Builder {
  file: string;
  title: string;
  briefing: string;
  hints: string[];
  cursor: number;
  /** the check and write are under way */
  checking: boolean;
  outcome: BuildOutcome | null;
}

export type BuilderRow =
  | { kind: 'file' } | { kind: 'title' } | { kind: 'briefing' }
  | { kind: 'hint'; i: number } | { kind: 'addHint' } | { kind: 'write' };

/** The form's rows: the texts, one row per hint, a row to add one, the write button. */
export function builderRows(b: Builder): BuilderRow[] {
  return [
    { kind: 'file' }, { kind: 'title' }, { kind: 'briefing' },
    ...b.hints.map((_, i) => ({ kind: 'hint' as const, i })),
    ...(b.hints.length < MAX_HINTS ? [{ kind: 'addHint' as const }] : []),
    { kind: 'write' },
  ];
}

/** Open the builder from the sandbox (its machine is the level's). */
export function openBuilder(s: State): State {
  if (!s.sandbox.workloads.length) return { ...s, message: 'choose at least one workload (space) first' };
  const b: Builder = s.builder ?? { file: '', title: '', briefing: '', hints: [], cursor: 0, checking: false, outcome: null };
  return { ...go(s, 'builder'), builder: { ...b, checking: false, outcome: null } };
}

function fieldValue(b: Builder, r: BuilderRow): string {
  switch (r.kind) {
    case 'file': return b.file;
    case 'title': return b.title;
    case 'briefing': return b.briefing;
    case 'hint': return b.hints[r.i] ?? '';
    default: return '';
  }
}

/** The draft the port checks and writes. */
export function draftOf(s: State): LevelDraft {
  const b = s.builder!;
  const sb = s.sandbox;
  return {
    file: b.file, title: b.title, briefing: b.briefing, hints: b.hints,
    arch: sb.arch, kernel: sb.kernel, device: sb.device, pages: sb.pages, workloads: sb.workloads,
  };
}

export function builderKey(s: State, a: KeyAction): State {
  const b = s.builder;
  if (!b) return s;
  const rows = builderRows(b);
  const row = rows[clamp(b.cursor, 0, rows.length - 1)]!;
  switch (a) {
    case 'up': return { ...s, builder: { ...b, cursor: clamp(b.cursor - 1, 0, rows.length - 1) } };
    case 'down': return { ...s, builder: { ...b, cursor: clamp(b.cursor + 1, 0, rows.length - 1) } };
    case 'remove':
      if (row.kind !== 'hint') return s;
      return { ...s, builder: { ...b, hints: b.hints.filter((_, i) => i !== row.i), outcome: null } };
    case 'select': case 'toggle': {
      if (b.checking) return { ...s, message: 'checking the level: wait for the outcome' };
      if (row.kind === 'write') {
        const missing = !b.file.trim() ? 'a file name' : !b.title.trim() ? 'a title' : !b.briefing.trim() ? 'a briefing' : null;
        if (missing) return { ...s, message: `the level needs ${missing} first` };
        return withEffect({ ...s, builder: { ...b, checking: true, outcome: null }, message: 'checking the level: every placement is scored…' },
          { kind: 'buildLevel', draft: draftOf(s), takenIds: s.campaign.map((l) => l.id) });
      }
      return { ...s, text: { purpose: 'builder', value: fieldValue(b, row) }, message: null };
    }
    default: return s;
  }
}

/** The text typed into the row under the cursor. */
export function builderText(s: State, value: string): State {
  const b = s.builder!;
  const row = builderRows(b)[b.cursor];
  const next = { ...b, outcome: null };
  switch (row?.kind) {
    case 'file': next.file = value; break;
    case 'title': next.title = value; break;
    case 'briefing': next.briefing = value; break;
    case 'hint': next.hints = value ? b.hints.map((h, i) => (i === row.i ? value : h)) : b.hints.filter((_, i) => i !== row.i); break;
    case 'addHint': if (value) next.hints = [...b.hints, value]; break;
    default: break;
  }
  return { ...s, text: null, builder: next };
}

/** The outcome of a check and write. */
export function builderBuilt(s: State, outcome: BuildOutcome): State {
  if (!s.builder) return s;
  return {
    ...s, builder: { ...s.builder, checking: false, outcome },
    message: outcome.ok ? `level '${outcome.id}' written to ${outcome.file}` : outcome.message,
  };
}
