// teardown: the VM exits; every page is zapped, freed and reused by the host.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as pagestateModule from '../pagestate.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_VMNP, M_EVENTS, KIND } = codesModule;
const { F_FREED, F_OUT, F_PRESENT, F_PRIVATE } = pagestateModule;
const { fnStep: f, siteStep: s } = programModule;

/** VM teardown: zap one page, free it, the host reuses the memory. */
export function teardownPage(e: Engine, p: number): void {
  const w = e.wIndexOfKind[KIND.teardown];
  e.add(w, M_EVENTS);
  const f = e.flags[p];
  if (f & F_FREED) return;
  if (f & F_PRESENT) {
    if (!e.hook(S_VMNP, p, w, -1, 0, 'zap_pte_range -> vm_normal_page')) {
      // vm_normal_page cannot report an error from zap: the page is leaked into a crash
      e.fail(w, 'crash', p, S_VMNP, 'zap_pte_range cannot fail: the hook failed in vm_normal_page');
    }
    e.ptepClear(p, w, -1, 'zap_pte_range -> ptep_get_and_clear_full', false);
  }
  if (!(f & F_OUT)) e.freePhys(p, w, -1, 'free_pages_and_swap_cache');
  e.flags[p] = F_FREED | (f & F_PRIVATE);
}

export const program: WorkloadProgram = {
  id: 'teardown', runs: 'exit', defaultOps: 0, variant: null, options: [],
  path: () => ({
    steps: [f('VM exit'), f('zap_pte_range'), s('vm_normal_page'), f('ptep_get_and_clear_full'), s('ptep_clear'),
      f('free_pages_and_swap_cache')],
    sink: 'freed',
  }),
};
