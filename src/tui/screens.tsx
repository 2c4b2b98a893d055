// The list and form screens: menu, level select, briefing, sandbox, my solutions, import,
// settings. Views only: they render state and never dispatch by themselves.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import { ARCHES, ARCH_IDS, DEVICE_IDS, KERNEL_IDS, WORKLOADS, WORKLOAD_IDS } from '../sim/model.js';
import { PAR_METRICS } from '../sim/verify.js';
import type { Level } from '../io/schema.js';
import {
  MENU_ITEMS, SANDBOX_FIELDS, colorOn, SANDBOX_PAGES, SETTINGS_ITEMS, continueTarget, isSolved, isUnlocked, sandboxLevel,
  type State,
} from './state.js';
import { ENTRY } from './graph.js';
import { briefingLines, count, machineLine, machineTitle, parOpen, scrollWindow, wrapWords } from './layout.js';
import { T, num, stars } from './theme.js';
import type { ViewProps } from './view-props.js';
import { INDICATOR_W, SelectList } from './list.js';

export type { ViewProps } from './view-props.js';

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
    practice: 'levels generated on demand: easy, hard, expert',
    daily: "today's level (UTC): the whole room plays the same one",
    sandbox: 'any arch, kernel, device and workloads',
    solutions: `saved in ${s.settings.savesDir}`,
    import: 'load a solution someone shared',
    workshop: s.settings.workshopDir ? `everyone's solutions in ${s.settings.workshopDir}` : 'set a workshop folder in Settings first',
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
      <SelectList entries={MENU_ITEMS.map((m) => ({ key: m.id, label: m.label, side: side[m.id] }))} cursor={s.cursor.menu} labelWidth={24 - INDICATOR_W} />
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
  // a row holds the mark, the stars and the longest title (a challenge's, with "(optional)")
  // at 100 columns; narrower, the title's end is cut, never the stars (they come first)
  const listW = Math.min(62, Math.floor(width * 0.62));
  const win = windowOf(lines, cursorLine, height);
  const lv = s.campaign[s.cursor.levels];
  const p = s.progress.levels[lv.id];
  return (
    <Box>
      <Box flexDirection="column" width={listW}>
        <SelectList
          cursor={win.items.findIndex((l) => 'i' in l && l.i === s.cursor.levels)}
          entries={win.items.map((l, k) => ('chapter' in l
            ? { key: `c${k}:${l.chapter}`, label: l.chapter, heading: true }
            : { key: `l${l.i}`, label: `${levelMark(s, l.i)} ${isSolved(s, s.campaign[l.i].id) ? stars(s.progress.levels[s.campaign[l.i].id]?.stars ?? 0) : '   '}  ${sanitizeLine(s.campaign[l.i].title)}${s.campaign[l.i].optional ? ' (optional)' : ''}` }))}
        />
      </Box>
      <Box flexDirection="column" width={width - listW - 1} marginLeft={1}>
        <T bold wrap="truncate">{sanitizeLine(lv.title)}</T>
        <T role="dim" wrap="truncate">{lv.id}</T>
        <Text wrap="truncate">{`${lv.arch} · ${machineTitle(lv).kernel} · ${lv.device}`}</Text>
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

export function Briefing({ s, width, height }: ViewProps) {
  const lv = s.level!;
  // the same lines the reducer bounds the scrolling with (layout.ts)
  const lines = briefingLines(lv, s.hintsShown, width, parOpen(lv, s.progress.levels[lv.id]));
  const win = scrollWindow(lines.length, s.briefingScroll, height);
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      {win.above ? <T role="dim">{`↑ ${count(win.top, 'more line')} above (k)`}</T> : null}
      {lines.slice(win.top, win.top + win.rows).map((l, i) => (
        <T key={win.top + i} bold={!!l.bold} role={l.role ?? 'plain'}>{l.text || ' '}</T>
      ))}
      {win.below ? <T role="accent">{`↓ more below (j)${s.hintsShown < lv.hints.length ? ' · h: next hint' : ''}`}</T> : null}
    </Box>
  );
}

/** Width of the sandbox's label column (indicator and field name). */
const SANDBOX_LABEL_W = 13;

/** A picker's values, the chosen one in brackets. */
const picked = <T extends string | number>(values: readonly T[], cur: T): string =>
  values.map((a) => (a === cur ? `[${a}]` : String(a))).join(' ');

/** A machine picker: the values the arch ran with, and those it never did named apart. */
function choices<T extends string>(all: readonly T[], allowed: readonly T[], cur: T): string {
  const not = all.filter((a) => !allowed.includes(a));
  return not.length ? `${picked(allowed, cur)}   (not ${not.join(', ')} on this arch)` : picked(allowed, cur);
}

export function Sandbox({ s, width, height }: ViewProps) {
  const sb = s.sandbox;
  const val = (f: (typeof SANDBOX_FIELDS)[number]): string => {
    switch (f) {
      case 'arch': return picked(ARCH_IDS, sb.arch);
      case 'kernel': return choices(KERNEL_IDS, ARCHES[sb.arch].kernels, sb.kernel);
      case 'device': return choices(DEVICE_IDS, ARCHES[sb.arch].devices, sb.device);
      case 'pages': return picked(SANDBOX_PAGES, sb.pages);
      case 'workloads': return `${sb.workloads.length} chosen`;
    }
  };
  // the machine as a level's briefing names it (arch title, kernel, device), under the pickers
  const inner = width - 2;
  const machine = wrapWords(`${' '.repeat(INDICATOR_W)}${'machine'.padEnd(SANDBOX_LABEL_W - INDICATOR_W)}${machineLine(sandboxLevel(sb))}`, inner, ' '.repeat(SANDBOX_LABEL_W));
  // the workloads take what room is left (a window around the cursor on a short terminal)
  const onWorkloads = sb.field === SANDBOX_FIELDS.indexOf('workloads');
  const win = windowOf(WORKLOAD_IDS, sb.wcursor, height - (3 + SANDBOX_FIELDS.length + machine.length));
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <T bold role="title" wrap="truncate">Sandbox: your own machine, every hook site offered</T>
      <Text> </Text>
      <SelectList entries={SANDBOX_FIELDS.map((f) => ({ key: f, label: f, side: val(f), sideRole: 'plain' }))} cursor={sb.field} labelWidth={SANDBOX_LABEL_W - INDICATOR_W} />
      <Text>{machine.join('\n')}</Text>
      <Text> </Text>
      <SelectList
        entries={win.items.map((w) => ({ key: w, label: `[${sb.workloads.includes(w) ? 'x' : ' '}] ${w.padEnd(17)} ${WORKLOADS[w].title}` }))}
        cursor={onWorkloads ? sb.wcursor - win.start : -1}
      />
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
      <SelectList
        cursor={s.cursor.solutions - win.start}
        entries={win.items.map((e, k) => {
          const hooks = e.hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).join(', ') || '(no hooks)';
          const cost = e.metrics?.cost !== undefined ? `  cost ${num(e.metrics.cost)}` : '';
          return { key: `${win.start + k}:${e.file}`, label: `${e.level.padEnd(20)} ${sanitizeLine(e.name).padEnd(22)} ${hooks}${cost}` };
        })}
      />
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
  color: 'Colour', animation: 'Animate runs', fog: 'Fog on the board', playerName: 'Player name', savesDir: 'Saves folder', workshopDir: 'Workshop folder',
};

export function SettingsView({ s }: ViewProps) {
  const st = s.settings;
  const value = (k: (typeof SETTINGS_ITEMS)[number]): string => {
    if (k === 'color') {
      const why = s.noColorFlag ? ' (off now: --no-color)' : s.forceNoColor && st.color === 'auto' ? ' (off now: NO_COLOR is set)' : '';
      return `${st.color}${why}`;
    }
    if (k === 'animation') return { full: 'full', reduced: 'reduced (fewer, bigger frames)', off: 'off (a run jumps to its end)' }[st.animation];
    if (k === 'fog') return { auto: 'auto (on for generated expert levels)', on: 'on (every level: a site shows once a run passed it)', off: 'off (every path shown)' }[st.fog ?? 'auto'];
    return st[k] || '(not set)';
  };
  return (
    <Box flexDirection="column" paddingX={1}>
      <T bold>Settings</T>
      <Text> </Text>
      <SelectList
        cursor={s.cursor.settings}
        labelWidth={20 - INDICATOR_W}
        entries={SETTINGS_ITEMS.map((k) => ({ key: k, label: SETTING_LABEL[k], sideRole: 'plain', side: s.text && s.text.purpose === k ? `${s.text.value}█` : value(k) }))}
      />
    </Box>
  );
}

export function levelTitle(lv: Level | null): string {
  return lv ? sanitizeLine(lv.title) : '';
}
