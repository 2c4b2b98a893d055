// The patch screen's document: the kernel patch and its review as screen lines (built once
// by the effect runner; the reducer scrolls it, the view draws it). No React here.
import type { PatchReport } from '../patch/index.js';
import { wrapProse } from '../text/wrap.js';
import type { Role } from './theme.js';

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
    for (const l of wrapProse(f.finding, width, '  ')) lines.push({ text: l, role: 'plain' });
    for (const l of wrapProse(`evidence: ${f.evidence}`, width, '    ')) lines.push({ text: l, role: 'dim' });
  }
  return { title, verdict: r.review.verdict, text: r.patch.text, lines };
}

