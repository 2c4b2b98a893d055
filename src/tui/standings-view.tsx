// The standings: every player of the workshop board across its levels (solved, stars,
// rank sum; then their place on each level while the columns fit), aligned (table.ts),
// scrolled with j/k and "N more", with the round and its countdown.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import { count } from './layout.js';
import { deadlineText } from './projector-view.js';
import { standingsRows } from './standings-screen.js';
import { layoutTable, windowOf, type Column } from './table.js';
import type { State } from './state.js';
import type { ViewProps } from './view-props.js';


export function standingsColumns(s: State): Column[] {
  const b = s.workshop!.board!;
  const st = b.standings;
  const me = sanitizeLine(s.settings.playerName).trim();
  return [
    { head: ' ', align: 'left', cells: st.map((x) => (me && x.player === me ? '◆' : ' ')) },
    { head: 'place', align: 'left', cells: st.map((x, i) => `${i > 0 && st[i - 1]!.place === x.place ? '=' : ''}${x.place}`) },
    { head: 'player', align: 'left', min: 6, max: 24, cells: st.map((x) => sanitizeLine(x.player)) },
    { head: 'solved', align: 'right', cells: st.map((x) => String(x.solved)) },
    { head: 'stars', align: 'right', cells: st.map((x) => String(x.stars)) },
    { head: 'rank sum', align: 'right', cells: st.map((x) => String(x.rankSum)) },
    // the player's place on each level, while they fit (a level id is one word)
    ...b.levels.map((lb): Column => ({
      head: sanitizeLine(lb.level).slice(0, 16), align: 'right', optional: true,
      cells: st.map((x) => (x.levels[lb.level] !== undefined ? String(x.levels[lb.level]) : '-')),
    })),
  ];
}

export function StandingsView({ s, width, height }: ViewProps) {
  const w = s.workshop;
  const b = w?.board;
  if (!w || !b) return <Box paddingX={1}><Text>{w?.error ? `✗ ${sanitizeLine(w.error)}` : 'reading the folder…'}</Text></Box>;
  const st = b.standings;
  const r = b.round;
  const round = r ? `round: ${r.levels.length ? r.levels.map((l) => sanitizeLine(l)).join(', ') : 'every level'}` : '';
  const head = `Standings · ${count(st.length, 'player')} · ${count(b.levels.length, 'level')} · more levels solved, then more stars, then a lower rank sum`;
  const sub = [round, deadlineText(s), b.hidden ? 'sealed: names hidden' : ''].filter(Boolean).join(' · ') || ' ';
  if (!st.length) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text bold wrap="truncate">{head}</Text>
        <Text>No entries yet.</Text>
      </Box>
    );
  }
  const table = layoutTable(standingsColumns(s), width - 2, 2);
  const win = windowOf(table.rows, w.standScroll, standingsRows(height));
  const more = [win.above ? `↑ ${win.above} above` : '', win.below ? `↓ ${win.below} more (j/k)` : ''].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      <Text bold wrap="truncate">{head}</Text>
      <Text wrap="truncate">{sub}</Text>
      <Text> </Text>
      <Text bold underline wrap="truncate">{table.head}</Text>
      {win.shown.map((line, i) => <Text key={win.top + i} bold={line.startsWith('◆')} wrap="truncate">{line}</Text>)}
      <Text wrap="truncate">{more || ' '}</Text>
    </Box>
  );
}
