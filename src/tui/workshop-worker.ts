// The workshop board's worker thread (dist/tui/workshop-worker.js): reads, scores and
// ranks the folder with WorkshopWatcher and posts each update to the game.
import { parentPort, workerData } from 'node:worker_threads';
import type { Level } from '../io/schema.js';
import { WorkshopWatcher } from './workshop.js';

const { dir, levels } = workerData as { dir: string; levels: Level[] };
const w = new WorkshopWatcher(dir, levels, (u) => parentPort!.postMessage(u));
parentPort!.on('message', (m) => {
  if (m === 'refresh') w.refresh();
  else if (m === 'reveal' || m === 'hide') w.setReveal(m === 'reveal');
});
w.start();
