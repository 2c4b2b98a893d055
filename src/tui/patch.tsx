// The patch screen: the player's placement as a kernel patch, then its review (src/patch),
// scrollable and coloured as a diff (plain under NO_COLOR / --no-color). On a solved level
// `m` shows mainline's own placement the same way, for comparison. The document is built
// once by the effect runner (patchDocOf), the reducer only scrolls and switches.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import type { PatchReport } from '../patch/index.js';
import type { ViewProps } from './screens.js';
import { Spinner, T, type Role } from './theme.js';

/** Columns the review is wrapped to (the game needs at least 80). */
export const DOC_WIDTH = 78;

export interface DocLine {
  text: string;
  role: Role;
  bold?: boolean;
}

export interface PatchDoc {
  /** "your patch" or "mainline's placement" */
  title: string;
  verdict: string;
  /** the patch as a file (what `w` writes) */
  text: string;
  /** the patch, then the review, as screen lines */
  lines: DocLine[];
}

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) { out.push(indent + line); line = ''; }
    line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

/** How a line of a patch reads: added, removed, hunk header, file header, mail header. */
export function diffRole(l: string, inDiff: boolean): DocLine {
  if (!inDiff) return /^(From|Subject|Signed-off-by): /.test(l) ? { text: l, role: 'title', bold: l.startsWith('Subject') } : { text: l, role: 'plain' };
  if (l.startsWith('diff --git') || l.startsWith('--- ') || l.startsWith('+++ ')) return { text: l, role: 'plain', bold: true };
  if (l.startsWith('@@')) return { text: l, role: 'accent' };
  if (l.startsWith('+')) return { text: l, role: 'ok' };
  if (l.startsWith('-')) return { text: l, role: 'bad' };
  return { text: l, role: 'dim' };
}

const SEVERITY_ROLE: Record<string, Role> = { error: 'bad', warning: 'warn', nit: 'dim' };

/** The screen document of a patch report. */
export function patchDocOf(r: PatchReport, title: string, width = DOC_WIDTH): PatchDoc {
  const lines: DocLine[] = [];
  let inDiff = false;
  for (const raw of r.patch.text.replace(/\n$/, '').split('\n')) {
    if (raw.startsWith('diff --git')) inDiff = true;
    // tabs as spaces: Ink measures a tab as one column
    lines.push(diffRole(raw.replace(/\t/g, '    '), inDiff));
  }
  lines.push({ text: '', role: 'plain' }, { text: `Review (pvlab engine): ${r.review.verdict}`, role: r.review.passed ? 'ok' : 'bad', bold: true });
  if (!r.review.findings.length) lines.push({ text: '  no findings', role: 'ok' });
  for (const f of r.review.findings) {
    lines.push({ text: '', role: 'plain' });
    lines.push({ text: `${f.file}: ${f.function || '(file scope)'}  [${f.severity}, ${f.rule}]`, role: SEVERITY_ROLE[f.severity] ?? 'plain', bold: true });
    for (const l of wrap(f.finding, width, '  ')) lines.push({ text: l, role: 'plain' });
    for (const l of wrap(`evidence: ${f.evidence}`, width, '    ')) lines.push({ text: l, role: 'dim' });
  }
  return { title, verdict: r.review.verdict, text: r.patch.text, lines };
}

function Working() {
  return <Spinner label="rendering the patch and reviewing it on every seed…" />;
}

export function PatchView({ s, width, height }: ViewProps) {
  const p = s.patch;
  if (!p) return <Text>No patch: open one from the results screen (p).</Text>;
  const doc = p.which === 'player' ? p.player : p.mainline;
  const other = p.which === 'player' ? "m: mainline's placement" : 'm: back to your patch';
  const head = `${p.which === 'player' ? 'Your placement' : "Mainline's placement"} as a kernel patch`;
  if (!doc) {
    return (
      <Box flexDirection="column" width={width}>
        <T bold wrap="truncate">{head}</T>
        <Working />
      </Box>
    );
  }
  const room = Math.max(3, height - 3);
  const top = Math.min(p.scroll, Math.max(0, doc.lines.length - room));
  const shown = doc.lines.slice(top, top + room);
  const saved = p.savedFile ? `saved: ${sanitizeLine(p.savedFile)}` : p.which === 'player' ? 'w: write it next to the solution' : '';
  return (
    <Box flexDirection="column" width={width}>
      <T bold wrap="truncate">{`${head} · lines ${top + 1}-${top + shown.length} of ${doc.lines.length} (↑/↓ scroll)`}</T>
      <T role="accent" wrap="truncate">{[saved, s.results?.verify.passed ? other : ''].filter(Boolean).join(' · ') || ' '}</T>
      <Box flexDirection="column" height={room} overflowY="hidden">
        {shown.map((l, i) => (
          <T key={top + i} role={l.role} bold={l.bold} wrap="truncate">{l.text || ' '}</T>
        ))}
      </Box>
    </Box>
  );
}
