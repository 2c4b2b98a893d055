// The game's slow jobs, off the render path: generating a level (up to ~2 s) and the
// level builder's enumeration. In a worker thread when the built
// worker is there (dist/tui/generate-worker.js), else in this thread after the current
// frame. One worker serves the session's jobs in turn; it never keeps the process alive.
import { pathExists } from '../io/folder.js';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generatedLevel } from '../io/files.js';
import { buildLevel, type BuildOutcome, type LevelDraft } from '../io/level-builder.js';
import type { Level } from '../io/schema.js';

export type Job =
  | { kind: 'level'; id: string }
  | { kind: 'build'; draft: LevelDraft; takenIds: string[] };

export type JobResult<J extends Job> = J extends { kind: 'build' } ? BuildOutcome : Level;

export type JobReply = { n: number; ok: true; value: Level | BuildOutcome } | { n: number; ok: false; message: string };

/** Run a job here (the worker runs the same). Bad input throws an Error with one line. */
export function runJob(job: Job): Level | BuildOutcome {
  switch (job.kind) {
    case 'level': {
      const lv = generatedLevel(job.id);
      if (!lv) throw new Error(`'${job.id}' is not a generated or daily level id`);
      return lv;
    }
    case 'build': return buildLevel(job.draft, { takenIds: job.takenIds });
  }
}

const oneLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!;

export class Jobs {
  private worker: Worker | null = null;
  private n = 0;
  private readonly waiting = new Map<number, { resolve: (v: Level | BuildOutcome) => void; reject: (e: Error) => void }>();
  private readonly file: string;

  constructor(file = process.env.PVLAB_GENERATE_WORKER || fileURLToPath(new URL('./generate-worker.js', import.meta.url))) {
    this.file = file;
  }

  run<J extends Job>(job: J): Promise<JobResult<J>> {
    if (!pathExists(this.file)) {
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          try {
            resolve(runJob(job) as JobResult<J>);
          } catch (err) {
            reject(new Error(oneLine(err)));
          }
        }, 0);
      });
    }
    const w = this.start();
    const n = ++this.n;
    return new Promise((resolve, reject) => {
      this.waiting.set(n, { resolve: resolve as (v: Level | BuildOutcome) => void, reject });
      w.postMessage({ n, job });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.file);
    w.on('message', (m: JobReply) => {
      const p = this.waiting.get(m.n);
      this.waiting.delete(m.n);
      if (!p) return;
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.message));
    });
    w.on('error', (err) => this.failAll(oneLine(err)));
    w.on('exit', () => { this.worker = null; this.failAll('the generator stopped'); });
    w.unref(); // the game's terminal keeps the process alive; quitting never waits for a job
    this.worker = w;
    return w;
  }

  private failAll(message: string): void {
    for (const p of this.waiting.values()) p.reject(new Error(message));
    this.waiting.clear();
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
