// Results: pass/fail, metrics against par and the player's saved solutions, stars; the
// counterexample as a timeline on failure; the epilogue, save and share on success.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import type { LevelScore } from '../sim/score.js';
import { PAR_METRICS } from '../sim/verify.js';
import type { ViewProps } from './view-props.js';
import { logColumns, logLine } from './session.js';
import { ENTRY } from './graph.js';
import { nextLevel } from './state.js';
import { windowOf } from './screens.js';
import { T, bar, num, stars } from './theme.js';
import { count, wrapWords } from './layout.js';
import { epilogueWindow, searchLine, searchLines, shareLines, trapLines, trapsHit } from './results-layout.js';

export function ResultsView({ s, width, height }: ViewProps) {
  const res = s.results;
  if (!res) return <Text>No results.</Text>;
  const v = res.verify;
  const lv = s.level!;
  const failedSeeds = v.seeds.filter((x) => !x.passed);
  const nVis = v.seeds.filter((x) => !x.hidden).length;
  const head = v.passed
    ? `✓ PASS on ${v.seeds.length}/${v.seeds.length} seeds (${nVis} visible, ${v.seeds.length - nVis} hidden)`
    : v.exhaustiveFailed
      ? `✗ FAIL: every seed passes, but the exhaustive search finds an interleaving that fails`
      : `✗ FAIL: ${failedSeeds.length} of ${v.seeds.length} seeds fail (${failedSeeds.filter((x) => x.hidden).length} of them hidden)`;
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <T role={v.passed ? 'ok' : 'bad'} bold>{head}</T>
        {/* stars measure par: a level without par (the sandbox) has none to give */}
        {v.passed && Object.keys(v.par).length ? <Text>{`   ${stars(v.stars)} ${v.stars}/3 stars${v.allPar ? ' · all par met' : ''}`}</Text> : null}
      </Box>
      {searchLine(v) ? <T role="ok">{searchLines(v, width).join('\n')}</T> : null}
      {v.passed ? <Passed {...{ s, width, height }} /> : <Failed {...{ s, width, height }} />}
      {lv.id === 'sandbox' ? <T role="dim">sandbox: scored on 5 seeds, no par</T> : null}
    </Box>
  );
}

function MetricsTable({ s, width }: ViewProps) {
  const res = s.results!;
  const v = res.verify;
  const barW = Math.max(8, Math.min(20, width - 62));
  const rows = PAR_METRICS.map((k) => {
    const mine = v.metrics[k];
    const par = v.par[k];
    const others = res.others.map((o) => o.metrics?.[k]).filter((x): x is number => typeof x === 'number');
    const max = Math.max(mine, par ?? 0, ...others, 1e-9);
    const best = others.length ? Math.min(...others) : undefined;
    return { k, mine, par, max, best, n: others.length };
  });
  // review levels: how far the repair moved from the proposal the board opened with
  const ch = (v as LevelScore).changes;
  return (
    <Box flexDirection="column">
      {ch ? (
        <Text wrap="truncate">
          {`${'changes'.padEnd(14)}${num(ch.count).padStart(9)}  `}
          <T role={ch.par === undefined ? 'dim' : ch.met ? 'ok' : 'warn'}>{ch.par === undefined ? '—' : `${num(ch.par)} ${ch.met ? 'ok' : 'over'}`}</T>
          {'   to the proposal the board opened with'}
        </Text>
      ) : null}
      <T role="dim" wrap="truncate">{`${'metric'.padEnd(14)}${'yours'.padStart(9)}  ${'par'.padEnd(11)} ${'bar: yours (▲ best saved)'.padEnd(barW + 3)} saved`}</T>
      {rows.map((r) => {
        const parTxt = r.par === undefined ? '—' : `${num(r.par)} ${v.meetsPar[r.k] ? 'ok' : 'over'}`;
        // a bar only when there is something to compare with
        let b = r.par === undefined && r.best === undefined ? ' '.repeat(barW) : bar(r.mine, r.max, barW);
        if (r.best !== undefined) {
          const pos = Math.min(barW - 1, Math.max(0, Math.round((r.best / r.max) * barW) - 1));
          b = b.slice(0, pos) + '▲' + b.slice(pos + 1);
        }
        return (
          <Text key={r.k} wrap="truncate">
            {`${r.k.padEnd(14)}${num(r.mine).padStart(9)}  `}
            <T role={r.par === undefined ? 'dim' : v.meetsPar[r.k] ? 'ok' : 'warn'}>{parTxt.padEnd(11)}</T>
            {` ${b}   ${r.best === undefined ? '—' : `best ${num(r.best)} of ${r.n}`}`}
          </Text>
        );
      })}
    </Box>
  );
}

/** The trap notes this run bears out (results-layout.ts), wrapped: the layout counts these lines. */
function Traps({ s, width }: { s: ViewProps['s']; width: number }) {
  const hit = trapsHit(s.level!, s.results!);
  if (!hit.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {hit.map((t, i) => {
        const { head, lines } = trapLines(t, width);
        const cut = Math.min(head.length, lines[0].length);
        return (
          <Text key={i}>
            <T role="warn" bold>{lines[0].slice(0, cut)}</T>
            {[lines[0].slice(cut), ...lines.slice(1)].join('\n')}
          </Text>
        );
      })}
    </Box>
  );
}

function Passed(p: ViewProps) {
  const { s, width, height } = p;
  const res = s.results!;
  const lv = s.level!;
  // n is offered where there is a next level (not on the sandbox, nor after the last level)
  const next = nextLevel(s) ? ' · n: next level' : '';
  const prompt = (
    <Box marginTop={1} flexDirection="column">
      {s.text?.purpose === 'saveName' || s.text?.purpose === 'firstName' ? (
        <Text wrap="truncate">{s.text.purpose === 'firstName' ? `Your player name: ${s.text.value}█   (once; enter goes on to the save's name)` : `Save as: ${s.text.value}█   (enter saves, esc cancels)`}</Text>
      ) : res.exists ? null : res.savedAs ? (
        <T role="ok" wrap="truncate">{`✓ saved as '${sanitizeLine(res.savedAs)}' · c: share code${next}`}</T>
      ) : (
        <T role="accent" bold wrap="truncate">{`Save this solution? s: save (name it) · c: share code${next}`}</T>
      )}
      {res.exists ? <T role="warn" wrap="truncate">{`a save named '${sanitizeLine(res.exists)}' exists: o overwrites (backup kept), s picks another name`}</T> : null}
      {res.shareCode ? <Text>{shareLines(res.shareCode, width).join('\n')}</Text> : null}
    </Box>
  );
  // the epilogue comes last and scrolls (↑/↓) in what room is left: the reducer bounds the
  // scrolling with the same window (results-layout.ts)
  const { lines, room, max } = epilogueWindow(lv, res, width, height, s.text?.purpose === 'saveName' || s.text?.purpose === 'firstName', s.progress.levels[lv.id]?.stars);
  const top = Math.min(res.scroll, max);
  const shown = lines.slice(top, top + room);
  const more = top + room < lines.length;
  return (
    <Box flexDirection="column" width={width}>
      <MetricsTable {...p} />
      {prompt}
      {res.verify.stars < 3 ? <Traps s={s} width={width} /> : null}
      {lines.length ? (
        <Box marginTop={1} flexDirection="column">
          <T bold>{`Epilogue${top > 0 || more ? `  (↑/↓ ${top + 1}-${top + shown.length} of ${lines.length} lines)` : ''}`}</T>
          <Text>{shown.join('\n')}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function Failed({ s, width, height }: ViewProps) {
  const v = s.results!.verify;
  const cx = v.counterexample;
  if (!cx) return <Text>Failed, but no counterexample was found.</Text>;
  const f = cx.failure;
  const ev = cx.trace[s.results!.cx];
  // the failing seed's counts, as the engine keeps them (a freed secure page is its own kind)
  const seed = v.exhaustiveFailed ? undefined : v.seeds.find((x) => x.seed === cx.seed);
  const win = windowOf(cx.trace, s.results!.cx, Math.max(3, height - 10 - (seed ? 1 : 0)));
  const cols = logColumns(cx.trace);
  // the path as the board and the run name it (the reclaim path), the workload when it differs
  const path = `${ENTRY[f.workload]} path${ENTRY[f.workload] === f.workload ? '' : ` (${f.workload})`}`;
  const head = `${f.kind} on the ${path}${f.site ? ` at ${f.site}` : ''}, page ${f.page}: `;
  const what = wrapWords(head + sanitizeLine(f.message), width - 1, '  ');
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <T role="bad" bold>{what[0].slice(0, Math.min(head.length, what[0].length))}</T>
        {[what[0].slice(head.length), ...what.slice(1)].join('\n')}
      </Text>
      {seed ? (
        <Text wrap="truncate">{`seed ${seed.seed}: ${count(seed.ioErrors, 'I/O error')} · ${count(seed.crashes, 'crash', 'crashes')} · ${num(seed.freedSecure)} freed-secure`}</Text>
      ) : null}
      <T bold wrap="truncate">{`Counterexample: seed ${cx.seed}, ${count(cx.schedule.length, 'scheduler choice')}${cx.truncated ? ` (from the run's last ${cx.truncated.last} of ${cx.truncated.of})` : ''}, ${count(cx.trace.length, 'event')} — step ${s.results!.cx + 1}/${cx.trace.length} (←/→)`}</T>
      {win.items.map((e, k) => {
        const i = win.start + k;
        const on = i === s.results!.cx;
        return (
          <T key={i} role={e.outcome ? 'bad' : 'plain'} inverse={on} wrap="truncate">{`${on ? '›' : ' '} ${logLine(e, cols)}`}</T>
        );
      })}
      {ev ? (
        <Box flexDirection="column" marginTop={1}>
          <T bold wrap="truncate">{`page ${ev.page} after this step: ${ev.state.toUpperCase()}${ev.outcome ? `  ✗ ${ev.outcome}` : ''}`}</T>
          {/* the explanation clause matters most: wrapped, never cut */}
          <Text>{wrapWords(`flags: ${ev.flags || '—'}   by ${ev.actor} in ${ev.fn}${ev.site ? ` [${ev.site}]` : ''}${ev.note ? ` (${sanitizeLine(ev.note)})` : ''}`, width - 1, '  ').join('\n')}</Text>
        </Box>
      ) : null}
      <T role="accent" wrap="truncate">b: back to the board with the guilty path highlighted · r: run again</T>
      <Traps s={s} width={width} />
    </Box>
  );
}
