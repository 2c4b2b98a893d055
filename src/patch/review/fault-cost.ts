// fault-cost: a placement over par because the secure-storage fault handler does the
// exporting, one exception per CPU copy.
import type { WorkloadId } from '../../sim/model.js';
import { fmtMetric, n1 } from './context.js';
import { TEXT } from './text.js';
import type { Rule } from './types.js';

export const faultCost: Rule = {
  id: 'fault-cost',
  cost(ctx) {
    const { ev, metrics: m, par } = ctx;
    if (!(m.exceptions > 0 && ctx.costly)) return;
    const by = (Object.keys(ev.workloads) as WorkloadId[]).filter((w) => ev.workloads[w]!.exceptions > 0);
    ctx.add({
      rule: 'fault-cost', file: 'arch/s390/mm/fault.c', function: 'do_secure_storage_access()', severity: 'warning',
      finding: TEXT['fault-cost'].finding(),
      evidence: `${by.map((w) => `${w}: ${n1(ev.workloads[w]!.exceptions)} exceptions per seed`).join('; ')}; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}`,
    });
  },
};
