// Every outcome row of docs/model.md, and the switches (kernel era, device kind, fast GUP,
// architectures) that decide which path a workload takes.
import { describe, expect, it } from 'vitest';
import { Engine, simulate, type Hook, type SimConfig, type WorkloadId, type WorkloadSpec } from '../../src/sim/index.js';

const S390: Omit<SimConfig, 'workloads'> = { arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 96, shared: 0.1 };

function cfg(workloads: (WorkloadId | WorkloadSpec)[], over: Partial<SimConfig> = {}): SimConfig {
  return { ...S390, ...over, workloads: workloads.map((w) => (typeof w === 'string' ? { kind: w } : w)) };
}

/** Sum of metrics over seeds 1..n (no counterexamples: fast). */
function runSeeds(c: SimConfig, hooks: Hook[], n = 6) {
  const rs = Array.from({ length: n }, (_, i) => simulate(c, hooks, i + 1, { counterexample: false }));
  const sum = (k: keyof (typeof rs)[0]['metrics']) => rs.reduce((a, r) => a + r.metrics[k], 0);
  return { rs, sum, passedAll: rs.every((r) => r.passed), failedAny: rs.some((r) => !r.passed) };
}

const MAINLINE: Hook[] = [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }];

describe('outcome: a device touches a secure page', () => {
  it('during swap: a fatal I/O error', () => {
    const { sum, failedAny } = runSeeds(cfg(['kvm_fault', 'swap']), []);
    expect(failedAny).toBe(true);
    expect(sum('fatalIoErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(sum('ioErrors'));
  });

  it('during msync writeback: a fatal I/O error', () => {
    const { sum } = runSeeds(cfg(['mmap_sync']), []);
    expect(sum('fatalIoErrors')).toBeGreaterThan(0);
  });

  it('on direct I/O: an I/O error the driver recovers from (not fatal)', () => {
    const { sum } = runSeeds(cfg(['malicious_qemu']), []);
    expect(sum('ioErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(0);
    expect(sum('crashes')).toBe(0);
  });

  it('on sendfile: an I/O error, not fatal', () => {
    const { sum } = runSeeds(cfg(['sendfile']), []);
    expect(sum('ioErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(0);
  });
});

describe('outcome: a hook fails where the caller cannot fail', () => {
  const SNP = { arch: 'sev-snp' as const };
  it('writeback hook failing on a private page is a host crash (VM_BUG_ON)', () => {
    const r = simulate(cfg(['mmap_sync'], SNP), [{ site: 'writeback' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.site).toBe('writeback');
  });
  it('ptep_clear hook failing on a private page is a host crash', () => {
    const r = simulate(cfg(['mmap_sync'], SNP), [{ site: 'ptep_clear' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.site).toBe('ptep_clear');
  });
  it('kmap cannot fail either: process_vm_readv with a kmap hook crashes on SEV-SNP', () => {
    const r = simulate(cfg(['process_vm_readv'], SNP), [{ site: 'kmap' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
  });
});

describe('outcome: a hook fails in GUP', () => {
  it('gives the caller a clean error: nothing lost, the run passes', () => {
    const c = cfg(['malicious_qemu'], { arch: 'sev-snp' });
    const { sum, passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }]);
    expect(passedAll).toBe(true);
    expect(sum('cleanErrors')).toBeGreaterThan(0);
    expect(sum('exports')).toBe(0);
  });
  it('but in x86 KVM fault-in (GUP FOLL_GET) it kills the VM', () => {
    const c = cfg(['kvm_fault', 'malicious_qemu'], { arch: 'sev-snp' });
    const r = simulate(c, [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.workload).toBe('kvm_fault');
  });
  it('FOLL_PIN-only hooks leave KVM fault-in alone and stop O_DIRECT cleanly on 6.5', () => {
    const c = cfg(['kvm_fault', 'malicious_qemu'], { arch: 'tdx' });
    const { passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }]);
    expect(passedAll).toBe(true);
  });
});

describe('outcome: the host CPU touches a secure page', () => {
  it('on s390 the fault handler exports it (an exception, never wasted), the run passes', () => {
    const { sum, passedAll } = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), []);
    expect(passedAll).toBe(true);
    expect(sum('exceptions')).toBeGreaterThan(0);
    expect(sum('exports')).toBeGreaterThanOrEqual(sum('exceptions'));
    expect(sum('wastedExports')).toBe(0);
  });
  it('a hook just before the CPU access saves the exception and is not wasted', () => {
    const none = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), []);
    const kmap = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), [{ site: 'kmap' }]);
    expect(kmap.passedAll).toBe(true);
    expect(kmap.sum('exceptions')).toBe(0);
    expect(kmap.sum('wastedExports')).toBe(0);
    expect(none.sum('exceptions')).toBeGreaterThan(0);
  });
  it('on SEV-SNP, TDX and CCA touching a private page is a crash', () => {
    for (const arch of ['sev-snp', 'tdx', 'cca'] as const) {
      const r = simulate(cfg(['process_vm_readv'], { arch }), [], 1, { counterexample: false });
      expect(r.metrics.crashes, arch).toBeGreaterThan(0);
    }
  });
});

describe('outcome: a hook on a page that is already shared or exported', () => {
  it('is only a cheap flag check', () => {
    const c = cfg(['malicious_qemu'], { shared: 1 });
    const { sum, passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }]);
    expect(passedAll).toBe(true);
    expect(sum('exports')).toBe(0);
    expect(sum('hookChecks')).toBeGreaterThan(0);
    expect(sum('hostOverhead')).toBeCloseTo(sum('hookChecks') * 0.1, 5);
  });
});

describe('imports and stalls', () => {
  it('the guest stalls while a page is under writeback, locked or referenced, then imports it', () => {
    const { sum, passedAll } = runSeeds(cfg([{ kind: 'kvm_fault', touches: 3000 }, 'mmap_sync']), MAINLINE);
    expect(passedAll).toBe(true);
    expect(sum('stallRetries')).toBeGreaterThan(0);
    expect(sum('imports')).toBeGreaterThan(0);
    expect(sum('guestStall')).toBe(sum('stallRetries') * 10);
  });
  it('without the guest running nothing is imported', () => {
    const { sum } = runSeeds(cfg(['swap']), MAINLINE);
    expect(sum('imports')).toBe(0);
  });
  it('a trace shows the stall reason from make_folio_secure', () => {
    const e = new Engine(cfg([{ kind: 'kvm_fault', touches: 3000, hot: 0.5 }, 'mmap_sync']), MAINLINE, 3, { trace: true });
    e.run();
    const stalls = e.events!.filter((x) => x.action === 'stall');
    expect(stalls.length).toBeGreaterThan(0);
    expect(stalls.some((x) => /writeback|locked|references|stable/.test(x.note ?? ''))).toBe(true);
  });
});

describe('kernel era, device kind, fast GUP', () => {
  const qemu = (kernel: '5.7' | '6.5') => cfg(['kvm_fault', 'malicious_qemu'], { kernel });
  const PIN: Hook[] = [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }];
  it('5.7: O_DIRECT takes FOLL_GET, the FOLL_PIN hook never fires', () => {
    const r = runSeeds(qemu('5.7'), PIN);
    expect(r.failedAny).toBe(true);
    expect(r.sum('exports')).toBe(0);
  });
  it('6.5: O_DIRECT pins (iov_iter_extract_pages), the FOLL_PIN hook covers it', () => {
    expect(runSeeds(qemu('6.5'), PIN).passedAll).toBe(true);
  });
  it('5.7 needs when=get or any', () => {
    expect(runSeeds(qemu('5.7'), [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }]).passedAll).toBe(true);
  });
  it('the DMA API hook covers PCI devices but CCW channel I/O bypasses it', () => {
    const w: WorkloadId[] = ['kvm_fault', 'malicious_qemu', 'swap'];
    expect(runSeeds(cfg(w, { device: 'pci' }), [{ site: 'dma_map' }, { site: 'ptep_clear', when: 'live' }]).passedAll).toBe(true);
    const ccw = runSeeds(cfg(w, { device: 'ccw' }), [{ site: 'dma_map' }, { site: 'ptep_clear', when: 'live' }]);
    expect(ccw.failedAny).toBe(true);
    expect(ccw.sum('hookChecks')).toBeGreaterThan(0); // ptep_clear still checks
  });
  it('with fast GUP off every O_DIRECT goes through follow_page_pte', () => {
    const slowOnly = cfg(['kvm_fault', { kind: 'malicious_qemu', fastGup: false }]);
    expect(runSeeds(slowOnly, [{ site: 'gup_slow', when: 'pin' }]).passedAll).toBe(true);
    const fast = cfg(['kvm_fault', 'malicious_qemu']);
    expect(runSeeds(fast, [{ site: 'gup_slow', when: 'pin' }]).failedAny).toBe(true);
  });
  it('vm_normal_page covers the slow path only: fast GUP never calls it', () => {
    const slowOnly = cfg(['kvm_fault', { kind: 'malicious_qemu', fastGup: false }]);
    expect(runSeeds(slowOnly, [{ site: 'vm_normal_page' }]).passedAll).toBe(true);
    expect(runSeeds(cfg(['kvm_fault', 'malicious_qemu']), [{ site: 'vm_normal_page' }]).failedAny).toBe(true);
  });
});

describe('reclaim, teardown and freed pages', () => {
  it('a secure page freed without export (clean page with a valid swap copy) fails', () => {
    const { sum } = runSeeds(cfg([{ kind: 'kvm_fault', writeRatio: 0.1 }, 'swap']), [{ site: 'writeback' }], 10);
    expect(sum('ioErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(0);
  });
  it('teardown: export-on-clear wastes every export, destroy-on-teardown does not', () => {
    const c = cfg(['teardown']);
    const any = simulate(c, [{ site: 'ptep_clear', when: 'any' }], 1);
    const live = simulate(c, [{ site: 'ptep_clear', when: 'live' }], 1);
    const none = simulate(c, [], 1);
    expect(any.passed && live.passed).toBe(true);
    expect(any.metrics.wastedExports).toBe(any.metrics.exports);
    expect(any.metrics.exports).toBeGreaterThan(0);
    expect(live.metrics.exports).toBe(0);
    expect(live.metrics.destroys).toBeGreaterThan(0);
    expect(live.metrics.cost).toBeLessThan(any.metrics.cost);
    expect(none.passed).toBe(false);
    expect(none.firstFailure?.kind).toBe('freed-secure');
  });
  it('private memory on SEV-SNP is never reclaimed', () => {
    const r = runSeeds(cfg(['kvm_fault', 'swap', 'zswap'], { arch: 'sev-snp' }), []);
    expect(r.passedAll).toBe(true);
    expect(r.sum('exports')).toBe(0);
  });
  it('reclaim_scan exports far more than reclaim writes (aging sees hot pages too)', () => {
    const scan = runSeeds(cfg(['kvm_fault', 'swap']), [{ site: 'reclaim_scan' }, { site: 'ptep_clear' }]);
    const ptep = runSeeds(cfg(['kvm_fault', 'swap']), [{ site: 'ptep_clear' }]);
    expect(scan.sum('wastedExports')).toBeGreaterThan(ptep.sum('wastedExports'));
  });
});

describe('guest_memfd', () => {
  it('private memory is not mapped: every workload passes with no hooks at all', () => {
    const all: WorkloadId[] = ['kvm_fault', 'host_refs', 'swap', 'malicious_qemu', 'mmap_sync', 'sendfile', 'process_vm_readv', 'zswap', 'teardown'];
    const r = runSeeds(cfg(all, { arch: 'guest-memfd', kernel: '6.5' }), [], 4);
    expect(r.passedAll).toBe(true);
    expect(r.sum('cleanErrors')).toBeGreaterThan(0); // GUP on private memory: -EFAULT
  });
});
