// Workload entries: a union on `kind`, each kind taking only the options its program
// declares (src/sim/workloads/<id>.ts): an option of another kind is refused, not ignored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkloadSchema } from '../../src/io/schema.js';
import { WORKLOAD_IDS } from '../../src/sim/model.js';
import { PROGRAMS } from '../../src/sim/workloads/index.js';
import { expectRefused, pvlab } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-workload-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const level = (workloads: unknown[]) => ({
  id: 'opts', title: 'Options', chapter: 1, briefing: 'b', arch: 's390-pv', kernel: '6.5', device: 'ccw',
  guest: { pages: 8 }, workloads, sites: ['writeback'], seeds: { visible: [1], hidden: 0 },
});

describe('workload options per kind', () => {
  it('a level giving swap the options of sendfile and kvm_fault is refused in one line (exit 2)', async () => {
    const f = join(dir, 'swap-opts.json');
    writeFileSync(f, JSON.stringify(level([{ kind: 'swap', target: 'file', vcpus: 3 }])));
    expectRefused(await pvlab(['run', f]), /swap-opts\.json.*(target|vcpus)/);
  });

  it.each(WORKLOAD_IDS.map((w) => [w]))('%s takes its own options and no other', (w) => {
    const own = PROGRAMS[w].options;
    for (const o of new Set(WORKLOAD_IDS.flatMap((x) => PROGRAMS[x].options))) {
      const value = o === 'target' ? 'file' : o === 'fastGup' || o === 'zeroCopy' ? true : o === 'vcpus' ? 2 : o === 'ops' || o === 'touches' ? 3 : 0.5;
      expect(WorkloadSchema.safeParse({ kind: w, [o]: value }).success, `${w}.${o}`).toBe(own.includes(o));
    }
  });
});
