// Pure layout: word wrapping (src/text/wrap.ts), the key-hint bar, the body's size, the briefing as lines.
// The reducer uses these to bound scrolling (it knows the terminal's size); the views use
// the same functions, so what scrolls is exactly what is shown. No React here.
import { sanitize, sanitizeLine } from '../io/sanitize.js';
import { wrapWords } from '../text/wrap.js';
import type { Level } from '../io/schema.js';
import { ARCHES, WORKLOADS } from '../sim/model.js';
import { ENTRY } from './graph.js';
import { hintParts, type Action, type Context } from './keymap.js';

export interface Size {
  columns: number;
  rows: number;
}

// the one word wrap (src/text/wrap.ts), where the screens have always found it
export { wrapWords };

/** Plural: `count(1, 'scheduler choice')` = "1 scheduler choice", 2 → "2 scheduler choices". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Items joined by `sep` in lines of `width`, an item never split; at most `max` lines. */
export function packItems(items: readonly string[], width: number, sep = '  ', max = Infinity): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of items) {
    if (line && line.length + sep.length + part.length > width) {
      if (lines.length + 1 >= max) break;
      lines.push(line);
      line = '';
    }
    line = line ? `${line}${sep}${part}` : part;
  }
  lines.push(line);
  return lines;
}

/** The key hints of a context as lines of `width`, a hint never split (at most `max` lines). */
export function hintLines(ctx: Context, width: number, max = 2, hide: readonly Action[] = []): string[] {
  // what does not fit is in the help (? is listed first)
  return packItems(hintParts(ctx, hide), width, '  ', max);
}

/** The room for a screen's body: the terminal less the title, message and hint lines. */
export function bodySize(size: Size, ctx: Context): { width: number; height: number } {
  // one line short of the terminal: Ink redraws the whole screen when output fills it
  return { width: size.columns, height: size.rows - 1 - 2 - hintLines(ctx, size.columns).length };
}

/** "6.10" > "6.8": dotted versions compared part by part, not as decimals. */
function newerVersion(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
}

/**
 * "kernel 6.5", or the arch's own era when it came with a newer Linux (ArchInfo.since):
 * guest_memfd came with 6.8, so on a 6.5 level it reads "KVM guest_memfd (upstream SNP and
 * TDX)" and "Linux 6.8+" (the era said once).
 */
export function machineTitle(lv: Pick<Level, 'arch' | 'kernel'>): { arch: string; kernel: string } {
  const a = ARCHES[lv.arch];
  if (!a.since) return { arch: a.title, kernel: `kernel ${lv.kernel}` };
  return {
    arch: a.detail ? `${a.name} (${a.detail})` : a.name,
    kernel: newerVersion(a.since, lv.kernel) ? `Linux ${a.since}+` : `kernel ${lv.kernel}`,
  };
}

/** A device in words: how the guest's I/O reaches the host. */
export const DEVICE_TITLE: Readonly<Record<Level['device'], string>> = { ccw: 'CCW channel I/O', pci: 'PCI (DMA API)' };

/**
 * The machine in one short line for a header: the arch's title without its parenthesis, the
 * kernel as `machineTitle` says it, the device ("s390 Protected Virtualization · kernel 6.5 · CCW").
 */
export function machineName(lv: Pick<Level, 'arch' | 'kernel' | 'device'>): string {
  return `${ARCHES[lv.arch].name} · ${machineTitle(lv).kernel} · ${lv.device.toUpperCase()}`;
}

/** The machine in full, as a briefing's second line and the sandbox show it. */
export function machineLine(lv: Pick<Level, 'arch' | 'kernel' | 'device' | 'guest'>): string {
  const m = machineTitle(lv);
  return `${m.arch} · ${m.kernel} · ${DEVICE_TITLE[lv.device]} · ${lv.guest.pages} pages (${Math.round(lv.guest.shared * 100)}% shared)`;
}

export interface Line {
  text: string;
  bold?: boolean;
  role?: 'title' | 'accent' | 'dim';
}

/**
 * Whether par's values are shown before a run: a level with `parAfterRun` (par's numbers,
 * `hooks 0` say, can be its answer) shows only the metrics par ranks until the player's
 * first run of it (an attempt in the progress, or a solve).
 */
export function parOpen(lv: Pick<Level, 'parAfterRun'>, lp: { attempts?: number; solved?: boolean } | undefined): boolean {
  return !lv.parAfterRun || (lp?.attempts ?? 0) > 0 || !!lp?.solved;
}

/** The briefing as wrapped lines (scrolled a line at a time); `showPar`: par's values (parOpen). */
export function briefingLines(lv: Level, hintsShown: number, width: number, showPar = true): Line[] {
  const w = Math.max(10, width - 2);
  const out: Line[] = [];
  const para = (text: string, style: Omit<Line, 'text'> = {}, indent = '') => {
    for (const t of wrapWords(text, w, indent)) out.push({ text: t, ...style });
  };
  const gap = () => out.push({ text: '' });
  para(sanitizeLine(lv.title), { bold: true, role: 'title' });
  para(machineLine(lv));
  for (const p of sanitize(lv.briefing).split(/\n\s*\n/)) {
    gap();
    para(p.trim().replace(/\s*\n\s*/g, ' '));
  }
  if (lv.objectives?.length) {
    gap();
    para('Objectives', { bold: true });
    for (const o of lv.objectives) para(`  • ${sanitizeLine(o)}`, {}, '    ');
  }
  gap();
  para('Workloads', { bold: true });
  for (const wl of lv.workloads) para(`  ${ENTRY[wl.kind].padEnd(10)} ${WORKLOADS[wl.kind].title}`, {}, ' '.repeat(13));
  para(`Hook sites offered: ${lv.sites.join(', ')}`, {}, '  ');
  if (Object.keys(lv.par).length) {
    para(showPar
      ? `Par: ${Object.entries(lv.par).map(([k, v]) => `${k} ${num(v as number)}`).join(', ')}`
      : `Par ranks ${Object.keys(lv.par).join(', ')}: its values show after your first run`, {}, '  ');
  }
  if (!lv.hints.length) return out; // the sandbox: no hints to count
  gap();
  para(`Hints ${hintsShown}/${lv.hints.length}${hintsShown < lv.hints.length ? '  (h: next hint)' : ''}`, { bold: true });
  for (let i = 0; i < Math.min(hintsShown, lv.hints.length); i++) para(`  ${i + 1}. ${sanitizeLine(lv.hints[i])}`, {}, '     ');
  return out;
}

/** A metric value: integers as they are, others with two decimals (one from 100). */
import { fmtNum as num } from '../io/format.js';
export { num };

/** Lines a scrolled list shows: the marks "↑ n more above" and "↓ more below" take a line each. */
export function scrollWindow(total: number, scroll: number, height: number): { top: number; rows: number; above: boolean; below: boolean } {
  const h = Math.max(2, height);
  const top = Math.max(0, Math.min(scroll, maxScroll(total, h)));
  const above = top > 0;
  let rows = h - (above ? 1 : 0);
  const below = top + rows < total;
  if (below) rows -= 1;
  return { top, rows, above, below };
}

/** The last scroll position: the end of the text fills the view (with the "above" mark). */
export function maxScroll(total: number, height: number): number {
  return total <= height ? 0 : total - (height - 1);
}
