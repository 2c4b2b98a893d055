// The run: a progress bar per workload, live counters, the tail of the event log.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { packItems } from './layout.js';
import type { ViewProps } from './view-props.js';
import { SPEEDS } from './state.js';
import type { WorkloadProgress } from './session.js';
import { Spinner, T, bar, num } from './theme.js';

function Scoring() {
  return <Spinner label="scoring on every visible and hidden seed…" />;
}

/**
 * The log tail as one text block, each line cut to the width beforehand: Ink then has
 * nothing to wrap or truncate, which keeps a frame cheap (input latency during a run).
 * Failing events are marked in the text itself (<== IO-ERROR).
 */
const Log = memo(function Log({ lines, height, width }: { lines: readonly string[]; height: number; width: number }) {
  const tail = lines.slice(-height).map((l) => (l.length >= width ? l.slice(0, width - 2) + '~' : l));
  return (
    <Box height={height} overflowY="hidden">
      <Text>{tail.join('\n')}</Text>
    </Box>
  );
});

/** What went wrong on a path, in the words the results use (freed-secure apart). */
export function workloadTrouble(w: WorkloadProgress): string {
  return [
    w.ioErrors ? `${w.ioErrors} I/O err` : '',
    w.crashes ? `${w.crashes} crash` : '',
    w.freedSecure ? `${w.freedSecure} freed-secure` : '',
  ].filter(Boolean).join(', ');
}

export function RunView({ s, width, height }: ViewProps) {
  const r = s.run;
  if (!r) return <Text>No run.</Text>;
  const snap = r.snap;
  const done = !!snap?.done;
  const status = r.phase === 'scoring' ? 'scoring' : done ? '■ done' : r.paused ? '❚❚ paused' : '▶ running';
  const speed = SPEEDS[r.speed];
  const barW = Math.max(10, Math.min(40, width - 40));
  const c = snap?.counters;
  // the counters, the failures coloured, on as many lines as the width needs (never cut)
  const counters = c ? [
    { text: `I/O errors ${num(c.ioErrors)}`, bad: c.ioErrors > 0 },
    { text: `crashes ${num(c.crashes)}`, bad: c.crashes > 0 },
    { text: `freed-secure ${num(c.freedSecure)}`, bad: c.freedSecure > 0 },
    { text: `exports ${num(c.exports)}`, bad: false },
    { text: `imports ${num(c.imports)}`, bad: false },
    { text: `wasted ${num(c.wastedExports)}`, bad: false },
    { text: `stall ${num(c.guestStall)}`, bad: false },
  ] : [];
  // packed as the hint bar is (packItems); an item's text never holds the separator
  let next = 0;
  const counterLines = packItems(counters.map((x) => x.text), width - 1, ' · ')
    .filter(Boolean)
    .map((line) => counters.slice(next, (next += line.split(' · ').length)));
  const logH = Math.max(1, height - 4 - Math.max(1, counterLines.length) - (snap?.workloads.length ?? 0));
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <T bold>{`${s.level?.id ?? ''} · seed ${r.seed} · ${status} · ${speed >= 4096 ? 'max speed' : `${speed} steps/frame`} · step ${snap?.steps ?? 0}`}</T>
      </Box>
      {snap?.workloads.map((w) => {
        const bad = w.ioErrors + w.crashes + w.freedSecure;
        return (
          <Text key={w.id} wrap="truncate">
            {`${w.label.padEnd(10)} ${bar(w.done, w.total, barW)} ${`${w.done}/${w.total}`.padStart(11)} `}
            <T role={bad ? 'bad' : 'ok'}>{bad ? `✗ ${workloadTrouble(w)}` : '✓ ok'}</T>
          </Text>
        );
      })}
      {counterLines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line.map((it, j) => <T key={j} role={it.bad ? 'bad' : 'plain'}>{`${j ? ' · ' : ''}${it.text}`}</T>)}
        </Text>
      ))}
      <T role="dim" wrap="truncate">{'─'.repeat(Math.max(0, width - 1))}</T>
      <Log lines={r.log} height={logH} width={width} />
      {r.phase === 'scoring' ? (
        <Scoring />
      ) : done ? (
        <T role={snap!.failed ? 'bad' : 'ok'} bold>{`run complete: ${snap!.failed ? '✗ something broke' : '✓ nothing broke on this seed'} — enter for the results on every seed`}</T>
      ) : null}
    </Box>
  );
}
