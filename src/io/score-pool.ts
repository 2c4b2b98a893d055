// Scoring a board's hook sets on every core: the distinct (level, hook set) pairs a board
// needs and the verdict cache does not hold are split over worker threads
// (score-worker.ts, each runs the one scoring rule, verdictOf), and their verdicts are put
// in the cache the board is then built with (buildBoard finds them all there). A cold board
// of thousands of files is bound by scoring (every seed of every distinct hook set); the
// ranking itself is cheap. Without a built worker (running from the sources), with one
// core, or with few hook sets to score, nothing runs here and buildBoard scores in this
// thread as before: the verdicts are the same either way.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hooksOf } from '../sim/score.js';
import type { Hook } from '../sim/types.js';
import { hookKey, unfit, type BoardLevel, type FoundSolution, type Verdict, type VerdictCache } from '../workshop/rank.js';

/** Fewer hook sets than this per worker are not worth a thread's start-up (~50 ms). */
const MIN_PER_WORKER = 24;
/** At most this many workers (each holds the levels and the engine). */
const MAX_WORKERS = 8;

export interface ScoreTask {
  level: string;
  hooks: Hook[];
}

/** The worker's input: the levels the tasks are on, and the tasks. */
export interface ScoreWork {
  levels: BoardLevel[];
  tasks: ScoreTask[];
}

/**
 * A cache holding a verdict for every (level, hook set) of `found`: those of `cache`, the
 * others scored in worker threads. The returned cache writes through to `cache`.
 */
export async function prescore(found: readonly FoundSolution[], levels: readonly BoardLevel[], cache?: VerdictCache, workers = availableParallelism()): Promise<VerdictCache> {
  const mem = new Map<string, Verdict>();
  const out: VerdictCache = {
    key: (lv, hooks) => (cache ? cache.key(lv, hooks) : `${lv.id}\u0000${hookKey(hooks)}`),
    get: (k) => mem.get(k) ?? cache?.get(k),
    set: (k, v) => {
      mem.set(k, v);
      cache?.set(k, v);
    },
  };
  const byId = new Map(levels.map((l) => [l.id, l]));
  const todo: (ScoreTask & { key: string })[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    if (unfit(f.solution, byId)) continue; // buildBoard lists it with its reason
    const lv = byId.get(f.solution.level)!;
    const hooks = hooksOf(f.solution.hooks);
    const key = out.key(lv, hooks);
    if (seen.has(key) || out.get(key)) continue;
    seen.add(key);
    todo.push({ key, level: lv.id, hooks });
  }
  const file = fileURLToPath(new URL('./score-worker.js', import.meta.url));
  const n = Math.min(workers, MAX_WORKERS, Math.floor(todo.length / MIN_PER_WORKER));
  if (n < 2 || !existsSync(file)) return out;
  // round-robin: each worker gets a mix of levels (some levels cost more than others)
  const chunks: (typeof todo)[] = Array.from({ length: n }, () => []);
  todo.forEach((t, i) => chunks[i % n]!.push(t));
  const used = new Set(todo.map((t) => t.level));
  const lvs = levels.filter((l) => used.has(l.id));
  await Promise.all(chunks.map((chunk) => new Promise<void>((done) => {
    const work: ScoreWork = { levels: lvs, tasks: chunk.map((t) => ({ level: t.level, hooks: t.hooks })) };
    const w = new Worker(file, { workerData: work });
    // a worker that fails leaves its hook sets to buildBoard (scored here, the same verdicts)
    w.once('message', (verdicts: Verdict[]) => {
      verdicts.forEach((v, i) => out.set(chunk[i]!.key, v));
      done();
    });
    w.once('error', () => done());
    w.once('exit', () => done());
  })));
  return out;
}
