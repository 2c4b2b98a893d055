// swap: reclaim writes evicted pages to a swap device (the program is reclaim.ts's).
import type { Engine } from '../engine.js';
import type { WorkloadProgram } from './program.js';
import { stepReclaim } from './reclaim.js';

export { eligible } from './reclaim.js';

export function step(e: Engine, slot: number, w: number): number {
  return stepReclaim(e, slot, w, false);
}

export const program: WorkloadProgram = { id: 'swap', runs: 'host', defaultOps: 300, variant: null, options: ['ops'] };
