// The workshop board's metrics and columns: what `pvlab board` and the game's leaderboard
// show, in one place. No dependencies, so the game's first-frame bundle can import them
// without the ranking's look-alike table (src/workshop/rank.ts re-exports them).

/**
 * What makes a run fail (means over seeds): I/O errors, crashes, and secure pages that went
 * back to the host allocator (a failure of its own). Kept so a failing run shows why.
 */
export const FAILURE_METRICS = ['ioErrors', 'crashes', 'freedSecure'] as const;
/** Metrics kept on a board, in column order. */
export const BOARD_METRICS = ['cost', 'exports', 'imports', 'wastedExports', 'hooks', 'guestStall', 'hostOverhead', ...FAILURE_METRICS] as const;
export type BoardMetric = (typeof BOARD_METRICS)[number];
/** The metrics with a histogram over the passing solutions (the failure metrics are 0 on every one of them). */
export const HISTOGRAM_METRICS: readonly BoardMetric[] = BOARD_METRICS.filter((k) => !(FAILURE_METRICS as readonly string[]).includes(k));
/** The metrics of the Pareto frontier. */
export const PARETO_METRICS = ['cost', 'wastedExports', 'hooks', 'guestStall'] as const satisfies readonly BoardMetric[];
/** Ranking order among passing solutions: cost first, then these tie-breakers. */
export const RANK_METRICS = ['cost', 'hooks', 'wastedExports', 'guestStall'] as const satisfies readonly BoardMetric[];

export const METRIC_LABELS: Readonly<Record<BoardMetric, string>> = {
  cost: 'cost', exports: 'exports', imports: 'imports', wastedExports: 'wasted exports',
  hooks: 'hooks', guestStall: 'guest stall', hostOverhead: 'host overhead', ioErrors: 'I/O errors', crashes: 'crashes', freedSecure: 'secure pages freed',
};

/** The board's table columns, most telling first (a narrow view keeps a prefix). */
export const BOARD_COLUMNS: readonly { key: BoardMetric; head: string; w: number }[] = [
  { key: 'cost', head: 'cost', w: 9 },
  { key: 'hooks', head: 'hooks', w: 6 },
  { key: 'wastedExports', head: 'wasted', w: 7 },
  { key: 'guestStall', head: 'stall', w: 8 },
  { key: 'exports', head: 'exports', w: 8 },
  { key: 'imports', head: 'imports', w: 8 },
  { key: 'hostOverhead', head: 'overhead', w: 9 },
];

/** The ranking rule in words (printed under every board). */
export const RANK_RULE =
  `passing first, fewer failing seeds, then ${RANK_METRICS.map((k) => METRIC_LABELS[k]).join(', ')} (lower is better); ` +
  'equal on all of these is a tie (same rank), listed by player, solution name, file';
