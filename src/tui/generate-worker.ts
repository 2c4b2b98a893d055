// The game's job worker (dist/tui/generate-worker.js): generates levels
// and runs the level builder's enumeration for jobs.ts, one job at a time.
import { parentPort } from 'node:worker_threads';
import { runJob, type Job, type JobReply } from './jobs.js';

parentPort!.on('message', ({ n, job }: { n: number; job: Job }) => {
  let reply: JobReply;
  try {
    reply = { n, ok: true, value: runJob(job) };
  } catch (err) {
    reply = { n, ok: false, message: String((err as Error)?.message ?? err).split('\n')[0]! };
  }
  parentPort!.postMessage(reply);
});
