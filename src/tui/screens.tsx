// The list and form screens: menu, level select, briefing, sandbox, my solutions, import,
// settings. Views only: they render state and never dispatch by themselves.
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { sanitize, sanitizeLine } from '../io/sanitize.js';
import { ARCHES, ARCH_IDS, DEVICE_IDS, KERNEL_IDS, SITES, WORKLOADS, WORKLOAD_IDS, type SiteId } from '../sim/model.js';
import { PAR_METRICS } from '../sim/verify.js';
import type { Level } from '../io/schema.js';
import {
  MENU_ITEMS, SANDBOX_FIELDS, colorOn, SANDBOX_PAGES, SETTINGS_ITEMS, continueTarget, isSolved, isUnlocked,
  type State,
} from './state.js';
import { ENTRY } from './graph.js';
import { T, num, stars } from './theme.js';

export interface ViewProps {
  s: State;
  width: number;
  height: number;
}

/** A list row: '›' and inverse for the cursor, so it reads without colour. */
export function Row({ on, children }: { on: boolean; children: string }) {
  return (
    <Text inverse={on} wrap="truncate">
      {on ? '› ' : '  '}
      {children}
    </Text>
  );
}

/** Window of `height` rows around the cursor. */
export function windowOf<X>(items: readonly X[], cursor: number, height: number): { start: number; items: X[] } {
  const h = Math.max(1, height);
  const start = Math.max(0, Math.min(cursor - Math.floor(h / 2), items.length - h));
  return { start, items: items.slice(start, start + h) };
}

export function Menu({ s }: ViewProps) {
  const solved = s.campaign.filter((l) => isSolved(s, l.id)).length;
  const cont = s.campaign.length ? s.campaign[continueTarget(s)] : null;
  const side: Record<string, string> = {
    continue: cont ? `${cont.id}: ${sanitizeLine(cont.title)}` : 'no levels',
    campaign: `${solved}/${s.campaign.length} levels solved`,
    sandbox: 'any arch, kernel, device and workloads',
    solutions: `saved in ${s.settings.savesDir}`,
    import: 'load a solution someone shared',
    settings: `colour ${colorOn(s) ? 'on' : 'off'}, animation ${s.settings.animation}`,
    help: 'every key, and how the game works',
    quit: '',
  };
  return (
    <Box flexDirection="column" paddingX={1}>
      <T role="title" bold>pvlab</T>
      <Text wrap="wrap">
        Place arch_make_page_accessible() hooks in a simulated Linux mm so that no device ever touches a
        protected guest page, without paying for encryption no I/O needed.
      </Text>
      <Text> </Text>
      {MENU_ITEMS.map((m, i) => (
        <Box key={m.id}>
          <Box width={24}><Row on={s.cursor.menu === i}>{m.label}</Row></Box>
          <T role="dim" wrap="truncate">{side[m.id]}</T>
        </Box>
      ))}
    </Box>
  );
}

function levelMark(s: State, i: number): string {
  const lv = s.campaign[i];
  if (isSolved(s, lv.id)) return '✓ solved';
  return isUnlocked(s, i) ? '• open  ' : '× locked';
}

export function Levels({ s, width, height }: ViewProps) {
  if (!s.campaign.length) return <Text>No levels found.</Text>;
  type Line = { chapter: string } | { i: number };
  const lines: Line[] = [];
  let ch = -1;
  s.campaign.forEach((lv, i) => {
    if (lv.chapter !== ch) {
      ch = lv.chapter;
      lines.push({ chapter: `Chapter ${ch}${lv.chapterTitle ? `: ${sanitizeLine(lv.chapterTitle)}` : ''}` });
    }
    lines.push({ i });
  });
  const cursorLine = lines.findIndex((l) => 'i' in l && l.i === s.cursor.levels);
  const listW = Math.min(58, Math.floor(width * 0.62));
  const win = windowOf(lines, cursorLine, height);
  const lv = s.campaign[s.cursor.levels];
  const p = s.progress.levels[lv.id];
  return (
    <Box>
      <Box flexDirection="column" width={listW}>
        {win.items.map((l, k) =>
          'chapter' in l ? (
            <T key={`c${k}`} role="title" bold wrap="truncate">{l.chapter}</T>
          ) : (
            <Row key={l.i} on={l.i === s.cursor.levels}>
              {`${levelMark(s, l.i)}  ${sanitizeLine(s.campaign[l.i].title)}${s.campaign[l.i].optional ? ' (optional)' : ''}${isSolved(s, s.campaign[l.i].id) ? '  ' + stars(s.progress.levels[s.campaign[l.i].id]?.stars ?? 0) : ''}`}
            </Row>
          ),
        )}
      </Box>
      <Box flexDirection="column" width={width - listW - 1} marginLeft={1}>
        <T bold wrap="truncate">{sanitizeLine(lv.title)}</T>
        <T role="dim" wrap="truncate">{lv.id}</T>
        <Text wrap="truncate">{`${lv.arch} · kernel ${lv.kernel} · ${lv.device}`}</Text>
        <Text wrap="wrap">{`workloads: ${lv.workloads.map((w) => ENTRY[w.kind]).join(', ')}`}</Text>
        <Text> </Text>
        {!isUnlocked(s, s.cursor.levels) ? <T role="warn">× locked: solve the level before it</T> : null}
        <T bold>Best</T>
        {p?.solved ? (
          <>
            <Text>{`${stars(p.stars)}  ${p.stars}/3 stars`}</Text>
            {PAR_METRICS.map((k) => (p.best[k] === undefined ? null : (
              <Text key={k} wrap="truncate">{`${k.padEnd(14)}${num(p.best[k]!).padStart(8)}${lv.par[k] !== undefined ? `  par ${num(lv.par[k]!)}` : ''}`}</Text>
            )))}
          </>
        ) : (
          <T role="dim">not solved yet</T>
        )}
        {p?.hints ? <T role="dim">{`hints used: ${p.hints}`}</T> : null}
      </Box>
    </Box>
  );
}

/** Rough height of a wrapped text (for "more below" marks). */
function linesOf(text: string, width: number): number {
  // word wrapping leaves lines short: count them a bit wider than they are
  return text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / Math.max(1, width * 0.85))), 0);
}

export function Briefing({ s, width, height }: ViewProps) {
  const lv = s.level!;
  const w = width - 2;
  // blocks of text, scrolled a block at a time; each knows its rough height
  const blocks: { el: ReactElement; h: number }[] = [];
  const add = (el: ReactElement, text: string) => blocks.push({ el, h: linesOf(text, w) });
  const machine = `${ARCHES[lv.arch].title} · kernel ${lv.kernel} · ${lv.device === 'ccw' ? 'CCW channel I/O' : 'PCI (DMA API)'} · ${lv.guest.pages} pages (${Math.round(lv.guest.shared * 100)}% shared)`;
  add(<T key="t" bold role="title" wrap="truncate">{sanitizeLine(lv.title)}</T>, 'x');
  add(<Text key="m" wrap="wrap">{machine}</Text>, machine);
  sanitize(lv.briefing).split(/\n\s*\n/).forEach((para, i) => {
    add(<Box key={`b${i}`} marginTop={1}><Text wrap="wrap">{para.trim()}</Text></Box>, `\n${para.trim()}`);
  });
  if (lv.objectives?.length) {
    add(<Box key="oh" marginTop={1}><T bold>Objectives</T></Box>, '\nx');
    lv.objectives.forEach((o, i) => { const t = `  • ${sanitizeLine(o)}`; add(<Text key={`o${i}`} wrap="wrap">{t}</Text>, t); });
  }
  add(<T key="wh" bold>Workloads</T>, 'x');
  lv.workloads.forEach((wl, i) =>
    add(<Text key={`w${i}`} wrap="truncate">{`  ${ENTRY[wl.kind].padEnd(10)} ${WORKLOADS[wl.kind].title}`}</Text>, 'x'));
  const sites = `Hook sites offered: ${lv.sites.join(', ')}`;
  add(<Text key="sites" wrap="wrap">{sites}</Text>, sites);
  if (Object.keys(lv.par).length) {
    const par = `Par: ${Object.entries(lv.par).map(([k, v]) => `${k} ${num(v as number)}`).join(', ')}`;
    add(<Text key="par" wrap="wrap">{par}</Text>, par);
  }
  add(<Box key="hh" marginTop={1}><T bold>{`Hints ${s.hintsShown}/${lv.hints.length}${s.hintsShown < lv.hints.length ? '  (h: next hint)' : ''}`}</T></Box>, '\nx');
  const hintText = (i: number) => `  ${i + 1}. ${sanitizeLine(lv.hints[i])}`;
  for (let i = 0; i < s.hintsShown; i++) add(<Text key={`h${i}`} wrap="wrap">{hintText(i)}</Text>, hintText(i));
  const scroll = Math.min(s.briefingScroll, blocks.length - 1);
  const shown = blocks.slice(scroll);
  const fits = (room: number) => {
    let used = 0, n = 0;
    while (n < shown.length && used + shown[n].h <= room) used += shown[n++].h;
    return n;
  };
  const room = height - (scroll > 0 ? 1 : 0);
  let fit = fits(room);
  const more = fit < shown.length;
  // the hint just asked for stays in view: pinned under the text when it does not fit
  const latest = s.hintsShown > 0 ? hintText(s.hintsShown - 1) : null;
  const pin = more && latest !== null;
  if (more) fit = fits(room - 1 - (pin ? linesOf(latest!, w) + 1 : 0));
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      {scroll > 0 ? <T role="dim">{`↑ ${scroll} more above (k)`}</T> : null}
      {shown.slice(0, more ? fit : shown.length).map((b) => b.el)}
      {more ? <T role="accent">{`↓ more below (j)${s.hintsShown < lv.hints.length ? ' · h: next hint' : ''}`}</T> : null}
      {pin ? (
        <Box flexDirection="column" marginTop={1}>
          <T bold role="accent">{`Hint ${s.hintsShown}/${lv.hints.length}`}</T>
          <Text wrap="wrap">{latest}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

export function Sandbox({ s, width }: ViewProps) {
  const sb = s.sandbox;
  const val = (f: (typeof SANDBOX_FIELDS)[number]): string => {
    switch (f) {
      case 'arch': return ARCH_IDS.map((a) => (a === sb.arch ? `[${a}]` : a)).join(' ');
      case 'kernel': return KERNEL_IDS.map((a) => (a === sb.kernel ? `[${a}]` : a)).join(' ');
      case 'device': return DEVICE_IDS.map((a) => (a === sb.device ? `[${a}]` : a)).join(' ');
      case 'pages': return SANDBOX_PAGES.map((a) => (a === sb.pages ? `[${a}]` : String(a))).join(' ');
      case 'workloads': return `${sb.workloads.length} chosen`;
    }
  };
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <T bold role="title">Sandbox: your own machine</T>
      <Text wrap="wrap">Choose with ←/→, add or drop workloads with space, enter opens the board (every site offered).</Text>
      <Text> </Text>
      {SANDBOX_FIELDS.map((f, i) => (
        <Box key={f}>
          <Box width={13}><Row on={sb.field === i}>{f}</Row></Box>
          <Text wrap="truncate">{val(f)}</Text>
        </Box>
      ))}
      <Text> </Text>
      {WORKLOAD_IDS.map((w, i) => {
        const on = sb.workloads.includes(w);
        const cur = sb.field === SANDBOX_FIELDS.indexOf('workloads') && sb.wcursor === i;
        return (
          <Text key={w} inverse={cur} wrap="truncate">
            {`${cur ? '›' : ' '} [${on ? 'x' : ' '}] ${w.padEnd(17)} ${WORKLOADS[w].title}`}
          </Text>
        );
      })}
      <T role="dim" wrap="truncate">{ARCHES[sb.arch].title}</T>
    </Box>
  );
}

export function Solutions({ s, height }: ViewProps) {
  if (!s.solutions.length) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <T bold>My solutions</T>
        <Text>{`No saved solutions yet in ${s.settings.savesDir}. Pass a level and press s on its results.`}</Text>
      </Box>
    );
  }
  const win = windowOf(s.solutions, s.cursor.solutions, height - 2);
  return (
    <Box flexDirection="column" paddingX={1}>
      <T bold>{`My solutions (${s.solutions.length})  enter opens one on its board`}</T>
      {win.items.map((e, k) => {
        const i = win.start + k;
        const hooks = e.hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).join(', ') || '(no hooks)';
        const cost = e.metrics?.cost !== undefined ? `  cost ${num(e.metrics.cost)}` : '';
        return <Row key={`${e.file}${i}`} on={i === s.cursor.solutions}>{`${e.level.padEnd(20)} ${sanitizeLine(e.name).padEnd(22)} ${hooks}${cost}`}</Row>;
      })}
    </Box>
  );
}

export function Import({ s, width }: ViewProps) {
  const v = s.text?.purpose === 'importCode' ? s.text.value : '';
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <T bold>Import a share code</T>
      <Text wrap="wrap">Paste the code (one line) and press enter. The solution opens on its level's board; hooks the level does not offer are dropped and listed.</Text>
      <Text> </Text>
      {s.text ? (
        <Text wrap="wrap">{`code: ${v}█`}</Text>
      ) : (
        <T role="dim">enter: paste a code</T>
      )}
    </Box>
  );
}

const SETTING_LABEL: Record<(typeof SETTINGS_ITEMS)[number], string> = {
  color: 'Colour', animation: 'Animate runs', playerName: 'Player name', savesDir: 'Saves folder', workshopDir: 'Workshop folder',
};

export function SettingsView({ s }: ViewProps) {
  const st = s.settings;
  const value = (k: (typeof SETTINGS_ITEMS)[number]): string => {
    if (k === 'color') {
      const why = s.noColorFlag ? ' (off now: --no-color)' : s.forceNoColor && st.color === 'auto' ? ' (off now: NO_COLOR is set)' : '';
      return `${st.color}${why}`;
    }
    if (k === 'animation') return { full: 'full', reduced: 'reduced (fewer, bigger frames)', off: 'off (a run jumps to its end)' }[st.animation];
    return st[k] || '(not set)';
  };
  return (
    <Box flexDirection="column" paddingX={1}>
      <T bold>Settings</T>
      <Text> </Text>
      {SETTINGS_ITEMS.map((k, i) => (
        <Box key={k}>
          <Box width={20}><Row on={s.cursor.settings === i}>{SETTING_LABEL[k]}</Row></Box>
          <Text wrap="truncate">{s.text && s.text.purpose === k ? `${s.text.value}█` : value(k)}</Text>
        </Box>
      ))}
    </Box>
  );
}

export function levelTitle(lv: Level | null): string {
  return lv ? sanitizeLine(lv.title) : '';
}
