// malicious_qemu: QEMU doing O_DIRECT on guest RAM through GUP.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { FOLL_PIN, FOLL_GET, GUP_BACKING, GUP_OK, GUP_RETRY, RUN, DONE, M_CLEAN } = codesModule;
const { GUP_SLOW_PATH, blockPath, fnStep: f, siteStep: s } = programModule;

/**
 * malicious QEMU: O_DIRECT read (device writes RAM) or write (device reads RAM). On
 * guest_memfd a private page's hva reaches the shared backing (GUP_BACKING, [A3]): the I/O
 * succeeds on that page (pc 3, 4), the private page is never touched.
 */
export function step(e: Engine, slot: number, w: number): number {
  const p = e.slotPage[slot];
  const toDevice = e.slotVariant[slot] === 1;
  const foll = e.gup57 ? FOLL_GET : FOLL_PIN;
  switch (e.slotPc[slot]) {
    case 0: {
      const r = e.gup(p, w, slot, foll, !toDevice, e.workloads[w].fastGup, true);
      if (r === GUP_RETRY) return RUN;
      if (r === GUP_BACKING) { e.slotPc[slot] = 3; return RUN; }
      if (r !== GUP_OK) { e.add(w, M_CLEAN); return DONE; }
      e.slotPc[slot] = 1;
      return RUN;
    }
    case 1:
      e.submitBio(p, w, slot, false, toDevice ? 'device-read' : 'device-write');
      e.slotPc[slot] = 2;
      return RUN;
    case 3:
      e.backingIo(p, w, slot, toDevice ? 'device-read' : 'device-write');
      e.slotPc[slot] = 4;
      return RUN;
    case 4:
      e.ev(w, slot, p, foll === FOLL_PIN ? 'unpin_user_pages: the shared backing' : 'put_page: the shared backing', -1, 'release');
      return DONE;
    default:
      e.ungrab(p, foll);
      e.ev(w, slot, p, foll === FOLL_PIN ? 'unpin_user_pages' : 'put_page', -1, 'release');
      return DONE;
  }
}

export const program: WorkloadProgram = {
  id: 'malicious_qemu', runs: 'host', defaultOps: 150, variant: 'writeRatio', options: ['ops', 'writeRatio', 'fastGup'],
  path: (m, spec) => ({
    steps: [f(`O_DIRECT read/write (${m.kernel === '5.7' ? 'FOLL_GET' : 'FOLL_PIN'})`),
      ...(spec.fastGup === false ? [] : [s('gup_fast')]), ...GUP_SLOW_PATH, ...blockPath(m)],
    sink: 'device',
  }),
};
