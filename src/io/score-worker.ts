// A worker thread of score-pool.ts: the verdict of each task by the one scoring rule.
import { parentPort, workerData } from 'node:worker_threads';
import { verdictOf } from '../workshop/rank.js';
import type { ScoreWork } from './score-pool.js';

const { levels, tasks } = workerData as ScoreWork;
const byId = new Map(levels.map((l) => [l.id, l]));
parentPort!.postMessage(tasks.map((t) => verdictOf(byId.get(t.level)!, t.hooks)));
