// Warnings that are true. A level's `traps` explain why a site is a poor place for the
// hook ("never reached", "checks for nothing", "exports too early", "fails"), but such a
// sentence is only true for some placements: "the unmap has exported them already" is
// false when the player placed no hook at the unmap. So a trap's note is shown only when
// it concerns a hook the player placed (site and condition) and the run itself shows
// what the note claims. Pure: runs the engine, no I/O.
import { Engine } from './engine.js';
import { SITE_IDS, SITES, type SiteId, type When } from './model.js';
import { runClaimHolds, trapClaims, type ClaimMetric, type LevelClaim } from './claims.js';
import { PAR_METRICS, type ParMetric } from './verify.js';
import type { Hook, Metrics, SimConfig } from './types.js';

/** What one run showed about the hook at one site. */
export interface SiteEvidence {
  /** the hook ran at least once */
  reached: boolean;
  /** pages the hook exported (made accessible) */
  exported: number;
  /** times the hook failed (refused, or could not make a private page accessible) */
  failed: number;
  /** pages the hook destroyed (teardown) */
  destroyed: number;
  /** other placed hooks that a workload reaching this one also reached */
  sharedWith: SiteId[];
  /** host CPU accesses in the whole run that took the fault and its export (s390 0x3d) */
  runFaults: number;
}

export type RunEvidence = Partial<Record<SiteId, SiteEvidence>>;

/** Run one seed to the end with tracing and collect, per placed hook, what it did. */
export function runEvidence(cfg: SimConfig, hooks: readonly Hook[], seed: number): RunEvidence {
  // counted as the events happen (none is kept: memory does not grow with the run)
  const counts = new Map<SiteId, { exported: number; failed: number; destroyed: number }>();
  for (const h of hooks) counts.set(h.site, { exported: 0, failed: 0, destroyed: 0 });
  let faults = 0;
  const e = new Engine(cfg, hooks, seed, {
    onEvent: (ev) => {
      if (ev.site === 'fault' && ev.action === 'export') faults++;
      const x = ev.site ? counts.get(ev.site) : undefined;
      if (!x) return;
      if (ev.action === 'export') x.exported++;
      else if (ev.action === 'hook-fails') x.failed++;
      else if (ev.action === 'destroy') x.destroyed++;
    },
  });
  e.run();
  const n = SITE_IDS.length;
  const ran = (w: number, s: SiteId) => e.reached[w * n + SITE_IDS.indexOf(s)] === 1;
  const out: RunEvidence = {};
  for (const h of hooks) {
    const workloads = e.workloads.map((_, w) => w).filter((w) => ran(w, h.site));
    out[h.site] = {
      reached: workloads.length > 0,
      ...counts.get(h.site)!, runFaults: faults,
      sharedWith: hooks.filter((o) => o.site !== h.site && workloads.some((w) => ran(w, o.site))).map((o) => o.site),
    };
  }
  return out;
}

/** What a trap's note says about the hook, read from its words. */
export type Claim = 'unreached' | 'idle' | 'redundant' | 'fails' | 'faults' | 'exports' | 'unknown';

const CLAIMS: readonly (readonly [Claim, RegExp])[] = [
  ['idle', /never refuses/i],
  ['redundant', /one hook too many|covered (there|at \S+)|already refuses|redundant/i],
  ['fails', /\bfails?\b|crash|VM_BUG_ON|\bdies\b|cannot take a failure|refuses/i],
  ['unreached', /never reached|not reached|never fires|never becomes|nothing maps/i],
  ['idle', /checks? (per \w+ )?for nothing|only adds checks|(was|were|has) exported (them |it )?(at unmap|already)|exported at unmap/i],
  ['faults', /0x3d|exception/i],
  ['exports', /export|stall|race|wasted|earl(y|ier)|catches/i],
];

function classify(text: string): Claim {
  for (const [c, re] of CLAIMS) if (re.test(text)) return c;
  return 'unknown';
}

/**
 * The note's claim: read from its first sentence (later sentences are usually
 * conditional: "With the unmap hook placed it only adds checks"), else from all of it.
 */
export function claimOf(reason: string): Claim {
  const first = classify(reason.split(/(?<=[.!?])\s+(?=[A-Z])/)[0] ?? reason);
  return first !== 'unknown' ? first : classify(reason);
}

/** Does the run show what the claim says about this hook? */
export function claimHolds(claim: Claim, x: SiteEvidence | undefined): boolean {
  if (!x) return false;
  switch (claim) {
    case 'unreached': return !x.reached;
    case 'idle': return x.reached && x.exported === 0 && x.failed === 0 && x.destroyed === 0;
    case 'redundant': return x.reached && x.sharedWith.length > 0;
    case 'fails': return x.failed > 0;
    case 'faults': return x.reached && x.runFaults > 0;
    case 'exports': return x.exported > 0;
    case 'unknown': return x.reached;
  }
}

export interface Trap {
  site: SiteId;
  when?: When | undefined;
  reason: string;
}

/** The `when` a hook runs with: its own, or the site's default. */
function whenOf(site: SiteId, when: When | undefined): When | undefined {
  return when ?? SITES[site].when[0];
}

/**
 * The traps whose notes are true of this run: the player placed that site with that
 * condition (a trap without `when` is about the site's default condition), and the run's
 * evidence shows what the note claims.
 */
export function trueWarnings(
  traps: readonly Trap[], hooks: readonly Hook[], evidence: RunEvidence,
  run?: { claims: readonly LevelClaim[] | undefined; metrics: Metrics; par: Partial<Record<string, number>> },
): Trap[] {
  return traps.filter((t) => {
    const h = hooks.find((x) => x.site === t.site);
    if (!h || whenOf(h.site, h.when) !== whenOf(t.site, t.when)) return false;
    if (!claimHolds(claimOf(t.reason), evidence[t.site])) return false;
    // the note's declared claims about the player's own run ("more guest stall than par")
    // must hold for the placement's mean metrics too
    return !run || trapClaims(run.claims, t).every((c) => runClaimHolds(c, run.metrics, run.par));
  });
}

/**
 * The par metrics each claim metric moves: cost is encryption work (exports, imports,
 * destroys) plus guest stall plus host overhead (hook checks, 0x3d exceptions), so a
 * claim about any of those is also about cost. Counts over seeds are no par metric.
 */
const MOVES: Readonly<Record<ClaimMetric, readonly ParMetric[]>> = {
  cost: ['cost'],
  exports: ['exports', 'cost'], imports: ['imports', 'cost'], wastedExports: ['wastedExports', 'exports', 'cost'],
  destroys: ['cost'], siteExports: ['exports', 'cost'],
  guestStall: ['guestStall', 'cost'],
  hostOverhead: ['hostOverhead', 'cost'], hookChecks: ['hostOverhead', 'cost'], exceptions: ['hostOverhead', 'cost'],
  ioErrors: [], crashes: [], freedSecure: [], cleanErrors: [], ciphertextReads: [],
  failedSeeds: [], searchFails: [], reachedSeeds: [], siteRefusals: [],
};

/** What a note's own words are about, when it declares no claim on a par metric. */
const CLAIM_MOVES: Readonly<Record<Claim, readonly ParMetric[]>> = {
  unreached: ['hooks', 'hostOverhead', 'cost'], idle: ['hooks', 'hostOverhead', 'cost'], redundant: ['hooks', 'hostOverhead', 'cost'],
  faults: ['hostOverhead', 'cost'], exports: ['exports', 'imports', 'wastedExports', 'guestStall', 'cost'],
  fails: [], unknown: [],
};

/**
 * The metrics a trap note speaks of that this passing run missed par on, in PAR_METRICS
 * order: the note is shown beside them ("over par: cost"), never beside metrics that met
 * par alone. The note's metrics are those of its declared claims (the level's `claims`),
 * else those its words claim (`claimOf`). Empty: the note explains nothing this run missed.
 */
export function missedBy(trap: Trap, claims: readonly LevelClaim[] | undefined, meetsPar: Partial<Record<ParMetric, boolean>>): ParMetric[] {
  const declared = trapClaims(claims, trap).flatMap((c) => MOVES[c.metric]);
  const about = new Set<ParMetric>(declared.length ? declared : CLAIM_MOVES[claimOf(trap.reason)]);
  return PAR_METRICS.filter((k) => about.has(k) && meetsPar[k] === false);
}
