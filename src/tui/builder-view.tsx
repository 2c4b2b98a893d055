// The level builder's view: the machine (the sandbox's), the fields typed so far, and the
// outcome of the check: par and the reference enumeration found, the campaign's rules, the
// file written, or the one line saying why nothing was. Logic: builder-screen.ts.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import { INDICATOR_W, SelectList } from './list.js';
import { builderRows, type BuilderRow } from './builder-screen.js';
import { machineLine, wrapWords } from './layout.js';
import { windowOf } from './screens.js';
import { sandboxLevel } from './state.js';
import { Spinner, T, num } from './theme.js';
import type { ViewProps } from './view-props.js';

const hooksText = (hooks: readonly { site: string; when?: string }[]) => hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).join(' ') || '(no hooks)';

export function BuilderView({ s, width, height }: ViewProps) {
  const b = s.builder;
  if (!b) return <Text>No level being built.</Text>;
  const rows = builderRows(b);
  const editing = s.text?.purpose === 'builder';
  const value = (r: BuilderRow, i: number): string => {
    if (editing && i === b.cursor) return `${s.text!.value}█`;
    switch (r.kind) {
      case 'file': return b.file || '(a file name: where the level is written, e.g. levels/my-level.json)';
      case 'title': return b.title || '(not set)';
      case 'briefing': return b.briefing || '(not set: what the player is told)';
      case 'hint': return b.hints[r.i] ?? '';
      case 'addHint': return '(enter: type a hint; hints are shown one at a time)';
      case 'write': return 'offered sites: those on the paths · par from every placement · the campaign\'s rules';
    }
  };
  const label = (r: BuilderRow): string => {
    switch (r.kind) {
      case 'file': return 'File';
      case 'title': return 'Title';
      case 'briefing': return 'Briefing';
      case 'hint': return `Hint ${r.i + 1}`;
      case 'addHint': return '+ a hint';
      case 'write': return 'Check & write';
    }
  };
  const o = b.outcome;
  // the outcome's lines, wrapped as the view wraps them; the form gets the rest of the body
  const lines: { text: string; role: 'ok' | 'bad' | 'dim' | 'plain' }[] = [];
  if (o && o.ok) {
    lines.push({ text: `written: ${sanitizeLine(o.file)} (level id ${o.id})`, role: 'ok' });
    lines.push({ text: `par: ${Object.entries(o.par).map(([k, v]) => `${k} ${num(v as number)}`).join(', ')} · reference (found by enumeration): ${hooksText(o.reference)}`, role: 'plain' });
    lines.push({ text: `${o.placements} placements of ${o.sites.join(', ')} · every campaign rule holds`, role: 'plain' });
    lines.push({ text: `play it: pvlab play ${sanitizeLine(o.file)} · check it: pvlab verify / analyze / par ${sanitizeLine(o.file)} · a workshop: put it in levels/`, role: 'dim' });
  }
  if (o && !o.ok) lines.push({ text: `not written: ${sanitizeLine(o.message)}`, role: 'bad' });
  if (b.checking) lines.push({ text: '', role: 'plain' });
  const wrapped = lines.flatMap((l) => wrapWords(l.text, width - 2).map((text) => ({ ...l, text })));
  const win = windowOf(rows, b.cursor, Math.max(3, height - 6 - wrapped.length));
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <T bold role="title" wrap="truncate">Save as level: the sandbox's machine as a level file</T>
      <Text wrap="truncate">{`machine: ${machineLine(sandboxLevel(s.sandbox))}`}</Text>
      <Text wrap="truncate">{`workloads: ${s.sandbox.workloads.join(', ')}`}</Text>
      <Text> </Text>
      <SelectList
        cursor={b.cursor - win.start}
        labelWidth={17 - INDICATOR_W}
        entries={win.items.map((r, k) => ({ key: `${r.kind}${'i' in r ? r.i : ''}`, label: label(r), side: sanitizeLine(value(r, win.start + k)), sideRole: r.kind === 'addHint' || r.kind === 'write' ? 'dim' : 'plain' }))}
      />
      <Text> </Text>
      {b.checking ? <Spinner label="checking: every placement of the offered sites is scored (par from enumeration)…" /> : null}
      {wrapped.filter((l) => l.text).map((l, i) => <T key={i} role={l.role} wrap="truncate">{l.text}</T>)}
    </Box>
  );
}
