// One descriptor per site, workload and architecture: every id of SITE_IDS, WORKLOAD_IDS and
// ARCH_IDS has a complete one, and the engine has a program for every workload (derived
// from the id lists, not counted by hand).
import { describe, expect, it } from 'vitest';
import { KIND, type Kind } from '../../src/sim/codes.js';
import { Engine } from '../../src/sim/engine.js';
import { MOVE_LIMITS } from '../../src/sim/exmoves.js';
import { ARCH_IDS, ARCHES, SITE_IDS, SITES, WORKLOAD_IDS, WORKLOADS } from '../../src/sim/model.js';
import type { SimConfig } from '../../src/sim/types.js';
import { PROGRAMS, stepProgram } from '../../src/sim/workloads/index.js';

describe('workload descriptors', () => {
  it.each(WORKLOAD_IDS.map((w, i) => [w, i] as const))('%s: a program, a kind code, an entry; host programs run', (w, i) => {
    expect(PROGRAMS[w].id).toBe(w);
    expect(WORKLOADS[w].id).toBe(w);
    expect(WORKLOADS[w].entry.length).toBeGreaterThan(0);
    expect(KIND[w]).toBe(i);
    const program = PROGRAMS[w];
    expect(program.defaultOps > 0).toBe(program.runs === 'host');
    if (program.variant) expect(program.options).toContain(program.variant);
    // the workload alone (the guest too, so that pages move) runs to completion on every arch
    for (const arch of ARCH_IDS) {
      const cfg: SimConfig = {
        arch, kernel: '6.5', device: 'pci', pages: 16, shared: 0.25,
        workloads: [...(w === 'kvm_fault' ? [] : [{ kind: 'kvm_fault' as const, touches: 40 }]), { kind: w, ops: 20 }],
      };
      const e = new Engine(cfg, [], 1);
      e.run();
      expect(e.done, `${w} on ${arch}`).toBe(true);
      expect(e.metricsOf(e.wIndexOfKind[KIND[w]]).events, `${w} on ${arch}`).toBeGreaterThan(0);
    }
  });

  it('a kind without a host program throws instead of doing nothing', () => {
    const e = new Engine({ arch: 's390-pv', kernel: '6.5', device: 'pci', pages: 4, shared: 0, workloads: [{ kind: 'swap' }] }, [], 1);
    expect(() => stepProgram(e, KIND.kvm_fault, 0, 0)).toThrow(/not a host operation/);
    expect(() => stepProgram(e, WORKLOAD_IDS.length as Kind, 0, 0)).toThrow(/has no host program/);
  });

  it('the exhaustive search can encode every workload', () => {
    expect(WORKLOAD_IDS.length).toBeLessThanOrEqual(MOVE_LIMITS.workloads);
  });
});

describe('site descriptors', () => {
  it.each(SITE_IDS.map((s) => [s]))('%s: id, facts, board slot', (s) => {
    const d = SITES[s];
    expect(d.id).toBe(s);
    expect(d.facts.reachedBy.length).toBeGreaterThan(20);
    expect(d.board.abbr.length).toBeGreaterThan(0);
    expect(d.board.abbr.length).toBeLessThanOrEqual(4);
    // every placeable site has a column on the board
    if (d.placeable) expect(d.board.column).not.toBeNull();
  });

  it('board columns and headings are distinct', () => {
    const cols = SITE_IDS.map((s) => SITES[s].board.column).filter((c) => c !== null);
    expect(new Set(cols).size).toBe(cols.length);
    expect(new Set(SITE_IDS.map((s) => SITES[s].board.abbr)).size).toBe(SITE_IDS.length);
  });
});

describe('architecture descriptors', () => {
  it.each(ARCH_IDS.map((a) => [a]))('%s: title composed of name, era and detail; a real machine', (a) => {
    const d = ARCHES[a];
    expect(d.id).toBe(a);
    expect(d.title.startsWith(d.name)).toBe(true);
    if (d.since) expect(d.title).toContain(`Linux ${d.since}`);
    expect(d.kernels.length).toBeGreaterThan(0);
    expect(d.devices.length).toBeGreaterThan(0);
  });
});
