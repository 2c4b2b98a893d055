// Every outcome row of the model (docs/model.md), and the switches (kernel era, device kind, fast GUP,
// architectures) that decide which path a workload takes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { F_DIRTY, F_PRESENT, F_SWAPPED, F_WRITABLE, Engine } from '../../src/sim/engine.js';
import { laneSites, lanesFor } from '../../src/sim/lanes.js';
import { parseLevel } from '../../src/io/schema.js';
import { ARCH_IDS, DEVICE_IDS, KERNEL_IDS, machineProblem, type WorkloadId } from '../../src/sim/model.js';
import { simulate } from '../../src/sim/run.js';
import { type Hook, type SimConfig, type WorkloadSpec } from '../../src/sim/types.js';

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
  it('[R2] during swap: a fatal I/O error', () => {
    const { sum, failedAny } = runSeeds(cfg(['kvm_fault', 'swap']), []);
    expect(failedAny).toBe(true);
    expect(sum('fatalIoErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(sum('ioErrors'));
  });

  it('[R2] during msync writeback: a fatal I/O error', () => {
    const { sum } = runSeeds(cfg(['mmap_sync']), []);
    expect(sum('fatalIoErrors')).toBeGreaterThan(0);
  });

  it('[R2] on direct I/O: an I/O error the driver recovers from (not fatal)', () => {
    const { sum } = runSeeds(cfg(['malicious_qemu']), []);
    expect(sum('ioErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(0);
    expect(sum('crashes')).toBe(0);
  });

  it('[R2] on sendfile: an I/O error, not fatal', () => {
    const { sum } = runSeeds(cfg(['sendfile']), []);
    expect(sum('ioErrors')).toBeGreaterThan(0);
    expect(sum('fatalIoErrors')).toBe(0);
  });
});

describe('outcome: a hook fails where the caller cannot fail', () => {
  const SNP = { arch: 'sev-snp' as const };
  it('[R8] writeback hook failing on a private page is a host crash (VM_BUG_ON)', () => {
    const r = simulate(cfg(['mmap_sync'], SNP), [{ site: 'writeback' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.site).toBe('writeback');
  });
  it('[R9] ptep_clear hook failing on a private page is a host crash', () => {
    const r = simulate(cfg(['mmap_sync'], SNP), [{ site: 'ptep_clear' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.site).toBe('ptep_clear');
  });
  it('[R17] kmap cannot fail either: process_vm_readv with a kmap hook crashes on SEV-SNP', () => {
    const r = simulate(cfg(['process_vm_readv'], SNP), [{ site: 'kmap' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
  });
});

describe('outcome: a hook fails in GUP', () => {
  it('[R7] gives the caller a clean error: nothing lost, the run passes', () => {
    const c = cfg(['malicious_qemu'], { arch: 'sev-snp' });
    const { sum, passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }]);
    expect(passedAll).toBe(true);
    expect(sum('cleanErrors')).toBeGreaterThan(0);
    expect(sum('exports')).toBe(0);
  });
  it('[R20] but in x86 KVM fault-in (GUP FOLL_GET) it kills the VM', () => {
    const c = cfg(['kvm_fault', 'malicious_qemu'], { arch: 'sev-snp' });
    const r = simulate(c, [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }], 1, { counterexample: false });
    expect(r.metrics.crashes).toBeGreaterThan(0);
    expect(r.firstFailure?.workload).toBe('kvm_fault');
  });
  it('[R7] FOLL_PIN-only hooks leave KVM fault-in alone and stop O_DIRECT cleanly on 6.5', () => {
    const c = cfg(['kvm_fault', 'malicious_qemu'], { arch: 'tdx' });
    const { passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }]);
    expect(passedAll).toBe(true);
  });
});

describe('outcome: the host CPU touches a secure page', () => {
  it('[R13] on s390 the fault handler exports it (an exception, never wasted), the run passes', () => {
    const { sum, passedAll } = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), []);
    expect(passedAll).toBe(true);
    expect(sum('exceptions')).toBeGreaterThan(0);
    expect(sum('exports')).toBeGreaterThanOrEqual(sum('exceptions'));
    expect(sum('wastedExports')).toBe(0);
  });
  it('[R13] a hook just before the CPU access saves the exception and is not wasted', () => {
    const none = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), []);
    const kmap = runSeeds(cfg(['kvm_fault', 'process_vm_readv']), [{ site: 'kmap' }]);
    expect(kmap.passedAll).toBe(true);
    expect(kmap.sum('exceptions')).toBe(0);
    expect(kmap.sum('wastedExports')).toBe(0);
    expect(none.sum('exceptions')).toBeGreaterThan(0);
  });
  it('[A4] on TDX a host CPU read of a private page is a crash; on SEV-SNP it reads ciphertext', () => {
    const tdx = simulate(cfg(['process_vm_readv'], { arch: 'tdx' }), [], 1, { counterexample: false });
    expect(tdx.metrics.crashes).toBeGreaterThan(0);
    const snp = simulate(cfg(['process_vm_readv'], { arch: 'sev-snp' }), [], 1, { counterexample: false });
    expect(snp.passed).toBe(true);
    expect(snp.metrics.crashes).toBe(0);
    expect(snp.metrics.ciphertextReads).toBeGreaterThan(0);
  });
  it('[A3] on CCA private memory is never mapped: GUP on its address finds only the shared backing, nothing touches the private page', () => {
    const r = simulate(cfg(['process_vm_readv', 'sendfile', 'malicious_qemu'], { arch: 'cca' }), [], 1, { counterexample: false });
    expect(r.passed).toBe(true);
    expect(r.metrics.cpuAccesses).toBeGreaterThan(0); // shared pages and the shared backing of private ones
    expect(r.metrics.ciphertextReads + r.metrics.crashes + r.metrics.cleanErrors).toBe(0);
  });
});

describe('outcome: a hook on a page that is already shared or exported', () => {
  it('[R21] is only a cheap flag check', () => {
    const c = cfg(['malicious_qemu'], { shared: 1 });
    const { sum, passedAll } = runSeeds(c, [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }]);
    expect(passedAll).toBe(true);
    expect(sum('exports')).toBe(0);
    expect(sum('hookChecks')).toBeGreaterThan(0);
    expect(sum('hostOverhead')).toBeCloseTo(sum('hookChecks') * 0.1, 5);
  });
});

describe('imports and stalls', () => {
  it('[R1] the guest stalls while a page is under writeback, locked or referenced, then imports it', () => {
    const { sum, passedAll } = runSeeds(cfg([{ kind: 'kvm_fault', touches: 3000 }, 'mmap_sync']), MAINLINE);
    expect(passedAll).toBe(true);
    expect(sum('stallRetries')).toBeGreaterThan(0);
    expect(sum('imports')).toBeGreaterThan(0);
    expect(sum('guestStall')).toBe(sum('stallRetries') * 10);
  });
  it('[R1] without the guest running nothing is imported', () => {
    const { sum } = runSeeds(cfg(['swap']), MAINLINE);
    expect(sum('imports')).toBe(0);
  });
  it('[R1] a trace shows the stall reason from make_folio_secure', () => {
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
  it('[R7] 5.7: O_DIRECT takes FOLL_GET, the FOLL_PIN hook never fires', () => {
    const r = runSeeds(qemu('5.7'), PIN);
    expect(r.failedAny).toBe(true);
    expect(r.sum('exports')).toBe(0);
  });
  it('[R7] 6.5: O_DIRECT pins (iov_iter_extract_pages), the FOLL_PIN hook covers it', () => {
    expect(runSeeds(qemu('6.5'), PIN).passedAll).toBe(true);
  });
  it('[R7] 5.7 needs when=get or any', () => {
    expect(runSeeds(qemu('5.7'), [{ site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }]).passedAll).toBe(true);
  });
  it('[R14] the DMA API hook covers PCI devices but CCW channel I/O bypasses it', () => {
    const w: WorkloadId[] = ['kvm_fault', 'malicious_qemu', 'swap'];
    expect(runSeeds(cfg(w, { device: 'pci' }), [{ site: 'dma_map' }, { site: 'ptep_clear', when: 'live' }]).passedAll).toBe(true);
    const ccw = runSeeds(cfg(w, { device: 'ccw' }), [{ site: 'dma_map' }, { site: 'ptep_clear', when: 'live' }]);
    expect(ccw.failedAny).toBe(true);
    expect(ccw.sum('hookChecks')).toBeGreaterThan(0); // ptep_clear still checks
  });
  it('[R7] with fast GUP off every O_DIRECT goes through follow_page_pte', () => {
    const slowOnly = cfg(['kvm_fault', { kind: 'malicious_qemu', fastGup: false }]);
    expect(runSeeds(slowOnly, [{ site: 'gup_slow', when: 'pin' }]).passedAll).toBe(true);
    const fast = cfg(['kvm_fault', 'malicious_qemu']);
    expect(runSeeds(fast, [{ site: 'gup_slow', when: 'pin' }]).failedAny).toBe(true);
  });
  it('[R18] vm_normal_page covers the slow path only: fast GUP never calls it', () => {
    const slowOnly = cfg(['kvm_fault', { kind: 'malicious_qemu', fastGup: false }]);
    expect(runSeeds(slowOnly, [{ site: 'vm_normal_page' }]).passedAll).toBe(true);
    expect(runSeeds(cfg(['kvm_fault', 'malicious_qemu']), [{ site: 'vm_normal_page' }]).failedAny).toBe(true);
  });
});

describe('reclaim, teardown and freed pages', () => {
  it('[R3] writeback alone covers swap: an imported page is dirty, so no secure page is dropped clean', () => {
    const { sum, passedAll } = runSeeds(cfg([{ kind: 'kvm_fault', writeRatio: 0.1 }, 'swap']), [{ site: 'writeback' }], 10);
    expect(passedAll).toBe(true);
    expect(sum('freedSecure')).toBe(0);
    expect(sum('imports')).toBeGreaterThan(0);
  });
  it('[R10] a secure page freed at teardown is counted as freedSecure, not as an I/O error, and fails the run', () => {
    const r = simulate(cfg(['teardown']), [], 1, { counterexample: false });
    expect(r.passed).toBe(false);
    expect(r.metrics.freedSecure).toBeGreaterThan(0);
    expect(r.metrics.ioErrors + r.metrics.crashes).toBe(0);
    expect(r.workloads.teardown!.freedSecure).toBe(r.metrics.freedSecure);
  });
  it('[R9] teardown: export-on-clear wastes every export, destroy-on-teardown does not', () => {
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
  it('[A5] private memory on SEV-SNP is never reclaimed', () => {
    const r = runSeeds(cfg(['kvm_fault', 'swap', 'zswap'], { arch: 'sev-snp' }), []);
    expect(r.passedAll).toBe(true);
    expect(r.sum('exports')).toBe(0);
  });
  it('[R11] aging deactivates a referenced anonymous page all the same; reclaim keeps it once, activates it twice', () => {
    const c = cfg([{ kind: 'kvm_fault', touches: 8 }, { kind: 'swap', ops: 1 }], { pages: 1, shared: 0 });
    const e = new Engine(c, [], 0, { trace: true });
    e.replay([{ t: 'guest', page: 0, write: false }, { t: 'start', id: 0, w: 1, page: 0, v: 0 }]);
    expect(e.events!.at(-1)).toMatchObject({ action: 'age', note: expect.stringMatching(/young: bits cleared, moved to the inactive list/) });
    e.replay([{ t: 'guest', page: 0, write: false }, { t: 'step', id: 0 }]);
    expect(e.events!.at(-1)).toMatchObject({ action: 'keep' });
    e.replay([{ t: 'guest', page: 0, write: false }, { t: 'step', id: 0 }]);
    expect(e.events!.at(-1)).toMatchObject({ action: 'activate' });
  });
});

describe('guest_memfd', () => {
  it('[A3] private memory is not mapped: every workload passes with no hooks at all', () => {
    const all: WorkloadId[] = ['kvm_fault', 'host_refs', 'swap', 'malicious_qemu', 'mmap_sync', 'sendfile', 'process_vm_readv', 'zswap', 'teardown'];
    const r = runSeeds(cfg(all, { arch: 'guest-memfd', kernel: '6.5' }), [], 4);
    expect(r.passedAll).toBe(true);
    // GUP on a private page's hva reaches the shared backing (api.rst: userspace_addr is the
    // shared memory): no -EFAULT, no error of any kind
    expect(r.sum('cleanErrors')).toBe(0);
  });
  it('[A3] guest_memfd: O_DIRECT on a private page\'s hva pins the shared backing and succeeds; a later GUP finds it in fast GUP', () => {
    const c = cfg([{ kind: 'malicious_qemu', ops: 200, writeRatio: 0.5 }], { arch: 'guest-memfd', kernel: '6.5', device: 'pci', pages: 16 });
    const r = runSeeds(c, []);
    expect(r.passedAll).toBe(true);
    expect(r.sum('cleanErrors') + r.sum('ioErrors')).toBe(0);
    expect(r.sum('deviceIos')).toBe(6 * 200); // every request reached the device
    const e = new Engine(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }], 1, { trace: true });
    e.replay([{ t: 'start', id: 0, w: 0, page: 0, v: 0 }, { t: 'step', id: 0 }, { t: 'step', id: 0 },
      { t: 'start', id: 1, w: 0, page: 0, v: 0 }]);
    const fns = e.events!.map((x) => x.fn);
    expect(fns.slice(0, 2)).toEqual(['handle_mm_fault: a fresh shared backing page', 'follow_page_pte (slow GUP): the shared backing']);
    expect(fns).toContain('PCI device DMA: the shared backing');
    expect(e.events!.some((x) => x.action === 'device-read' || x.action === 'device-write')).toBe(false);
    expect(fns.at(-1)).toBe('gup_pte_range (fast GUP): the shared backing');
    expect(e.state[0]).toBe(0); // ST_SECURE: the private page itself is untouched
    const t = e.totals();
    expect(t.hookChecks).toBe(2); // flag checks on the shared backing: slow GUP once, then fast GUP once
    expect(t.exports + t.ioErrors + t.crashes + t.cleanErrors).toBe(0);
  });
});

describe('SEV-SNP devices', () => {
  it('[A4] on SEV-SNP a device read of a private page is an I/O error (the IOMMU applies the RMP to DMA both ways)', () => {
    const c = cfg([{ kind: 'malicious_qemu', ops: 1, writeRatio: 1 }], { arch: 'sev-snp', device: 'pci', pages: 1, shared: 0 });
    const e = new Engine(c, [], 0, { trace: true });
    e.replay([{ t: 'start', id: 0, w: 0, page: 0, v: 1 }, { t: 'step', id: 0 }]); // v 1: O_DIRECT write, the device reads RAM
    expect(e.events!.some((x) => x.action === 'device-read' && x.outcome === 'io-error')).toBe(true);
    expect(e.totals().ioErrors).toBe(1);
    expect(e.totals().ciphertextReads).toBe(0); // unlike a host CPU read
  });
});

describe('machines that existed', () => {
  it('[A6] guest_memfd and CCA only on the 6.5 mm; virtio-ccw only on s390: levels and sandboxes refuse the rest', () => {
    const ok: string[] = [];
    for (const arch of ARCH_IDS) for (const kernel of KERNEL_IDS) for (const device of DEVICE_IDS) {
      if (!machineProblem(arch, kernel, device)) ok.push(`${arch}/${kernel}/${device}`);
    }
    expect(ok).toEqual([
      's390-pv/5.7/ccw', 's390-pv/5.7/pci', 's390-pv/6.5/ccw', 's390-pv/6.5/pci',
      'sev-snp/5.7/pci', 'sev-snp/6.5/pci', 'tdx/5.7/pci', 'tdx/6.5/pci', 'cca/6.5/pci', 'guest-memfd/6.5/pci',
    ]);
    expect(machineProblem('guest-memfd', '5.7', 'pci')).toEqual({ field: 'kernel', message: 'guest-memfd needs kernel 6.5: guest_memfd came with 6.8' });
    expect(machineProblem('tdx', '6.5', 'ccw')?.field).toBe('device');
    // a level file with such a machine is refused with the field and the reason
    const level = JSON.parse(readFileSync(new URL('../../levels/25-guest-memfd.json', import.meta.url), 'utf8'));
    expect(() => parseLevel(level, 'gm.json')).not.toThrow();
    expect(() => parseLevel({ ...level, kernel: '5.7' }, 'gm.json')).toThrow(/^gm\.json: kernel: guest-memfd needs kernel 6\.5: guest_memfd came with 6\.8/);
    expect(() => parseLevel({ ...level, device: 'ccw' }, 'gm.json')).toThrow(/^gm\.json: device: guest-memfd has no ccw device/);
  });
});

describe('rules from the kernel sources', () => {
  it('[R6] a fast-GUP refusal falls back to slow GUP: only a slow-path refusal is final', () => {
    const c = cfg(['kvm_fault', 'malicious_qemu'], { arch: 'sev-snp', device: 'pci' });
    const fastOnly = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }]);
    expect(fastOnly.failedAny).toBe(true); // the slow path pins the private page anyway
    const both = runSeeds(c, [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }]);
    expect(both.passedAll).toBe(true);
    expect(both.sum('cleanErrors')).toBeGreaterThan(0);
    const e = new Engine(c, [{ site: 'gup_fast', when: 'pin' }], 1, { trace: true });
    e.run();
    expect(e.events!.some((x) => x.action === 'fallback' && x.fn === 'internal_get_user_pages_fast')).toBe(true);
  });
  it('[R3] on s390 a writable PTE is always dirty (every fault that maps writable dirties)', () => {
    for (const seed of [1, 2, 3, 4]) {
      const e = new Engine(cfg(['kvm_fault', 'swap', 'mmap_sync', 'malicious_qemu', 'host_refs', 'zswap']), [{ site: 'writeback' }, { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }], seed);
      while (!e.advance(97)) {
        for (let p = 0; p < e.n; p++) if (e.flags[p] & F_WRITABLE) expect(e.flags[p] & F_DIRTY).toBe(F_DIRTY);
      }
    }
  });
  it('[R12][R18] 6.5 NUMA queries go through fast GUP (lookup_node: get_user_pages_fast); 5.7 ones through slow GUP only', () => {
    const spec = { kind: 'host_refs' as const, ops: 60, munlockRatio: 0 };
    const fastAny: Hook[] = [{ site: 'gup_fast', when: 'any' }];
    const slowAny: Hook[] = [{ site: 'gup_slow', when: 'any' }];
    // 6.5: every page is mapped, so fast GUP takes every lookup and the slow path sees none
    expect(runSeeds(cfg([spec], { kernel: '6.5' }), fastAny).sum('hookChecks')).toBe(6 * 60);
    expect(runSeeds(cfg([spec], { kernel: '6.5' }), slowAny).sum('hookChecks')).toBe(0);
    expect(runSeeds(cfg([spec], { kernel: '6.5' }), [{ site: 'vm_normal_page' }]).sum('hookChecks')).toBe(0);
    // 5.7: get_user_pages_locked(): slow GUP only
    expect(runSeeds(cfg([spec], { kernel: '5.7' }), fastAny).sum('hookChecks')).toBe(0);
    expect(runSeeds(cfg([spec], { kernel: '5.7' }), slowAny).sum('hookChecks')).toBe(6 * 60);
    // a fast-path miss (the page swapped out) reaches the slow path on 6.5 too
    const c = cfg([{ kind: 'kvm_fault', touches: 8 }, spec, { kind: 'swap', ops: 1 }], { kernel: '6.5', pages: 1, shared: 1 });
    const e = new Engine(c, slowAny, 0, { trace: true });
    e.flags[0] = (e.flags[0] & ~(F_PRESENT | F_WRITABLE)) | F_SWAPPED;
    e.replay([{ t: 'start', id: 0, w: 1, page: 0, v: 0 }]);
    expect(e.events!.map((x) => x.fn)).toContain('follow_page_pte (slow GUP)');
    expect(e.totals().hookChecks).toBe(1);
    // the lanes say the same
    expect(laneSites(lanesFor(cfg([spec], { kernel: '6.5' }))[0])).toEqual(['gup_fast', 'vm_normal_page', 'gup_slow']);
    expect(laneSites(lanesFor(cfg([spec], { kernel: '5.7' }))[0])).toEqual(['vm_normal_page', 'gup_slow']);
  });
  it('[R12] 6.5 munlock looks the page up with vm_normal_folio(): no GUP, no reference; 5.7 used follow_page(FOLL_GET)', () => {
    const spec = { kind: 'host_refs' as const, ops: 60, munlockRatio: 1 };
    const hooks: Hook[] = [{ site: 'gup_slow', when: 'get' }];
    expect(runSeeds(cfg([spec], { kernel: '6.5' }), hooks).sum('hookChecks')).toBe(0);
    expect(runSeeds(cfg([spec], { kernel: '5.7' }), hooks).sum('hookChecks')).toBeGreaterThan(0);
    expect(runSeeds(cfg([spec], { kernel: '6.5' }), [{ site: 'vm_normal_page' }]).sum('hookChecks')).toBeGreaterThan(0);
  });
});
