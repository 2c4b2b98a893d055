// [R9] ptep_clear's `live` destroys on s390 only: the engine and the board's side panel agree
// per architecture (the side panel reads siteFactsFor(site, arch)).
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, ARCHES, type ArchId } from '../../src/sim/model.js';
import { simulate } from '../../src/sim/run.js';
import { siteFactsFor, SITE_FACTS } from '../../src/sim/sitefacts.js';
import type { SimConfig } from '../../src/sim/types.js';

function teardownRun(arch: ArchId, when: 'any' | 'live') {
  const c: SimConfig = {
    arch, kernel: '6.5', device: arch === 's390-pv' ? 'ccw' : 'pci', pages: 64, shared: 0.1,
    workloads: [{ kind: 'kvm_fault' }, { kind: 'teardown' }],
  };
  return simulate(c, [{ site: 'ptep_clear', when }], 1, { counterexample: false });
}

describe('[R9] ptep_clear live: destroy at teardown is s390 only', () => {
  it('[R9] on s390 a live hook destroys at teardown, and the panel says so', () => {
    expect(teardownRun('s390-pv', 'live').metrics.destroys).toBeGreaterThan(0);
    expect(siteFactsFor('ptep_clear', 's390-pv').conditions).toMatch(/destroyed/);
  });

  it('[R9] on SEV-SNP and TDX a live hook stays out of teardown: no destroy, no crash there; the panel names the architecture\'s reclaim', () => {
    for (const arch of ['sev-snp', 'tdx'] as const) {
      const live = teardownRun(arch, 'live');
      const any = teardownRun(arch, 'any');
      expect(live.metrics.destroys).toBe(0);
      expect(live.workloads.teardown!.crashes).toBe(0);
      expect(any.workloads.teardown!.crashes).toBeGreaterThan(0);
      const text = siteFactsFor('ptep_clear', arch).conditions!;
      expect(text).not.toMatch(/destroy/);
      expect(text).toMatch(arch === 'sev-snp' ? /RMPUPDATE/ : /TDH\.PHYMEM\.PAGE\.RECLAIM/);
    }
  });

  it('[R9] where private memory is not mapped in the host (CCA, guest_memfd) any and live act alike, and the panel says so', () => {
    for (const arch of ARCH_IDS.filter((a) => !ARCHES[a].privateMapped)) {
      const live = teardownRun(arch, 'live');
      const any = teardownRun(arch, 'any');
      expect(live.metrics).toEqual(any.metrics);
      expect(siteFactsFor('ptep_clear', arch).conditions).toMatch(/act alike/);
    }
  });

  it('[R9] no architecture without an export reads the s390 destroy text', () => {
    for (const arch of ARCH_IDS) {
      const c = siteFactsFor('ptep_clear', arch).conditions;
      expect(c === SITE_FACTS.ptep_clear.conditions).toBe(ARCHES[arch].canExport);
    }
  });
});
