// zswap: reclaim compresses evicted pages with the CPU (the program is reclaim.ts's).
import type { Engine } from '../engine.js';
import { fnStep as f, siteStep as s, type WorkloadProgram } from './program.js';
import { stepReclaim } from './reclaim.js';

export { eligible } from './reclaim.js';

export function step(e: Engine, slot: number, w: number): number {
  return stepReclaim(e, slot, w, true);
}

export const program: WorkloadProgram = {
  id: 'zswap', runs: 'host', defaultOps: 300, variant: null, options: ['ops'],
  path: () => ({
    steps: [f('shrink_active_list'), s('reclaim_scan'), f('folio_lock'), f('try_to_unmap'), s('ptep_clear'),
      f('zswap_store'), s('kmap'), f('compress (CPU)'), s('writeback'), f('free page')],
    sink: 'CPU',
  }),
};
