// zswap: reclaim compresses evicted pages with the CPU (the program is reclaim.ts's).
import type { Engine } from '../engine.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';
import * as reclaimModule from './reclaim.js';

export { eligible } from './reclaim.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { fnStep: f, siteStep: s } = programModule;
const { stepReclaim } = reclaimModule;

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
