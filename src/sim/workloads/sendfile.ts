// sendfile: page-cache pages to a socket or a file, no GUP.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as pagestateModule from '../pagestate.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

/** sendfile: page-cache reference -> pipe_buf_confirm -> NIC or disk */
export function step(e: Engine, slot: number, w: number): number {
  const p = e.slotPage[slot];
  const rt = e.workloads[w];
  switch (e.slotPc[slot]) {
    case 0:
      if (e.flags[p] & F_OUT) return DONE;
      e.refs[p]++;
      e.ev(w, slot, p, 'filemap_splice_read -> filemap_get_pages', -1, 'get');
      e.slotPc[slot] = 1;
      return RUN;
    case 1:
      if (!e.hook(S_SPLICE, p, w, slot, 0, 'page_cache_pipe_buf_confirm')) {
        e.add(w, M_CLEAN);
        e.refs[p]--;
        return DONE;
      }
      e.slotPc[slot] = 2;
      return RUN;
    case 2:
      if (rt.toFile) e.submitBio(p, w, slot, false, 'device-read');
      else if (rt.zeroCopy) e.dmaAndDevice(p, w, slot, false, 'device-read');
      else if (e.hook(S_KMAP, p, w, slot, 0, 'skb_copy_datagram -> kmap_local_page')) {
        e.cpu(p, w, slot, 'copy into an skb (CPU)');
      } else {
        e.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in a socket copy');
      }
      e.slotPc[slot] = 3;
      return RUN;
    default:
      e.refs[p]--;
      e.ev(w, slot, p, 'pipe_buf_release -> put_page', -1, 'release');
      return DONE;
  }
}

export { eligible } from './mmap_sync.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_SPLICE, S_KMAP, RUN, DONE, M_CLEAN } = codesModule;
const { F_OUT } = pagestateModule;
const { blockPath, fnStep: f, siteStep: s } = programModule;

export const program: WorkloadProgram = {
  id: 'sendfile', runs: 'host', defaultOps: 150, variant: null, options: ['ops', 'target', 'zeroCopy'],
  path: (m, spec) => {
    const steps = [f('sendfile'), f('filemap_get_pages (ref)'), f('pipe_buf_confirm'), s('splice')];
    if (spec.target === 'file') return { steps: [...steps, ...blockPath(m)], sink: 'device' };
    if (spec.zeroCopy === false) return { steps: [...steps, f('skb copy'), s('kmap'), f('CPU copy')], sink: 'CPU' };
    return { steps: [...steps, ...(m.device === 'pci' ? [f('dma_map_page'), s('dma_map')] : []), f('NIC zero-copy')], sink: 'device' };
  },
};
