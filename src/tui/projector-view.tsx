// The projector: one level of the workshop board a screen, for a room. Large type is not
// the terminal's to give, so it is made of contrast and space: bold, no dim colours, a
// blank line between rows when they fit, aligned columns (table.ts: every column one width
// over all the level's rows), stars and par, j/k scrolling with "N more", the level's
// place in the cycle and the countdown to the round's deadline. A sealed board's names
// and hook sets are not in the state at all until the trainer reveals them (workshop.ts).
import { Box, Text } from 'ink';
import { METRIC_LABELS, type BoardMetric } from '../workshop/columns.js';
import type { LevelBoard, RankedEntry } from '../workshop/rank.js';
import { sanitizeLine } from '../io/sanitize.js';
import { num } from './layout.js';
import { CYCLE_MS, projectorRows } from './projector-screen.js';
import type { State } from './state.js';
import { countdown, layoutTable, windowOf, type Column } from './table.js';
import type { ViewProps } from './view-props.js';
import { isMine, nameOf } from './workshop-view.js';

const rankOf = (e: RankedEntry) => e.outside ?? `${e.tied ? '=' : ''}${e.rank}`;
const starsOf = (e: RankedEntry) => (e.passed ? `${'★'.repeat(e.stars)}${'☆'.repeat(3 - e.stars)}` : `FAIL ${e.failedSeeds}/${e.seeds}`);

/** The level's par in its stated order: "cost 11763.2, hooks 1" (none: the level has no par). */
export function parLine(b: Pick<LevelBoard, 'par' | 'metrics'>): string {
  const par = Object.entries(b.par ?? {}).filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${METRIC_LABELS[k as BoardMetric] ?? k} ${num(v as number)}`).join(', ');
  return `${par ? `par: ${par}` : 'no par'} · ranked by stars, then ${b.metrics.map((k) => METRIC_LABELS[k]).join(', ')}`;
}

/** The round's countdown, or nothing (no deadline, or the clock has not ticked yet). */
export function deadlineText(s: State): string {
  const w = s.workshop;
  const until = w?.board?.round?.until;
  return until !== undefined && w?.now != null ? countdown(until, w.now) : '';
}

/** The projector's columns over every entry of a level (a failing row's figures are '-': a run that broke is not cheap). */
export function projectorColumns(s: State, lb: LevelBoard): Column[] {
  const es = lb.entries;
  const metrics: Column[] = lb.metrics.map((k) => ({
    head: METRIC_LABELS[k], align: 'right', optional: true,
    cells: es.map((e) => (e.passed ? num(e.metrics[k]) : '-')),
  }));
  return [
    { head: ' ', align: 'left', cells: es.map((e) => (isMine(s, e) ? '◆' : ' ')) },
    { head: '#', align: 'left', cells: es.map(rankOf) },
    { head: 'player', align: 'left', min: 6, max: 22, cells: es.map((e) => sanitizeLine(e.player)) },
    { head: '!', align: 'left', optional: true, cells: es.map((e) => `${e.authorDiffers ? 'A' : ''}${e.lookalike ? 'L' : ''}`) },
    { head: 'solution', align: 'left', min: 8, max: 28, cells: es.map(nameOf) },
    { head: 'stars', align: 'left', cells: es.map(starsOf) },
    ...metrics,
    { head: 'P', align: 'left', optional: true, cells: es.map((e) => (e.pareto ? 'P' : ' ')) },
  ];
}

export function ProjectorView({ s, width, height }: ViewProps) {
  const w = s.workshop;
  const b = w?.board;
  const inner = width - 2;
  if (!w || !b) return <Box paddingX={1}><Text bold>{w?.error ? `✗ ${sanitizeLine(w.error)}` : 'reading the folder…'}</Text></Box>;
  const lb = b.levels[w.level];
  const n = b.levels.length;
  const cycle = n < 2 ? '' : w.cycle
    ? ` · next level in ${w.cycleAt !== null && w.now !== null ? Math.max(0, Math.ceil((w.cycleAt - w.now) / 1000)) : CYCLE_MS / 1000} s (c stops)`
    : ' · cycling paused (c)';
  const title = `${lb ? sanitizeLine(lb.title ?? lb.level) : 'no solutions ranked'} · ${n ? w.level + 1 : 0}/${n}${cycle}`;
  const clock = deadlineText(s);
  const sub = [lb ? parLine(lb) : '', clock, b.hidden ? 'sealed: names hidden' : ''].filter(Boolean).join(' · ');
  if (!lb) {
    return (
      <Box flexDirection="column" width={width} paddingX={1}>
        <Text bold inverse wrap="truncate">{` ${title} `}</Text>
        <Text bold wrap="truncate">{sub}</Text>
      </Box>
    );
  }
  const table = layoutTable(projectorColumns(s, lb), inner, 3);
  const { rows, spaced } = projectorRows(height, lb.entries.length);
  const win = windowOf(lb.entries.map((e, i) => ({ e, line: table.rows[i]! })), w.scroll, rows);
  const more = [win.above ? `↑ ${win.above} above` : '', win.below ? `↓ ${win.below} more (j/k)` : ''].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      <Text bold inverse wrap="truncate">{` ${title} `}</Text>
      <Text bold wrap="truncate">{sub}</Text>
      <Text> </Text>
      <Text bold underline wrap="truncate">{table.head}</Text>
      {win.shown.map(({ e, line }, i) => (
        <Box key={e.file} flexDirection="column">
          <Text bold inverse={isMine(s, e)} wrap="truncate">{line}</Text>
          {spaced && i < win.shown.length - 1 ? <Text> </Text> : null}
        </Box>
      ))}
      <Text bold wrap="truncate">{more || ' '}</Text>
    </Box>
  );
}
