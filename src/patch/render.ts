// A placement rendered as the kernel patch it implies: a commit message in kernel style
// and a unified diff with one hunk per hooked function (git apply --stat parses it).
// Pure: no I/O. Text from files must be sanitized by the caller; names are also
// reduced to a safe character set here, since they end up in a mail header.
import { ARCHES, type ArchId, type KernelId, type SiteId, type WorkloadId } from '../sim/model.js';
import type { Hook } from '../sim/types.js';
import { wrapWords } from '../text/wrap.js';
import { defaultsHunk, siteRender, type KernelHunk } from './kernel.js';

export interface PatchInput {
  level: { id: string; arch: ArchId; kernel: KernelId };
  hooks: readonly Hook[];
  /** the solution's author (untrusted) */
  author: string;
  /** the solution's name (untrusted) */
  name?: string;
  /** workloads that reached each placed site, for the body (from the engine) */
  reachedBy?: Partial<Record<SiteId, readonly WorkloadId[]>>;
  /** workloads that still fail, for the body */
  uncovered?: readonly WorkloadId[];
}

/** One rendered hunk, for reviews and tests. */
export interface RenderedHunk {
  file: string;
  function: string;
  /** the placed hook it belongs to (absent for the generic defaults) */
  site?: SiteId;
  oldStart: number;
  newStart: number;
  lines: string[];
}

export interface RenderedPatch {
  subject: string;
  /** the whole text: mail header, message, diffstat, diff */
  text: string;
  /** just the diff part */
  diff: string;
  hunks: RenderedHunk[];
}

const WIDTH = 72;

/** A name fit for a Signed-off-by line: letters, digits and a few marks, at most 60. */
export function safeName(s: string): string {
  const t = s.normalize('NFC').replace(/[^\p{L}\p{M}\p{N} .,'_-]/gu, ' ').replace(/\s+/g, ' ').trim();
  return [...t].slice(0, 60).join('').trim();
}

/** The author as "Name <mail>": an address given in the field is kept, else one under .invalid. */
export function signoff(author: string): string {
  const m = /^(.*?)\s*<([A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24})>\s*$/.exec(author);
  const name = safeName(m ? m[1] : author) || 'pvlab player';
  const mail = m ? m[2] : `${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '') || 'player'}@pvlab.invalid`;
  return `${name} <${mail}>`;
}

/** Commit-message prose: white space collapsed, continuation lines indented, a word never broken. */
function wrap(text: string, width = WIDTH, indent = ''): string[] {
  const words = text.split(/\s+/).filter(Boolean).join(' ');
  return words ? wrapWords(words, width, indent, { long: 'keep' }) : [];
}

/**
 * A commit-message line git would read as something else: `git am` (mailinfo) ends the
 * message at a line starting with "---" and takes "diff -", "Index: " and a diff header
 * for the start of the patch, so whatever follows (the Signed-off-by) is lost; "From " opens
 * a new mail in an mbox.
 */
const GIT_MARKER = /^(---|diff -|Index: |\+\+\+ |@@ |From )/;

/**
 * Body lines of which git reads none as a marker: such a line takes the last word of the
 * line before it (a paragraph's wrap point moves), or, where that does not help, starts
 * with a space.
 */
export function gitSafeBody(lines: readonly string[], width = WIDTH): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const prev = out.length ? out[out.length - 1] : '';
    const cut = prev.lastIndexOf(' ');
    if (!GIT_MARKER.test(l)) out.push(l);
    else if (cut > 0 && !GIT_MARKER.test(prev.slice(cut + 1)) && l.length + prev.length - cut <= width) {
      out[out.length - 1] = prev.slice(0, cut);
      out.push(`${prev.slice(cut + 1)} ${l}`);
    } else out.push(` ${l}`);
  }
  return out;
}

function whenWords(h: Hook): string {
  if (h.site === 'gup_fast' || h.site === 'gup_slow') {
    switch (h.when ?? 'pin') {
      case 'pin': return 'for FOLL_PIN callers only';
      case 'get': return 'for FOLL_GET callers only';
      default: return 'for every caller, FOLL_GET and FOLL_PIN';
    }
  }
  if (h.site === 'ptep_clear') return h.when === 'live' ? 'exporting while the VM lives, destroying at teardown' : 'on every clear of a present PTE';
  return '';
}

/** Subject prefix: mm parts folded ("mm/gup/writeback"), at most two groups, else "mm". */
function subjectPrefix(prefixes: readonly string[]): string {
  const mm = prefixes.filter((p) => p.startsWith('mm/')).map((p) => p.slice(3));
  const groups: string[] = [];
  const seen = new Set<string>();
  for (const p of prefixes) {
    const g = p.startsWith('mm/') ? `mm/${[...new Set(mm)].join('/')}` : p;
    if (!seen.has(g)) { seen.add(g); groups.push(g); }
  }
  return groups.length <= 2 ? groups.join(', ') : 'mm';
}

function subjectText(hooks: readonly Hook[], arch: ArchId): string {
  const onlyArch = hooks.length > 0 && hooks.every((h) => h.site === 'ptep_clear');
  if (onlyArch && arch === 's390-pv') {
    return hooks[0].when === 'live' ? 'export secure pages on unmap, destroy them at teardown' : 'export secure pages when their PTE is cleared';
  }
  return ARCHES[arch].canExport ? 'make inaccessible pages accessible before I/O' : 'refuse host access to private guest pages';
}

function hunkLines(k: KernelHunk): { lines: string[]; oldCount: number; newCount: number } {
  const lines: string[] = [];
  const ctx = (l: string) => lines.push(` ${l}`);
  const add = (l: string) => lines.push(`+${l}`);
  k.signature.forEach(ctx);
  if (k.function) ctx('{');
  (k.declare ?? []).forEach(add);
  k.before.forEach(ctx);
  k.added.forEach(add);
  k.after.forEach(ctx);
  const adds = lines.filter((l) => l.startsWith('+')).length;
  return { lines, oldCount: lines.length - adds, newCount: lines.length };
}

/** The hunks of a placement, by file (sorted) and line. */
export function placementHunks(level: PatchInput['level'], hooks: readonly Hook[]): { hunks: (KernelHunk & { site?: SiteId })[]; prefixes: string[] } {
  const hunks: (KernelHunk & { site?: SiteId })[] = [];
  const prefixes: string[] = [];
  const helpers = new Set<'page' | 'folio'>();
  for (const h of hooks) {
    const r = siteRender(h.site, level.kernel, level.arch, h.when);
    if (!r) continue;
    prefixes.push(r.prefix);
    if (r.helper !== 'none') helpers.add(r.helper);
    for (const k of r.hunks) hunks.push({ ...k, site: h.site });
  }
  const d = defaultsHunk(level.kernel, helpers);
  if (d) hunks.push(d);
  hunks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { hunks, prefixes };
}

/** The functions a placement's hunks call, with the number of placed hooks that call each. */
function callsOf(level: PatchInput['level'], hooks: readonly Hook[]): Map<string, number> {
  const calls = new Map<string, number>();
  for (const h of hooks) {
    const r = siteRender(h.site, level.kernel, level.arch, h.when);
    if (!r) continue;
    const names = new Set<string>();
    for (const k of r.hunks) for (const l of k.added) for (const m of l.matchAll(/\b(arch_make_(?:page|folio)_accessible|uv_convert\w*|uv_destroy\w*)\(/g)) names.add(m[1]);
    for (const n of names) calls.set(n, (calls.get(n) ?? 0) + 1);
  }
  return calls;
}

/** "Call f() in one place" as the diff does it: the functions the hunks really call. */
function callsSentence(level: PatchInput['level'], hooks: readonly Hook[]): string {
  const places = (n: number) => (n === 1 ? 'one place' : `${n} places`);
  const parts = [...callsOf(level, hooks)].map(([fn, n]) => `${fn}() in ${places(n)}`);
  return parts.length ? `Call ${parts.join(', ')}` : `Change ${places(hooks.length)}`;
}

export function renderPatch(input: PatchInput): RenderedPatch {
  const { level, hooks } = input;
  const { hunks, prefixes } = placementHunks(level, hooks);
  const from = signoff(input.author);
  const arch = ARCHES[level.arch];
  const subject = hooks.length
    ? `${subjectPrefix(prefixes)}: ${subjectText(hooks, level.arch)}`
    : 'mm: no arch_make_page_accessible() calls (empty placement)';

  // ---- the message ----
  const body: string[] = [];
  const para = (s: string) => { body.push(...wrap(s), ''); };
  para(arch.canExport
    ? `On ${arch.title}, a guest page stays ${arch.privateName} until the host asks for it to be exported; the CPU may touch a ${arch.privateName} page (the fault handler exports it), a device may not. Every path that hands a page to a device must make it accessible first, after the page is marked busy.`
    : `On ${arch.title}, a private guest page cannot be made accessible without the guest. Where the host would touch one, the only safe answer is a clean refusal, at a place whose caller can take an error.`);
  if (hooks.length) {
    body.push(...wrap(`${callsSentence(level, hooks)}:`), '');
    for (const h of hooks) {
      const r = siteRender(h.site, level.kernel, level.arch, h.when);
      if (!r) continue;
      const fns = r.hunks.map((k) => k.function).join(' and ');
      const reached = input.reachedBy?.[h.site];
      const by = reached === undefined ? '' : reached.length ? ` Reached by ${reached.join(', ')} in the pvlab run.` : ' Not reached by any workload of the pvlab run.';
      const w = whenWords(h);
      body.push(...wrap(`- ${fns} (${r.hunks[0].file})${w ? `, ${w}` : ''}: ${r.why}.${by}`, WIDTH, '  '));
    }
    body.push('');
  } else {
    para('This placement adds no call at all.');
  }
  if (input.uncovered?.length) para(`Not covered: ${input.uncovered.join(', ')} (still ${input.uncovered.length === 1 ? 'fails' : 'fail'} in the pvlab run).`);
  const name = input.name ? safeName(input.name) : '';
  para(`Rendered by pvlab from the placement${name ? ` "${name}"` : ''} for level ${level.id} (${level.arch}, Linux ${level.kernel}). The context lines are sketches, not kernel code.`);
  body.push(`Signed-off-by: ${from}`);

  // ---- the diff ----
  const diff: string[] = [];
  const rendered: RenderedHunk[] = [];
  const files = [...new Set(hunks.map((h) => h.file))];
  const stat: { file: string; adds: number }[] = [];
  for (const file of files) {
    diff.push(`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`);
    let delta = 0, adds = 0;
    for (const k of hunks.filter((h) => h.file === file)) {
      const { lines, oldCount, newCount } = hunkLines(k);
      const newStart = k.line + delta;
      // like `git diff -p`: the hunk header names the function (or the line) the hunk sits in
      const where = k.function ? k.signature[0] : '';
      diff.push(`@@ -${k.line},${oldCount} +${newStart},${newCount} @@${where ? ` ${where}` : ''}`, ...lines);
      rendered.push({ file, function: k.function, ...(k.site ? { site: k.site } : {}), oldStart: k.line, newStart, lines });
      delta += newCount - oldCount;
      adds += newCount - oldCount;
    }
    stat.push({ file, adds });
  }
  const total = stat.reduce((a, s) => a + s.adds, 0);
  const width = Math.max(...stat.map((s) => s.file.length), 0);
  const statLines = [
    ...stat.map((s) => ` ${s.file.padEnd(width)} | ${String(s.adds).padStart(3)} ${'+'.repeat(Math.min(s.adds, 40))}`),
    ` ${files.length} file${files.length === 1 ? '' : 's'} changed, ${total} insertion${total === 1 ? '' : 's'}(+)`,
  ];
  const head = [`From: ${from}`, `Subject: [PATCH] ${subject}`, '', ...gitSafeBody(body), '---', ...(files.length ? statLines : [' no changes']), ''];
  const diffText = diff.length ? diff.join('\n') + '\n' : '';
  return { subject, text: head.join('\n') + '\n' + diffText, diff: diffText, hunks: rendered };
}
