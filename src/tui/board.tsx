// The board: the level's workloads as lanes through the hook slots (columns), the
// selected slot explained on the side, the call paths (all, or the selected one) below.
import { Box, Text } from 'ink';
import { ARCHES, SITES, whensOn, type SiteId } from '../sim/model.js';
import { siteFactsFor } from '../sim/sitefacts.js';
import { wrapWords } from '../text/wrap.js';
import type { Hook } from '../sim/types.js';
import { SLOT_ABBR, laneSites, workloadsThrough, type Lane } from './graph.js';
import { laneGupFlavours } from '../sim/lanes.js';
import { levelConfig } from '../sim/score.js';
import type { SimConfig, WorkloadSpec } from '../sim/types.js';
import type { ViewProps } from './view-props.js';
import { hookAt, isSolved, lanesOf, slotsOf } from './state.js';
import { Spans, T, type Span } from './theme.js';
import { packItems } from './layout.js';
import { fogKey, fogOn } from './practice-screen.js';

const LABEL = 11;
export const BOARD_LEGEND = ['o slot on the path', '● hooked', 'X failed here', '! guilty path'];

/** `text` centred in `w` columns (the extra column goes right). */
function centre(text: string, w: number): string {
  const pad = Math.max(0, w - text.length);
  return ' '.repeat(Math.floor(pad / 2)) + text + ' '.repeat(Math.ceil(pad / 2));
}

function slotCell(h: Hook | undefined, selected: boolean, w: number): string {
  const mark = h ? (h.when ? `H:${h.when[0]}` : 'H') : '·';
  return centre(selected ? `[${mark}]` : mark, w);
}

/** Fog mode: the lane passes the site and a run has shown it (without fog: it passes the site). */
type OnLane = (l: Lane, site: SiteId) => boolean;

function laneCell(l: Lane, site: SiteId, hooked: boolean, guilty: boolean, w: number, on: OnLane): string {
  const mark = !on(l, site) ? '─' : guilty ? 'X' : hooked ? '●' : 'o';
  const left = Math.floor((w - 1) / 2);
  return '─'.repeat(left) + mark + '─'.repeat(w - 1 - left);
}

/**
 * Does the hook act on this lane's calls? A GUP hook's `when` can exclude them: a FOLL_GET
 * hook never runs for a lane that pins (FOLL_PIN), a FOLL_PIN hook never for one that takes
 * references (a `live` PTE-clear hook still acts at teardown: it destroys the page). The
 * lane then shows `o`, not `●`.
 */
export function hookActsOn(cfg: SimConfig, spec: WorkloadSpec, h: Hook): boolean {
  const when = h.when ?? SITES[h.site].when[0];
  return when === 'pin' || when === 'get' ? laneGupFlavours(cfg, spec).includes(when) : true;
}

const SINK: Record<Lane['sink'], string> = {
  device: '▶ device', CPU: '▶ CPU', 'guest CPU': '▶ guest', freed: '▶ freed', none: '▶ none',
};

export function pathText(l: Lane, hooks: readonly Hook[], on?: OnLane): string {
  if (on) {
    // fog: the entry, the sites a run passed, the device; the functions between stay hidden
    const seen = laneSites(l).filter((x) => on(l, x)).map((x) => {
      const h = hookAt(hooks, x);
      return `[${x}${h ? ` HOOK${h.when ? ':' + h.when : ''}` : ''}]`;
    });
    return `${l.entry}: ${[...seen, '…'].join(' → ')} → ${l.sink}`;
  }
  const parts = l.steps.map((st) => {
    if ('fn' in st) return st.fn;
    const h = hookAt(hooks, st.site);
    return `[${st.site}${h ? ` HOOK${h.when ? ':' + h.when : ''}` : ''}]`;
  });
  return `${l.entry}: ${parts.join(' → ')} → ${l.sink}`;
}

export function BoardView({ s, width, height }: ViewProps) {
  const lv = s.level!;
  const b = s.board;
  const slots = slotsOf(lv);
  const lanes = lanesOf(lv);
  const site = slots[b.col];
  // slots get wider on a wide terminal, as long as the side panel keeps 40 columns
  const cell = Math.max(5, Math.min(9, Math.floor((width - 41 - LABEL - 9) / Math.max(1, slots.length))));
  const graphW = LABEL + slots.length * cell + 9;
  const side = width - graphW - 1 >= 30;
  const sideW = width - graphW - 1;
  const g = b.guilty;
  const cfg = levelConfig(lv);
  // the hook at a slot, if it acts on lane li's calls (hookActsOn)
  const actingHook = (x: SiteId, li: number): Hook | undefined => {
    const hk = hookAt(b.hooks, x);
    const spec = cfg.workloads[li];
    return hk && (!spec || hookActsOn(cfg, spec, hk)) ? hk : undefined;
  };
  const through = site ? workloadsThrough(lanes, site) : [];
  const h = site ? hookAt(b.hooks, site) : undefined;
  const fog = fogOn(s, lv);
  const seen = new Set(fog && s.seen?.level === fogKey(lv) ? s.seen.pairs : []);
  const on: OnLane = (l, x) => laneSites(l).includes(x) && (!fog || seen.has(`${l.workload}:${x}`));
  const legend = fog ? [...BOARD_LEGEND, 'fog: a site shows once a run passed it'] : BOARD_LEGEND;

  const graph = (
    <Box flexDirection="column" width={graphW}>
      <Text wrap="truncate">{' '.repeat(LABEL) + slots.map((x, i) => {
        const a = cell >= 9 && x.length <= 8 ? x : SLOT_ABBR[x];
        return centre(i === b.col ? a.toUpperCase() : a, cell);
      }).join('')}</Text>
      {/* each row one Text of styled spans (not a Text per cell): the same frame, a few nodes */}
      <Spans spans={[
        { text: 'hooks'.padEnd(LABEL) },
        ...slots.map((x, i): Span => ({ text: slotCell(hookAt(b.hooks, x), i === b.col, cell), role: hookAt(b.hooks, x) ? 'ok' : 'dim', inverse: i === b.col })),
      ]} />
      {lanes.map((l, li) => {
        const isGuilty = g?.workload === l.workload;
        const sel = li === b.lane;
        return (
          <Spans key={l.workload} spans={[
            { text: `${isGuilty ? '!' : sel ? '›' : ' '}${l.entry.slice(0, LABEL - 2).padEnd(LABEL - 1)}`, role: isGuilty ? 'bad' : sel ? 'accent' : 'plain', bold: sel },
            ...slots.map((x): Span => ({
              text: laneCell(l, x, !!actingHook(x, li), isGuilty && g?.site === x, cell, on),
              role: isGuilty && g?.site === x ? 'bad' : actingHook(x, li) && on(l, x) ? 'ok' : 'plain',
            })),
            { text: SINK[l.sink], role: isGuilty ? 'bad' : 'dim' },
          ]} />
        );
      })}
      <T role="dim">{packItems(legend, graphW, ' · ').join('\n')}</T>
    </Box>
  );

  const info = site ? SITES[site] : null;
  // the facts as they hold on the level's machine (ptep_clear's `live` differs per arch)
  const facts = site ? siteFactsFor(site, lv.arch) : null;
  // before a level is solved the panel says only what a site is; its history (what
  // mainline did, who proposed it) shows on a solved level and in the sandbox
  const open = lv.id === 'sandbox' || isSolved(s, lv.id);
  // the site summaries tell the s390 story (exports): on another architecture's level they
  // would mislead; the sandbox shows everything
  const story = lv.id === 'sandbox' || (open && ARCHES[lv.arch].canExport);
  const shown = fog ? through.filter((w) => seen.has(`${w}:${site}`)) : through;
  const throughTxt = `workloads through it: ${shown.length ? shown.map((w) => lanes.find((l) => l.workload === w)!.entry).join(', ') : fog ? 'none seen yet' : 'none of this level'}${fog ? ' (fog: runs show the rest)' : ''}`;
  // the panel's facts, each wrapped whole at the panel's width (src/text/wrap.ts), never cut
  // with '…'; where the body is too short for all of them, the last ones in `drop` order
  // are left out whole (the board's rows, the hooks line and one call path stay in view)
  type Line = { text: string; role?: 'dim'; bold?: boolean };
  const wrapped = (text: string, w: number, role?: 'dim', bold?: boolean): Line[] =>
    wrapWords(text, w).map((t) => ({ text: t, role, bold }));
  const head = `${site} ${h ? `— HOOK${h.when ? ` (when ${h.when})` : ''}` : '— no hook'}`;
  // [lines, drop rank]: 0 always shown; higher ranks go first when the body is short
  const groups: [Line[], number][] = [];
  if (site && info && facts) {
    // the conditions this level's kernel offers (5.7 has no `live`: whenProblem, [R9])
    const whens = whensOn(site, lv.kernel);
    const failWhen = `may fail: ${info.mayFail}${whens.length ? ` · when: ${whens.join('|')}` : ''}`;
    if (side) {
      const w = sideW - 2; // the border and the padding
      groups.push(
        [wrapped(head, w, undefined, true), 0], [wrapped(info.fn, w), 1], [wrapped(facts.file ?? info.file, w, 'dim'), 1],
        [wrapped(failWhen, w), 0], [wrapped(`held: ${facts.held}`, w), 0], [wrapped(`a failure: ${facts.failure}`, w), 0],
        [facts.conditions && whens.length > 1 ? wrapped(`conditions: ${facts.conditions}`, w) : [], 0], [wrapped(throughTxt, w), 3],
        [fog ? [] : wrapped(`reached by: ${facts.reachedBy}`, w), 2], [story ? wrapped(info.summary, w) : [], 4],
        [open ? wrapped(`mainline: ${info.mainline}`, w, 'dim') : [], 5],
      );
    } else {
      groups.push(
        [wrapped(`${head} · ${info.fn} · ${failWhen}`, width, undefined, true), 0],
        [wrapped(story ? info.summary : `held: ${facts.held}`, width), 0], [wrapped(throughTxt, width), 3],
      );
    }
  }
  const graphH = 2 + lanes.length + packItems(legend, graphW, ' · ').length;
  // rows left for the panel: the hooks line, the selected lane's call path, the guilty line
  const laneRows = lanes[b.lane] ? wrapWords(pathText(lanes[b.lane], b.hooks, fog ? on : undefined), width).length : 0;
  const room = height - 1 - laneRows - (g ? 1 : 0) - (side ? 0 : graphH);
  let shownRank = 5;
  const count = (r: number) => groups.reduce((n, [ls, k]) => n + (k <= r ? ls.length : 0), 0);
  while (shownRank > 0 && count(shownRank) > room) shownRank--;
  // on a short body the facts come first: the call path below gives way (the lanes show the sites)
  const pathShown = count(shownRank) <= room;
  const panelLines = groups.flatMap(([ls, k]) => (k <= shownRank ? ls : []));
  const panel = panelLines.length ? (
    <Box flexDirection="column" width={side ? sideW : width} {...(side ? { borderStyle: 'single' as const, borderTop: false, borderBottom: false, borderRight: false, paddingLeft: 1 } : {})}>
      {/* one Text of the lines (each wrapped to the panel's width above), not a Text per line */}
      <Spans spans={panelLines.flatMap((l, i): Span[] => [...(i ? [{ text: '\n' }] : []), { text: l.text, role: l.role, bold: l.bold }])} />
    </Box>
  ) : null;

  const lane = lanes[b.lane];
  // every lane's call path when the terminal has the room (about two lines each)
  const graphRows = 1 + (side ? Math.max(graphH, panelLines.length) : graphH + panelLines.length) + (g ? 1 : 0);
  const pathRows = lanes.reduce((n, l) => n + wrapWords(` ${pathText(l, b.hooks, fog ? on : undefined)}`, width).length, 0);
  const allPaths = height - graphRows >= pathRows;
  const hooks = b.hooks.map((x) => (x.when ? `${x.site}[${x.when}]` : x.site)).join(', ') || 'none yet';
  return (
    <Box flexDirection="column" width={width}>
      {g ? (
        <T role="bad" wrap="truncate">{`! the failure was on the ${lanes.find((l) => l.workload === g.workload)?.entry ?? g.workload} path${g.site ? ` at ${g.site}` : ''}: change the hooks and run again`}</T>
      ) : null}
      <Box flexDirection={side ? 'row' : 'column'} flexShrink={0}>
        {graph}
        {side ? <Box width={1} /> : null}
        {panel}
      </Box>
      <T bold wrap="truncate">{`hooks (${b.hooks.length}): ${hooks}`}</T>
      {allPaths ? (
        lanes.map((l, i) => (
          <T key={l.workload} role={i === b.lane ? 'accent' : 'plain'} wrap="wrap">{`${i === b.lane ? '›' : ' '}${pathText(l, b.hooks, fog ? on : undefined)}`}</T>
        ))
      ) : lane && pathShown ? <Text wrap="wrap">{pathText(lane, b.hooks, fog ? on : undefined)}</Text> : null}
    </Box>
  );
}
