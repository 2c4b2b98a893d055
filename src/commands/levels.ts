// `pvlab levels`: the campaign in order.
import { loadCampaign } from '../io/files.js';
import { sanitizeLine, terminalSafeJson } from '../io/sanitize.js';
import { openStore } from '../io/settings.js';
import { fmtNum } from '../io/format.js';

export interface LevelsOptions { json?: boolean }

export function levelsCommand(o: LevelsOptions): number {
  const all = loadCampaign();
  const progress = openStore().progress().levels;
  if (o.json) {
    const out = all.map(({ level: l }) => ({
      id: l.id, title: l.title, chapter: l.chapter, arch: l.arch, kernel: l.kernel, device: l.device,
      workloads: l.workloads.map((w) => w.kind), sites: l.sites,
      kind: l.kind ?? 'placement', optional: l.optional === true,
      progress: progress[l.id] ?? null,
    }));
    process.stdout.write(terminalSafeJson({ levels: out }) + '\n');
    return 0;
  }
  const lines: string[] = [];
  let chapter = -1;
  for (const { level: l } of all) {
    if (l.chapter !== chapter) {
      chapter = l.chapter;
      lines.push(`Chapter ${chapter}${l.chapterTitle ? `: ${sanitizeLine(l.chapterTitle)}` : ''}`);
    }
    const p = progress[l.id];
    const mark = p?.solved ? `[x] ${'*'.repeat(p.stars)}${'.'.repeat(3 - p.stars)}` : '[ ]    ';
    const best = p?.best.cost !== undefined ? `  best cost ${fmtNum(p.best.cost)}` : '';
    const title = `${sanitizeLine(l.title)}${l.optional ? ' (optional)' : ''}`;
    lines.push(`  ${mark} ${l.id.padEnd(28)} ${title.padEnd(48)} ${l.arch} ${l.kernel} ${l.device}${best}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
