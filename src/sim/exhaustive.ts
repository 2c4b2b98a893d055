// Exhaustive interleaving checks of a small configuration. Pure: no I/O, no clocks.
//
// Random seeds can miss a race. Here every interleaving of guest touches, host operation
// starts and host steps that the seeded scheduler could produce for a small machine (a
// few pages, a few operations per host workload, a few guest touches) is explored,
// breadth-first, with a visited set over a canonical state key, so that a failure, if
// one exists, is found and the schedule that shows it is a shortest one.
//
// Moves (enabledMoves, exmoves.ts) are the seeded scheduler's choices with the dice removed: a
// guest touch of any page the guest could pick (read or write, as its write ratio
// allows; a stalled vCPU's retry is one of them), the start of an operation of any host
// workload with budget left on any page its pick could return (with each variant its
// ratio allows), a step of any operation in flight, and the VM's teardown once no host
// operation is in flight (after which only teardowns remain). Every seeded run of the
// small machine is one path of this graph; runs that spend less than the budgets are
// paths too.
//
// Partial-order reduction ("per page"). All mutable state of the engine that decides
// what happens is per page (st/fl/refs/pins of the page; every host instance works on
// one page; a guest touch or a teardown acts on one page). The only couplings between
// pages are global resources: the budgets (ops per workload, guest touches), the number
// of operations in flight, and the start of the teardown phase. A move on page p and a
// move on page q != p therefore commute whenever both are enabled, and a move on q can
// only ever *disable* a move on p (by spending a budget or a slot), never enable one or
// change its effect. Hence:
//   - the projection of any run onto the moves of one page p is itself a possible run
//     (with fewer budgets and slots used), and it shows exactly the same events on p;
//   - every failure happens on one page (the engine records the page).
// So a failure exists iff one exists in the system where only page p moves, for some p,
// and the shortest failing schedule of the whole system is the shortest failing schedule
// of the best single page (the projection is never longer, and a single-page schedule is
// a schedule of the whole system). In persistent-set terms: for the failure property of
// page p, the moves on p form a persistent set in every state. Pages that start in the
// same state and that the same moves can reach (same flags, same guest reachability) are
// symmetric, so one page per such class is searched. This turns a product of per-page
// state spaces into (a few of) its factors; `reduction: 'none'` searches the product
// (tests compare the two on tiny configurations).
import { Engine } from './engine.js';
import * as exmovesModule from './exmoves.js';
import { traceScript } from './run.js';
import type { Choice, Counterexample, Failure, Hook, SimConfig, WorkloadSpec } from './types.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { BUDGET_GUARD, MOVE_LIMITS, enabledMoves, guestCanTouch, keyInto, keyWords, loadState, packBudgets, recordSize, saveState, takeMove } = exmovesModule;

/** The small configuration a level declares for exhaustive checks. */
export interface SmallConfig {
  /** guest pages (the level's shared fraction still applies) */
  pages: number;
  /** host operations per host workload of the level (default 3) */
  ops?: number;
  /** guest touches in total, when the guest runs (default 4) */
  touches?: number;
  /** host operations in flight at once (default: the level's, at most 3) */
  inFlight?: number;
}

export const DEFAULT_SMALL: Readonly<Required<Omit<SmallConfig, 'inFlight'>>> = { pages: 2, ops: 3, touches: 4 };

/** Hard bounds: keep ids and codes within their bit fields and the search finite. */
export const SMALL_LIMITS = { pages: 8, ops: 8, touches: 12, inFlight: 4 } as const;
// ...which must fit the move and budget encoding of exmoves.ts (the number of workloads is
// checked there): fail loudly at load rather than search a wrapped-around state.
if (SMALL_LIMITS.pages > MOVE_LIMITS.pages || SMALL_LIMITS.inFlight > MOVE_LIMITS.inFlight ||
  Math.max(SMALL_LIMITS.ops, SMALL_LIMITS.touches) > MOVE_LIMITS.budget ||
  SMALL_LIMITS.ops * MOVE_LIMITS.workloads >= MOVE_LIMITS.instanceIds) {
  throw new Error('exhaustive.ts: SMALL_LIMITS exceed the move encoding of exmoves.ts');
}

export type Reduction = 'page' | 'none';

export interface ExhaustiveOptions {
  /** 'page' (default): per-page partial-order reduction; 'none': the full product */
  reduction?: Reduction;
  /** stop (incomplete) after this many distinct states (default 1,000,000) */
  maxStates?: number;
}

export interface ExhaustiveResult {
  /** true: no interleaving fails. false: a failure was found, or the search was incomplete */
  passed: boolean;
  /** false when maxStates was reached before the search finished (passed is then false) */
  complete: boolean;
  /** distinct states visited (the initial states included) */
  states: number;
  /** moves taken (edges of the state graph explored) */
  transitions: number;
  /** length of the longest schedule explored (the failing schedule's length on failure) */
  depth: number;
  reduction: Reduction;
  /** the small configuration searched, defaults filled in */
  small: Required<SmallConfig>;
  /** pages searched (one per symmetry class with 'page', every page with 'none') */
  searchedPages: number[];
  /** the small machine that was searched; `schedule` replays on it */
  config: SimConfig;
  /** the shortest failing schedule, in the same format as `run` (seed is 0: no seed) */
  counterexample?: Counterexample;
}

function clampInt(x: number | undefined, dflt: number, min: number, max: number): number {
  const v = x === undefined || !Number.isFinite(x) ? dflt : Math.trunc(x);
  return Math.max(min, Math.min(max, v));
}

/** The small configuration with defaults filled in and bounds applied. */
export function resolveSmall(cfg: SimConfig, small: SmallConfig = DEFAULT_SMALL): Required<SmallConfig> {
  return {
    pages: clampInt(small.pages, DEFAULT_SMALL.pages, 1, SMALL_LIMITS.pages),
    ops: clampInt(small.ops, DEFAULT_SMALL.ops, 0, SMALL_LIMITS.ops),
    touches: clampInt(small.touches, DEFAULT_SMALL.touches, 0, SMALL_LIMITS.touches),
    inFlight: clampInt(small.inFlight, Math.min(3, cfg.maxInFlight ?? 8), 1, SMALL_LIMITS.inFlight),
  };
}

/** The small machine: the level's arch, kernel, device, workload kinds and options, costs. */
export function exhaustiveConfig(cfg: SimConfig, small: SmallConfig = DEFAULT_SMALL): SimConfig {
  const { pages, ops, touches, inFlight } = resolveSmall(cfg, small);
  const workloads: WorkloadSpec[] = cfg.workloads.map((w) => {
    if (w.kind === 'teardown') return { ...w };
    if (w.kind === 'kvm_fault') return { ...w, touches: w.touches === 0 ? 0 : touches };
    return { ...w, ops: w.ops === 0 ? 0 : ops };
  });
  return {
    arch: cfg.arch, kernel: cfg.kernel, device: cfg.device, pages, shared: cfg.shared, workloads,
    ...(cfg.costs ? { costs: cfg.costs } : {}),
    maxInFlight: inFlight,
  };
}

/** Pages that start alike and that the same moves reach: one representative each. */
function pageClasses(e: Engine): number[] {
  const seen = new Set<string>();
  const reps: number[] = [];
  for (let p = 0; p < e.n; p++) {
    const sig = `${e.state[p]},${e.flags[p]},${e.refs[p]},${e.pins[p]},${guestCanTouch(e, p) ? 1 : 0}`;
    if (!seen.has(sig)) { seen.add(sig); reps.push(p); }
  }
  return reps;
}

interface Found { page: number; codes: number[] }

interface SearchStats { states: number; transitions: number; depth: number; complete: boolean }

// Budget subsumption. The moves enabled in a state depend on the budgets only through
// "is this budget > 0", and taking a move never depends on a budget otherwise; so from
// the same page/instance state, more budget left allows every run that less budget
// allows (and more). Breadth-first order visits states in order of depth, so a new state
// whose budgets are all <= those of a state already visited with the same key can be
// dropped: anything it leads to is reachable from the earlier state in at most as many
// moves (shortest counterexamples stay shortest). `Visited` keeps, per key, an antichain of
// packed budget vectors (see packBudgets (exmoves.ts): 5-bit fields with a guard bit).
const GUARD = BUDGET_GUARD;

/** a >= b in every field of a packed budget word */
function geq(a: number, b: number): boolean {
  return ((((a | GUARD) - b) & GUARD) >>> 0) === GUARD;
}

/**
 * The visited set: an open-addressing hash table over exact state keys (16-bit words,
 * stored in a flat pool: no strings, no per-state objects), each with a list of budget
 * vectors (an antichain when subsuming).
 */
class Visited {
  private readonly stride: number; // words per key slot: length, then the key
  private keys: Uint16Array;
  private head: Int32Array; // per key: first budget entry
  private table: Int32Array; // key index + 1, 0 = empty
  private mask: number;
  private nKeys = 0;
  private lo = new Int32Array(4096);
  private hi = new Int32Array(4096);
  private next = new Int32Array(4096);
  private n = 0;

  constructor(private readonly subsume: boolean, maxKeyWords: number) {
    this.stride = maxKeyWords + 1;
    this.keys = new Uint16Array(1024 * this.stride);
    this.head = new Int32Array(1024);
    this.table = new Int32Array(2048);
    this.mask = 2047;
  }

  private static hash(k: Uint16Array, off: number, len: number): number {
    let h = 0x811c9dc5 ^ len;
    for (let i = off; i < off + len; i++) h = Math.imul(h ^ k[i], 0x01000193);
    h ^= h >>> 15; h = Math.imul(h, 0x2c1b3c6d); h ^= h >>> 12;
    return h >>> 0;
  }

  /** The index of the key, or -1 - (its free table slot). */
  private find(k: Uint16Array, len: number): number {
    const S = this.stride, K = this.keys, T = this.table, m = this.mask;
    for (let i = Visited.hash(k, 0, len) & m; ; i = (i + 1) & m) {
      const e = T[i];
      if (e === 0) return -1 - i;
      const o = (e - 1) * S;
      if (K[o] !== len) continue;
      let j = 0;
      while (j < len && K[o + 1 + j] === k[j]) j++;
      if (j === len) return e - 1;
    }
  }

  private push(lo: number, hi: number, next: number): number {
    if (this.n === this.lo.length) {
      const grow = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
      this.lo = grow(this.lo); this.hi = grow(this.hi); this.next = grow(this.next);
    }
    this.lo[this.n] = lo; this.hi[this.n] = hi; this.next[this.n] = next;
    return this.n++;
  }

  private insertKey(k: Uint16Array, len: number, slot: number, entry: number): void {
    const S = this.stride;
    if (this.nKeys * S >= this.keys.length) {
      const nk = new Uint16Array(this.keys.length * 2); nk.set(this.keys); this.keys = nk;
      const nh = new Int32Array(this.head.length * 2); nh.set(this.head); this.head = nh;
    }
    const id = this.nKeys++;
    const o = id * S;
    this.keys[o] = len;
    for (let j = 0; j < len; j++) this.keys[o + 1 + j] = k[j];
    this.head[id] = entry;
    this.table[slot] = id + 1;
    if (this.nKeys * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    const size = this.table.length * 2, m = size - 1, S = this.stride;
    const t = new Int32Array(size);
    for (let id = 0; id < this.nKeys; id++) {
      const o = id * S;
      let i = Visited.hash(this.keys, o + 1, this.keys[o]) & m;
      while (t[i] !== 0) i = (i + 1) & m;
      t[i] = id + 1;
    }
    this.table = t; this.mask = m;
  }

  /** Record (key, budgets lo/hi); false when a visited state already covers it. */
  add(k: Uint16Array, len: number, lo: number, hi: number): boolean {
    const f = this.find(k, len);
    if (f < 0) { this.insertKey(k, len, -1 - f, this.push(lo, hi, -1)); return true; }
    const head = this.head[f];
    const L = this.lo, H = this.hi, N = this.next;
    if (!this.subsume) {
      for (let i = head; i >= 0; i = N[i]) if (L[i] === lo && H[i] === hi) return false;
      this.head[f] = this.push(lo, hi, head);
      return true;
    }
    for (let i = head; i >= 0; i = N[i]) if (geq(L[i], lo) && geq(H[i], hi)) return false;
    // the new vector goes first; the ones it covers are unlinked (the antichain stays small)
    const nh = this.push(lo, hi, -1);
    let tail = nh;
    for (let i = head; i >= 0; i = this.next[i]) {
      if (geq(lo, this.lo[i]) && geq(hi, this.hi[i])) continue;
      this.next[tail] = i; tail = i;
    }
    this.next[tail] = -1;
    this.head[f] = nh;
    return true;
  }
}

/**
 * Breadth-first search from the initial state over the moves on `page` (or on every page
 * when page < 0). Returns the first failing move sequence found, which is a shortest one;
 * only sequences shorter than `bound` are of interest.
 */
function bfs(
  e: Engine, root: Int32Array, page: number, subsume: boolean, bound: number, maxStates: number, stats: SearchStats,
): number[] | null {
  const R = recordSize(e);
  // snapshots of the discovered states not yet expanded, in BFS order: arena[0] is state `base`
  let cap = 1024;
  let arena = new Int32Array(cap * R);
  let base = 0;
  // per discovered state: its parent and the move that reached it (for the schedule)
  let parent = new Int32Array(cap), code = new Int32Array(cap), depth = new Int32Array(cap);
  let count = 1;
  arena.set(root.subarray(0, R), 0);
  parent[0] = -1;
  const cur = new Int32Array(R); // the state being expanded
  const visited = new Visited(subsume, keyWords(e));
  const bud = new Int32Array(2);
  const kw = new Uint16Array(keyWords(e));
  loadState(e, root, 0);
  packBudgets(e, bud);
  visited.add(kw, keyInto(e, kw, page), bud[0], bud[1]);
  stats.states++;
  const moves = new Int32Array(1024);
  for (let head = 0; head < count; head++) {
    const d = depth[head];
    if (d + 1 >= bound) break; // a failure found from here would not be shorter
    for (let j = 0, o = (head - base) * R; j < R; j++) cur[j] = arena[o + j];
    loadState(e, cur, 0);
    const nm = enabledMoves(e, moves, page);
    for (let i = 0; i < nm; i++) {
      if (i > 0) loadState(e, cur, 0);
      takeMove(e, moves[i]);
      stats.transitions++;
      if (d + 1 > stats.depth) stats.depth = d + 1;
      if (e.firstFailure !== null) {
        const out = [moves[i]];
        for (let j = head; j > 0; j = parent[j]) out.push(code[j]);
        return out.reverse();
      }
      const len = keyInto(e, kw, page);
      packBudgets(e, bud);
      if (!visited.add(kw, len, bud[0], bud[1])) continue;
      if (++stats.states > maxStates) { stats.complete = false; return null; }
      if (count - base >= cap) { // the arena is full: drop expanded states, grow if still half full
        const live = count - (head + 1);
        if (live * 2 >= cap) {
          const next = new Int32Array(cap * 2 * R);
          next.set(arena.subarray((head + 1 - base) * R, (count - base) * R), 0);
          arena = next; cap *= 2;
        } else {
          arena.copyWithin(0, (head + 1 - base) * R, (count - base) * R);
        }
        base = head + 1;
      }
      if (count >= parent.length) {
        const n2 = parent.length * 2;
        const np = new Int32Array(n2), nc = new Int32Array(n2), nd = new Int32Array(n2);
        np.set(parent); nc.set(code); nd.set(depth);
        parent = np; code = nc; depth = nd;
      }
      saveState(e, arena, (count - base) * R);
      parent[count] = head; code[count] = moves[i]; depth[count] = d + 1;
      count++;
    }
  }
  return null;
}

/** Replay move codes on a fresh engine, recording the choices they make. */
function schedule(cfg: SimConfig, hooks: readonly Hook[], codes: readonly number[]): { choices: Choice[]; failure: Failure | null } {
  const e = new Engine(cfg, hooks, 0, { recordChoices: true, stopAtFirstFailure: true });
  for (const c of codes) takeMove(e, c);
  return { choices: e.log?.toArray() ?? [], failure: e.firstFailure };
}

/**
 * Explore every interleaving of the small configuration of a level (see SmallConfig) with
 * these hooks. Deterministic: the same inputs give the same states count and schedule.
 */
export function exhaustiveCheck(
  config: SimConfig, hooks: readonly Hook[], small: SmallConfig = DEFAULT_SMALL, opts: ExhaustiveOptions = {},
): ExhaustiveResult {
  const reduction: Reduction = opts.reduction ?? 'page';
  const maxStates = Math.max(1, opts.maxStates ?? 1_000_000);
  const cfg = exhaustiveConfig(config, small);
  const e = new Engine(cfg, hooks, 0);
  const root = new Int32Array(recordSize(e));
  saveState(e, root, 0);
  const stats: SearchStats = { states: 0, transitions: 0, depth: 0, complete: true };
  const pages = reduction === 'page' ? pageClasses(e) : [-1];
  let best: Found | null = null;
  for (const p of pages) {
    const bound = best ? best.codes.length : Infinity;
    const codes = bfs(e, root, p, reduction === 'page', bound, maxStates, stats);
    if (!stats.complete) break;
    if (codes && (!best || codes.length < best.codes.length)) best = { page: p, codes };
  }
  const res: ExhaustiveResult = {
    passed: best === null && stats.complete,
    complete: best !== null || stats.complete,
    states: stats.states, transitions: stats.transitions, depth: stats.depth,
    reduction,
    small: resolveSmall(config, small),
    searchedPages: reduction === 'page' ? pages : Array.from({ length: cfg.pages }, (_, i) => i),
    config: cfg,
  };
  if (best) {
    const { choices, failure } = schedule(cfg, hooks, best.codes);
    const t = traceScript(cfg, hooks, choices);
    const f = t.firstFailure ?? failure;
    if (f) res.counterexample = { seed: 0, failure: f, schedule: choices, trace: t.events ?? [] };
  }
  return res;
}
