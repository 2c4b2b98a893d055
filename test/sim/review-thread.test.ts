// The 2020 review of "mm/gup/writeback: add callbacks for inaccessible pages" (seed/),
// replayed as tests: what the merged placement covers and the holes the review found.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/run.js';
import { type Hook, type SimConfig } from '../../src/sim/types.js';
import { type WorkloadId } from '../../src/sim/model.js';

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
function s390(workloads: WorkloadId[], over: Partial<SimConfig> = {}): SimConfig {
  return { arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 128, shared: 0.1, ...over, workloads: workloads.map((kind) => ({ kind })) };
}
function outcome(c: SimConfig, hooks: Hook[]) {
  const rs = seeds.map((s) => simulate(c, hooks, s, { counterexample: false }));
  return {
    passedAll: rs.every((r) => r.passed),
    failedAll: rs.every((r) => !r.passed),
    io: (w: WorkloadId) => rs.reduce((a, r) => a + (r.workloads[w]?.ioErrors ?? 0), 0),
  };
}

// f28d43636d6f (v5.7): GUP with FOLL_PIN (fast and slow) and __test_set_page_writeback();
// plus the export at PTE-clear time that s390's pgtable.h has had since.
const MAINLINE: Hook[] = [
  { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' },
];

describe('the merged placement (v5.7)', () => {
  it('keeps swap and msync safe', () => {
    expect(outcome(s390(['kvm_fault', 'swap', 'mmap_sync']), MAINLINE).passedAll).toBe(true);
  });

  it('keeps a malicious QEMU doing O_DIRECT out on 6.5, where O_DIRECT pins', () => {
    expect(outcome(s390(['kvm_fault', 'malicious_qemu']), MAINLINE).passedAll).toBe(true);
  });

  it('but not on 5.7, where O_DIRECT took FOLL_GET references (fixed by a7e689dd1c06, ~6.5)', () => {
    const o = outcome(s390(['kvm_fault', 'malicious_qemu'], { kernel: '5.7' }), MAINLINE);
    expect(o.failedAll).toBe(true);
    expect(o.io('malicious_qemu')).toBeGreaterThan(0);
  });

  it('[R16] leaves sendfile failing: no GUP, no writeback, no unmap on that path (Hansen, 2020-04-16)', () => {
    const o = outcome(s390(['kvm_fault', 'swap', 'mmap_sync', 'sendfile']), MAINLINE);
    expect(o.failedAll).toBe(true);
    expect(o.io('sendfile')).toBeGreaterThan(0);
    expect(o.io('swap') + o.io('mmap_sync')).toBe(0);
  });

  it('[R16] the unmerged splice patch (Imbrenda, 2020-04-29) closes the sendfile hole', () => {
    expect(outcome(s390(['kvm_fault', 'swap', 'mmap_sync', 'sendfile']), [...MAINLINE, { site: 'splice' }]).passedAll).toBe(true);
  });
});

describe('the alternatives proposed in review', () => {
  it('[R17] kmap alone fails on s390: device I/O never goes through kmap', () => {
    const o = outcome(s390(['kvm_fault', 'swap', 'mmap_sync', 'malicious_qemu']), [{ site: 'kmap' }]);
    expect(o.failedAll).toBe(true);
  });

  it('[R14] the DMA API fails on CCW devices, which bypass it (Imbrenda, 2020-04-28)', () => {
    const o = outcome(s390(['kvm_fault', 'malicious_qemu', 'sendfile']), [{ site: 'dma_map' }]);
    expect(o.failedAll).toBe(true);
  });

  it('the DMA API works for PCI devices', () => {
    const o = outcome(s390(['kvm_fault', 'malicious_qemu', 'sendfile'], { device: 'pci' }), [{ site: 'dma_map' }]);
    expect(o.passedAll).toBe(true);
  });

  it('process_vm_readv pins without device I/O: the fault handler copes, no hook needed', () => {
    expect(outcome(s390(['kvm_fault', 'process_vm_readv']), []).passedAll).toBe(true);
  });

  it('[R22] zswap only touches pages with the CPU: no hook needed', () => {
    expect(outcome(s390(['kvm_fault', 'zswap']), []).passedAll).toBe(true);
  });

  it('[R19] a hook before the page is marked busy (the LRU aging scan) loses the race', () => {
    const c = s390(['kvm_fault', 'swap']);
    const rs = Array.from({ length: 40 }, (_, i) => simulate(c, [{ site: 'reclaim_scan' }], i + 1, { counterexample: false }));
    const failed = rs.filter((r) => !r.passed);
    expect(failed.length).toBeGreaterThan(0);
    const cx = simulate(c, [{ site: 'reclaim_scan' }], seedOf(rs.find((r) => !r.passed)!)).counterexample!;
    const actions = cx.trace.map((e) => e.action);
    // exported at aging, imported back by the guest, then written without a hook
    expect(actions.indexOf('export')).toBeLessThan(actions.indexOf('import'));
    expect(actions.indexOf('import')).toBeLessThan(actions.indexOf('lock'));
    expect(cx.failure.kind).toBe('fatal-io-error');
  });
});

function seedOf(r: { seed: number }): number {
  return r.seed;
}
