// The practice screen's view: a row per difficulty (the next seed, the levels played and
// solved), the daily level, what is being generated, and the generated levels played with
// their stars and best cost (the progress record of each id). Logic: practice-screen.ts.
import { Box, Text } from 'ink';
import { DAILY_DIFFICULTY, parseGeneratedId } from '../sim/generate/index.js';
import { INDICATOR_W, SelectList } from './list.js';
import { PRACTICE_ROWS, nextSeed, playedSeeds, type PracticeRow } from './practice-screen.js';
import { Spinner, T, num, stars } from './theme.js';
import type { ViewProps } from './view-props.js';

const LABEL: Record<PracticeRow, string> = { easy: 'Easy', hard: 'Hard', expert: 'Expert', daily: 'Daily level' };

export function PracticeView({ s, width, height }: ViewProps) {
  const p = s.progress;
  const fog = s.settings.fog ?? 'auto';
  const side = (r: PracticeRow): string => {
    if (r === 'daily') return `today's level (UTC date, ${DAILY_DIFFICULTY}): the same for everyone, no file to share`;
    const seeds = playedSeeds(p, r);
    const solved = seeds.filter((x) => p.levels[`gen-${r}-${x}`]?.solved).length;
    const fogged = fog === 'on' || (fog === 'auto' && r === 'expert') ? ' · fog' : '';
    return `next: seed ${nextSeed(p, r)} · ${seeds.length} played, ${solved} solved${fogged}`;
  };
  const played = Object.entries(p.levels)
    .filter(([id]) => parseGeneratedId(id) !== null)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  const rows = Math.max(0, height - PRACTICE_ROWS.length - 6);
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <T bold role="title" wrap="truncate">Practice: generated levels (a seed gives the same level on every machine)</T>
      <Text> </Text>
      <SelectList entries={PRACTICE_ROWS.map((r) => ({ key: r, label: LABEL[r], side: side(r) }))} cursor={s.cursor.practice} labelWidth={16 - INDICATOR_W} />
      <Text> </Text>
      {s.text?.purpose === 'seed' ? <Text>{`seed (${LABEL[PRACTICE_ROWS[s.cursor.practice]!]}): ${s.text.value}█`}</Text>
        : s.generating ? <Spinner label={`generating ${s.generating.label}… (esc cancels)`} />
        : <T role="dim">{'enter: a new level of that difficulty · s: a seed of your choice · n on its results: another one'}</T>}
      {played.length ? <T bold>{`Played (${played.length})`}</T> : <T role="dim">no generated level played yet</T>}
      {played.slice(-rows).map(([id, lp]) => (
        <Text key={id} wrap="truncate">{`  ${id.padEnd(24)} ${lp.solved ? stars(lp.stars) : 'not solved'}${lp.best.cost !== undefined ? `  best cost ${num(lp.best.cost)}` : ''}  ${lp.attempts ?? 0} run${lp.attempts === 1 ? '' : 's'}`}</Text>
      ))}
    </Box>
  );
}
