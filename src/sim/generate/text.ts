// The words of a generated level: title, briefing, objectives, hints. Written from the
// machine alone (architecture, era, device, workloads and their parameters, prices):
// levelText's input is a Machine, which is drawn before any placement is scored, so the
// text cannot depend on the answer, the par or a run's metrics (by construction; a
// type-level test holds the input to those fields). No text names a hook site.
import { ARCHES, DEFAULT_COSTS, type Costs } from '../model.js';
import type { WorkloadSpec } from '../types.js';
import type { Machine } from './machine.js';

export interface LevelText {
  title: string;
  briefing: string;
  objectives: string[];
  hints: string[];
}

/** What levelText reads: the machine, nothing from enumeration. */
export type TextInput = Readonly<Machine>;

const pct = (x: number) => `${Math.round(x * 100)}%`;

function workloadLine(w: WorkloadSpec, m: TextInput): string {
  const disk = m.device === 'ccw' ? 'the channel-attached disk' : 'the PCI disk';
  switch (w.kind) {
    case 'kvm_fault':
      return `The guest runs: ${w.touches ?? 2000} touches of its pages, ${pct(w.hotProb ?? 0.8)} of them to a hot set of ${pct(w.hot ?? 0.125)} of its memory, ${pct(w.writeRatio ?? 0.5)} writes.`;
    case 'swap':
      return `Reclaim ages the LRU ${w.ops ?? 300} times and swaps the pages it evicts out to ${disk}.`;
    case 'zswap':
      return `zswap ages the LRU ${w.ops ?? 300} times and compresses the pages it evicts with the host CPU.`;
    case 'mmap_sync':
      return `Guest RAM is a shared file mapping: msync() writes dirty pages to ${disk}, ${w.ops ?? 200} times.`;
    case 'malicious_qemu':
      return `A malicious QEMU does ${w.ops ?? 150} O_DIRECT requests on guest RAM (${pct(w.writeRatio ?? 0.5)} of them write guest pages to ${disk})${w.fastGup === false ? ', through the slow GUP path only' : ''}.`;
    case 'sendfile':
      return w.target === 'file'
        ? `QEMU copies ${w.ops ?? 150} pages of the guest RAM file to a file on ${disk} with sendfile().`
        : `QEMU sends ${w.ops ?? 150} pages of the guest RAM file to a socket with sendfile(), ${w.zeroCopy === false ? 'the CPU copying each page' : 'zero-copy: the NIC reads the page'}.`;
    case 'process_vm_readv':
      return `A debugger reads guest memory ${w.ops ?? 150} times with process_vm_readv() (remote pins, a CPU copy).`;
    case 'host_refs':
      return `The host looks guest pages up ${w.ops ?? 150} times (NUMA queries and munlock, ${pct(w.munlockRatio ?? 0.5)} munlock); it never reads their contents.`;
    case 'teardown':
      return 'At the end the VM exits and its memory goes back to the host.';
  }
}

const PRICE_WORDS: Readonly<Record<keyof Costs, { name: string; dear: string; cheap: string }>> = {
  export: { name: 'an export', dear: 'exporting a page nobody uses is expensive', cheap: 'an early export is cheap' },
  import: { name: 'an import', dear: 'every page the guest has to take back is expensive', cheap: 'the guest takes pages back cheaply' },
  exception: { name: 'a fault-handler exception', dear: 'letting the host CPU fault on a protected page is expensive', cheap: 'a host CPU fault is cheap' },
  hookCheck: { name: 'a hook check', dear: 'a hook on a busy path costs at every call', cheap: 'hook checks are cheap' },
  stallRetry: { name: 'a guest stall retry', dear: 'keeping the guest waiting is expensive', cheap: 'a guest stall is cheap' },
  destroy: { name: 'a destroy', dear: 'destroying pages is expensive', cheap: 'destroying pages is cheap' },
};

function priceLines(m: TextInput): string[] {
  const out: string[] = [];
  for (const k of Object.keys(DEFAULT_COSTS) as (keyof Costs)[]) {
    const v = m.costs?.[k];
    if (v === undefined) continue;
    const d = DEFAULT_COSTS[k];
    const w = PRICE_WORDS[k];
    out.push(`${w.name[0]!.toUpperCase()}${w.name.slice(1)} costs ${v} units here (default ${d}): ${v > d ? w.dear : w.cheap}.`);
  }
  return out;
}

function archLines(m: TextInput): string[] {
  const a = ARCHES[m.arch];
  const era = m.kernel === '5.7'
    ? 'The mm is of the 5.7 era: O_DIRECT takes plain page references (FOLL_GET).'
    : 'The mm is of the 6.5 era: O_DIRECT pins its pages (FOLL_PIN).';
  const device = m.device === 'ccw'
    ? 'The disks are channel-attached (virtio-ccw): channel programs, no DMA API.'
    : 'The devices are PCI: every device access is mapped through the DMA API first.';
  const protect = a.canExport
    ? 'Most guest pages are secure: making one accessible exports it (the Ultravisor encrypts it), and the guest imports it back at its next touch.'
    : `Most guest pages are ${a.privateName}: the host cannot make one accessible, only the guest can share it${a.privateMapped ? '' : ', and the host never maps them'}.`;
  return [`${a.title}. ${protect}`, `${era} ${device}`];
}

const TITLE: Readonly<Record<Machine['difficulty'], string>> = { easy: 'Easy', hard: 'Hard', expert: 'Expert' };

export function levelText(m: TextInput): LevelText {
  const daily = /^daily-(\d{4}-\d{2}-\d{2})$/.exec(m.id);
  const head = daily ? `Daily level ${daily[1]}` : `${TITLE[m.difficulty]} practice #${m.seed}`;
  const title = `${head}: ${m.arch} ${m.kernel} ${m.device}, ${m.workloads.length} workloads`;
  const shared = m.guest.shared ? ` (the last ${pct(m.guest.shared)} shared with the host on purpose)` : '';
  const briefing = [
    `A generated level (${m.difficulty}). Protect a guest of ${m.guest.pages} pages${shared} on this host.`,
    ...archLines(m),
    ...m.workloads.map((w) => workloadLine(w, m)),
    ...priceLines(m),
  ].join('\n');
  const objectives = [
    '0 I/O errors and 0 crashes on every seed',
    'par: the best any placement reaches on this machine, found by enumeration; shown after your first run',
  ];
  const gup = m.workloads.some((w) => w.kind === 'malicious_qemu' || w.kind === 'process_vm_readv' || w.kind === 'host_refs' || (w.kind === 'kvm_fault' && ARCHES[m.arch].kvmFaultViaGup));
  const hints = [
    ARCHES[m.arch].canExport
      ? 'Run once and read the counterexample: which function hands the page to a device, and what does that path hold on the page at that moment?'
      : 'On this machine a hook can only refuse a page, never make it accessible: a refusal is clean only where the caller can return an error.',
    gup
      ? 'Each lane says which GUP flavour it calls with (FOLL_PIN or FOLL_GET): a condition on a GUP hook acts only on the calls it names.'
      : 'Compare the lanes: which ones reach a device, which a CPU, which nothing at all?',
    priceLines(m).length
      ? 'The prices differ from the defaults: compare two passing placements workload by workload; the first that passes is rarely the cheapest.'
      : 'Compare two passing placements workload by workload: where do the exports, imports and stalls come from?',
  ];
  return { title, briefing, objectives, hints };
}
