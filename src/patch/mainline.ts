// Mainline's own placement, the one the patch screen compares a solved level with.
import type { KernelId } from '../sim/model.js';
import type { Hook } from '../sim/types.js';

/** Mainline's own placement: both GUP walks for FOLL_PIN, writeback, s390's PTE-clear export. */
export function mainlineHooks(level: { kernel: KernelId }): Hook[] {
  return [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' },
    level.kernel === '5.7' ? { site: 'ptep_clear' } : { site: 'ptep_clear', when: 'live' }];
}
