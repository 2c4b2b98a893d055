// The workshop board on screen: per level the ranking (ties share a rank, '='), the
// Pareto front (P), histograms of the metrics, the player's own solutions highlighted (◆),
// and the files that could not be ranked with their one-line reason. `v` switches to a
// projector screen (projector-view.tsx); `s` the standings. Data from workshop.ts (the board of io/leaderboard.ts).
import { resolve, sep } from 'node:path';
import { Box, Text } from 'ink';
import { BOARD_COLUMNS } from '../workshop/columns.js';
import type { RankedEntry } from '../workshop/rank.js';
import { sanitizeLine } from '../io/sanitize.js';
import { count, num, packItems, wrapWords } from './layout.js';
import type { ViewProps } from './view-props.js';
import type { State } from './state.js';
import { T } from './theme.js';

/** The narrowest a player or solution name column gets (longer names are cut with ~). */
const MIN_NAME_W = 8;

/** The game's board shows the first five columns of the CLI's table. */
const COLS = BOARD_COLUMNS.slice(0, 5);

/** A solution of the player: their name as author or folder, or a file in their saves folder. */
export function isMine(s: State, e: Pick<RankedEntry, 'player' | 'file'>): boolean {
  const name = sanitizeLine(s.settings.playerName).trim();
  if (name && e.player === name) return true;
  const saves = resolve(s.settings.savesDir) + sep;
  return resolve(e.file).startsWith(saves);
}

function cut(text: string, w: number): string {
  const t = [...text];
  return (t.length > w ? `${t.slice(0, Math.max(0, w - 1)).join('')}~` : text).padEnd(w);
}

/** Parts joined by ' · ' while they fit in `width` (the first always, cut if it must be). */
function fitParts(parts: readonly string[], width: number): string {
  const line = packItems(parts, width, ' · ', 1)[0]!;
  return [...line].length > width ? cut(line, width).trimEnd() : line;
}

/** The solution's name, crediting who shared it ("unmap (via ada)"); printable. */
export const nameOf = (e: Pick<RankedEntry, 'name' | 'via'>) => `${sanitizeLine(e.name)}${e.via ? ` (via ${sanitizeLine(e.via)})` : ''}`;

const rankLabel = (e: RankedEntry) => `${e.tied ? '=' : ''}${e.rank}`;
/** Trust marks (as on `pvlab board`): A = the author field names someone else than the folder, L = a look-alike name. */
const marks = (e: RankedEntry) => `${e.authorDiffers ? 'A' : ''}${e.lookalike ? 'L' : ''}`;
const result = (e: RankedEntry) => (e.passed ? `pass ${'★'.repeat(e.stars)}${'☆'.repeat(3 - e.stars)}` : `FAIL ${e.failedSeeds}/${e.seeds}`);

export function WorkshopScreen({ s, width, height }: ViewProps) {
  const w = s.workshop;
  if (!w) return <Text>No workshop board.</Text>;
  if (!w.dir) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <T bold>Workshop board</T>
        <Text wrap="wrap">No workshop folder is set. Choose one in Settings (Workshop folder): a folder of everyone's solution files, one sub-folder per player, for example a shared git checkout.</Text>
      </Box>
    );
  }
  const b = w.board;
  // the status line keeps what fits, most telling first: counts, refreshes, timing, folder
  const parts = w.error
    ? [`✗ ${w.error}`]
    : w.progress
      ? [`reading ${w.progress.done}/${w.progress.total} entries…`]
      : b
        ? [
          `${count(b.solutions, 'solution')} on ${count(b.levels.length, 'level')}${b.invalid.length ? ` · ${count(b.invalid.length, 'bad file')}` : ''}`,
          `refreshed ${count(w.updates, 'time')}`,
          ...(w.ms !== null ? [`${w.ms} ms, ${w.scored} scored, ${Math.max(0, b.solutions - w.scored)} cached`] : []),
        ]
        : ['reading the folder…'];
  const head = <T role={w.error ? 'bad' : 'dim'} wrap="truncate">{fitParts([...parts, sanitizeLine(w.dir)], width - 2)}</T>;
  if (!b) return <Box flexDirection="column" paddingX={1}>{head}</Box>;
  const lb = b.levels[w.level];
  const title = lb ? (s.campaign.find((l) => l.id === lb.level)?.title ?? lb.title) : undefined;
  const tab = lb ? `◀ ${lb.level}${title ? `: ${sanitizeLine(title)}` : ''} (${w.level + 1}/${b.levels.length}) ▶` : 'no solutions ranked';
  // a sealed board says so (its names and hook sets are not in this state at all), and what
  // could not be read of the workshop (a wrong key, a round file) is one line each
  const notes = [
    ...(b.hidden ? [`sealed: solution names and hook sets hidden${b.canReveal ? ' (R reveals them)' : " until the trainer reveals them"}`] : b.sealed ? ['sealed workshop, revealed (R hides again)'] : []),
    ...b.warnings.map((x) => `! ${x}`),
  ].slice(0, 2);
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      {head}
      {notes.map((l) => <T key={l} role="warn" wrap="truncate">{l}</T>)}
      <T bold role="title" wrap="truncate">{tab}</T>
      {lb ? <Ranking {...{ s, width: width - 2, height: height - 2 - notes.length - badRows(s, height) }} /> : null}
      <BadFiles s={s} rows={badRows(s, height)} width={width - 2} />
    </Box>
  );
}

/** Rows for the list of bad files (a third of the screen at most). */
function badRows(s: State, height: number): number {
  const n = s.workshop?.board?.invalid.length ?? 0;
  return n ? Math.min(n + 1, Math.max(2, Math.floor(height / 3))) : 0;
}

function BadFiles({ s, rows, width }: { s: State; rows: number; width: number }) {
  const bad = s.workshop?.board?.invalid ?? [];
  if (!rows) return null;
  const dir = resolve(s.workshop!.dir) + sep;
  // every file with its reason whole (wrapped under it) when they all fit; otherwise as many
  // files as the rows hold, one line each, and "… and N more" (only those files are drawn)
  const label = (f: (typeof bad)[number]) => `✗ ${sanitizeLine(f.file.startsWith(dir) ? f.file.slice(dir.length) : f.file)}: ${sanitizeLine(f.reason)}`;
  const wrapped = bad.length <= rows - 1 ? bad.map((f) => wrapWords(label(f), width, '    ')) : null;
  const whole = !!wrapped && wrapped.reduce((a, l) => a + l.length, 0) <= rows - 1;
  const n = whole || bad.length <= rows - 1 ? bad.length : rows - 2;
  const lines = whole
    ? wrapped.flatMap((l, i) => l.map((text, j) => ({ key: `${bad[i]!.file}:${j}`, text })))
    : bad.slice(0, n).map((f) => ({ key: f.file, text: cut(label(f), width).trimEnd() }));
  return (
    <Box flexDirection="column">
      <T bold role="warn">{`Not ranked (${bad.length})`}</T>
      {lines.map((l) => <Text key={l.key} wrap="truncate">{l.text}</Text>)}
      {bad.length > n ? <T role="dim">{`… and ${bad.length - n} more`}</T> : null}
    </Box>
  );
}

function Ranking({ s, width, height }: ViewProps) {
  const w = s.workshop!;
  const lb = w.board!.levels[w.level]!;
  // histograms beside the table when there is room, under it otherwise
  const sideW = width >= 130 ? 40 : 0;
  const tableW = width - (sideW ? sideW + 1 : 0);
  // rank, marks, ◆, two names, result, the metric columns that fit (most telling first), P
  const fixed = 5 + 2 + 1 + 2 + 1 + 1 + 10 + 3;
  let ncols = COLS.length;
  while (ncols > 1 && fixed + 2 * MIN_NAME_W + COLS.slice(0, ncols).reduce((a, c) => a + c.w + 1, 0) > tableW) ncols--;
  const cols = COLS.slice(0, ncols);
  const colsW = cols.reduce((a, c) => a + c.w + 1, 0);
  const nameW = Math.max(MIN_NAME_W, Math.min(24, Math.floor((tableW - fixed - colsW) / 2)));
  const passing = lb.entries.filter((e) => e.passed).length;
  // ties and the Pareto front take at most four lines; the legend of the marks is kept whole
  const legend = lb.notes.filter((n) => n.startsWith('player = the folder'));
  const noteLines = [
    ...lb.notes.filter((n) => !legend.includes(n)).flatMap((n) => wrapWords(n, tableW, '  ')).slice(0, 4),
    ...legend.flatMap((n) => wrapWords(n, tableW, '  ')),
  ];
  const histRows = sideW ? 0 : Math.min(Math.max(0, height - 6 - noteLines.length), 1 + (lb.hist[0]?.lines.length ?? 0));
  const rows = Math.max(1, height - 2 - noteLines.length - histRows);
  const top = Math.min(w.scroll, Math.max(0, lb.entries.length - rows));
  const shown = lb.entries.slice(top, top + rows);
  const table = (
    <Box flexDirection="column" width={tableW}>
      <T role="dim" wrap="truncate">{fitParts([`${'rank'.padEnd(5)}     ${'player'.padEnd(nameW)} ${'solution'.padEnd(nameW)} ${'result'.padEnd(10)}${cols.map((c) => c.head.padStart(c.w)).join(' ')}  P`, `${count(lb.entries.length, 'solution')}, ${passing} passing`], tableW)}</T>
      {shown.map((e) => {
        const mine = isMine(s, e);
        return (
          <T key={e.file} role={!e.passed ? 'bad' : e.pareto ? 'ok' : 'plain'} bold={mine} inverse={mine} wrap="truncate">
            {`${rankLabel(e).padEnd(5)}${marks(e).padEnd(2)} ${mine ? '◆ ' : '  '}${cut(sanitizeLine(e.player), nameW)} ${cut(nameOf(e), nameW)} ${result(e).padEnd(10)}${cols.map((c) => num(e.metrics[c.key]).padStart(c.w)).join(' ')}  ${e.pareto ? 'P' : ' '}`}
          </T>
        );
      })}
      {lb.entries.length > rows ? <T role="dim">{`rows ${top + 1}-${top + shown.length} of ${lb.entries.length} (↑/↓)`}</T> : null}
      {noteLines.map((l, i) => <Text key={i} wrap="truncate">{l}</Text>)}
      {histRows > 1 && lb.hist[0] ? (
        <Box flexDirection="column">
          <T bold>{`${lb.hist[0].label} (passing solutions)`}</T>
          {lb.hist[0].lines.slice(0, histRows - 1).map((l, i) => <Text key={i}>{l}</Text>)}
        </Box>
      ) : null}
    </Box>
  );
  if (!sideW) return table;
  const hist = lb.hist.slice(0, 4);
  return (
    <Box>
      {table}
      <Box width={1} />
      <Box flexDirection="column" width={sideW}>
        {hist.length ? hist.map((h) => (
          <Box key={h.label} flexDirection="column">
            <T bold wrap="truncate">{h.label}</T>
            {h.lines.slice(0, Math.max(1, Math.floor((height - 2) / hist.length) - 1)).map((l, i) => <Text key={i} wrap="truncate">{l}</Text>)}
          </Box>
        )) : <T role="dim">no passing solutions: no histograms</T>}
      </Box>
    </Box>
  );
}
