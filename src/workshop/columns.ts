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

/** The ranking rule in words (src/sim/ranking.ts; each level's board names its own metrics). */
export const RANK_RULE =
  'passing first, then more stars, fewer failing seeds, then the level\'s par metrics in the order the level states them ' +
  '(lower is better; values within 0.1% are equal; a level without a par: cost, hooks, wasted exports, guest stall), ' +
  'then the earlier submission (git commit time, else file time); equal on all of these is a tie (same rank)';
