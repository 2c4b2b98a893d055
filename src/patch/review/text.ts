// The review's prose, apart from its logic: for each rule, one line on what it finds
// (`what`), and the sentences of its findings, built from what the rule measured. The
// rules (src/patch/review/<rule>.ts) decide when a finding is made and gather its
// evidence; the words a kernel engineer reads are here. `satisfies` keeps one entry per rule.
import { cite, type ThreadPoint } from '../thread.js';
import type { RuleId } from './types.js';

export const TEXT = {
  'race': {
    what: 'a placed hook exports the page before anything marks it busy; the guest imports it back before the device or the allocator gets it',
    finding: (a: { workload: string; freed: boolean }) =>
      `This exports the page before anything marks it busy (no lock, no PG_writeback, no reference held across the I/O): the guest imports it back, and ${a.workload} then ${a.freed ? 'frees it while it is secure' : 'hands it to the device while it is secure'}. Move the call to where the page is already locked, pinned or under writeback.${cite(['busy-before-access', 'pin-keeps-page'])}`,
  },
  'cannot-fail': {
    what: 'a hook refuses a page where its caller cannot take the error (the refusal becomes a crash), or sits in kmap(), which cannot fail',
    refusal: (a: { who: string; archTitle: string; privateName: string; nothingUpTheStack: boolean; s390OnlyExport: boolean; points: ThreadPoint[] }) =>
      `When ${a.who} reaches this on ${a.archTitle}, the hook can only refuse the ${a.privateName} page, and ${a.nothingUpTheStack ? 'nothing up the stack can take that error here' : 'this caller cannot take that error'}: the refusal becomes a crash. Refuse where the caller can fail cleanly (GUP, the pipe confirm, the DMA API).${a.s390OnlyExport ? ` The s390 export at PTE clear has no counterpart here: converting a page needs the guest's consent.` : ''}${cite(a.points)}`,
    kmap: () =>
      `kmap() cannot fail: none of its callers checks for an error, so this hunk can only call the hook and assert (VM_BUG_ON) that it worked. That holds only where making a page accessible never fails (the s390 export); a hook that may have to refuse a page needs a caller that can take the error, such as GUP.${cite(['gup-can-fail-kmap-cannot', 'kmap-cheap-export-expensive'])}`,
  },
  'reference-only': {
    what: 'a hook acts for callers that only hold a reference (FOLL_GET) and never hand the page to a device',
    refusal: (a: { who: string; archTitle: string; points: ThreadPoint[] }) =>
      `${a.who} takes a plain reference through this function (FOLL_GET) and never reads the page for the host, yet the hook refuses it on ${a.archTitle}: the caller has no way out and the VM dies. Test FOLL_PIN only.${cite(a.points)}`,
    hook: (a: { kvmFaultViaGup: boolean; canExport: boolean; gup: boolean }) =>
      `This runs for callers that only hold a reference (NUMA queries, munlock${a.kvmFaultViaGup ? ', KVM\'s own fault-in' : ''}) and never hand the page to a device: ${a.canExport ? 'every such page is exported for nothing and the guest pays an import to get it back' : 'refusing them breaks callers that did nothing wrong'}.${a.gup ? ' Test FOLL_PIN instead.' : ' Only pins (FOLL_PIN) announce access to the contents; this function cannot tell them apart.'}${cite(['pin-not-get'])}`,
  },
  'open-path': {
    what: 'a workload\'s page leaves for a device, the allocator or the host CPU and no hunk acts on it first (or a GUP hook\'s flag test skips it)',
    skipped: (a: { who: string; flag: 'FOLL_GET' | 'FOLL_PIN'; kernel: string; privateName: string }) =>
      `${a.who} goes through this function with ${a.flag} on Linux ${a.kernel}, so the flag test skips it and the page reaches the device ${a.privateName}.${cite(a.flag === 'FOLL_GET' ? ['bad-qemu'] : ['pin-not-get'])}`,
    open: (a: { who: string; kind: string; privateName: string; exit: string; path: string; points: ThreadPoint[] }) => {
      const what = a.kind === 'freed-secure' ? `frees pages that are still ${a.privateName}, and the host allocator reuses them`
        : a.kind === 'crash' ? `lets the host CPU touch a ${a.privateName} page`
        : `hands ${a.privateName} pages to the device${a.kind === 'fatal-io-error' ? ' (a write-back: the data is lost)' : ''}`;
      return `Path left open: ${a.who} ${what}. The page leaves through ${a.exit}, and no hunk of this patch acts on it first (path: ${a.path}).${cite(a.points)}`;
    },
  },
  'never-reached': {
    what: 'no workload of the level executes the hunk',
    finding: (a: { mix: string; gupWhen: string | undefined; reachedBy: string; keptChanges: number | null; points: ThreadPoint[] }) =>
      `Never reached by this mix (${a.mix}): the hunk adds code no workload here executes${a.gupWhen ? ` with ${a.gupWhen === 'any' ? 'any flag' : `FOLL_${a.gupWhen.toUpperCase()}`}` : ''}. It is reached by: ${a.reachedBy}.${a.keptChanges !== null ? ` It is part of the posted patch, and removing it would take this review over its ${a.keptChanges} change${a.keptChanges === 1 ? '' : 's'}: keep it.` : ''}${cite(a.points)}`,
  },
  'hot-path': {
    what: 'most of the hook\'s checks come from workloads for which the host never reads the page (KVM fault-in, NUMA queries), and host overhead is over par',
    finding: (a: { users: string }) =>
      `Hot path: ${a.users} pass this call all the time, and none of them hands the page to a device or a host CPU copy. Each pass is only a flag check, but they outnumber the checks that protect an I/O and the placement is over par on host overhead: a narrower condition (FOLL_PIN) or another site keeps the check where the page leaves.${cite(['pin-not-get', 'overdoing-is-cheap'])}`,
  },
  'duplicate': {
    what: 'every page that reaches the hook was made accessible (or refused) earlier by another placed hook',
    finding: (a: { canExport: boolean; earlier: string }) =>
      `Duplicate: every page that reaches this call was ${a.canExport ? 'made accessible' : 'refused'} earlier by ${a.earlier}, so it never has anything to do. Harmless (a flag check) but not needed.${cite(['overdoing-is-cheap'])}`,
  },
  'arch-in-core': {
    what: 'a hook in core code that, on an architecture without the s390 export, never finds a private page',
    finding: (a: { archTitle: string; privateName: string }) =>
      `Arch-specific logic in core code: "make accessible" is an s390 operation, and on ${a.archTitle} no ${a.privateName} page ever reaches this function, so the call only checks pages that are already the host's.${cite(['too-s390-specific', 'never-on-x86'])}`,
  },
  'idle': {
    what: 'a reached hook that never finds anything to do, with no other hook covering for it',
    finding: () => `This call never finds anything to do in this mix: every page it sees is already accessible.${cite(['overdoing-is-cheap'])}`,
  },
  'too-late': {
    what: 'a workload copies the page with the CPU before it reaches the hook: the fault handler exports it first',
    finding: (a: { late: string[]; paths: string }) =>
      `Too late for ${a.late.join(', ')}: ${a.late.length === 1 ? 'it copies' : 'they copy'} the page with the CPU before reaching this call (path: ${a.paths}), so each copy takes a secure-storage exception, the fault handler exports the page, and this call finds nothing left to do. Make the page accessible at a point ${a.late.length === 1 ? 'that workload passes' : 'those workloads pass'} before the copy.${cite(a.late.includes('zswap') ? ['zswap-no-device'] : [])}`,
  },
  'refused-twice': {
    what: 'a page one placed hook refuses goes on to another placed hook that checks and refuses it again',
    finding: (a: { privateName: string; second: string; both: boolean }) =>
      `Refused twice: a ${a.privateName} page refused here does not fail the operation; it goes on to ${a.second}, which checks it and refuses it again, so every refused page costs two checks.${a.both ? ' Neither hunk can go while the refusal lives in these two walks (without either, the other walk lets the page through),' : ''} A single check on the path every device access takes would see each page once.`,
  },
  'fault-cost': {
    what: 'over par because the secure-storage fault handler does the exporting, one exception per CPU copy',
    finding: () =>
      `Nothing makes these pages accessible before the host CPU copies them, so every copy takes a secure-storage exception and the fault handler exports the page: correct, but each exception costs more than a call at the pin would.${cite(['overdoing-is-cheap', 'process-vm-readv'])}`,
  },
  'early-export': {
    what: 'the hook exports while the page is held (pinned or locked), so the guest stalls; the placement passes without it, with less stall',
    finding: (a: { reachedBy: string[]; processVmReadv: boolean }) =>
      `Exports too early: ${a.reachedBy.join(', ')} hold${a.reachedBy.length === 1 ? 's' : ''} the page (pinned or locked) while it is exported, so the guest stalls until it is released${a.processVmReadv ? '; process_vm_readv only copies with the CPU, which the fault handler covers anyway' : ''}. Without this hunk the placement still passes and costs less.${cite(a.processVmReadv ? ['process-vm-readv', 'overdoing-is-cheap'] : ['busy-before-access'])}`,
  },
  'wasted-exports': {
    what: 'the placement passes without the hook and an over-par metric comes down, or the hook\'s exports are imported back or freed before any use',
    notNeeded: (a: { better: string[] }) =>
      `Not needed: without this hunk the placement still passes, and ${a.better.join(', ')} come${a.better.length === 1 ? 's' : ''} down.${cite(['overdoing-is-cheap'])}`,
    wasted: (a: { workloads: string[] }) =>
      `Wasted exports: pages exported here${a.workloads.length ? ` for ${a.workloads.join(', ')}` : ''} are imported back or freed before any device or CPU reads them${a.workloads.includes('teardown') ? ' (at teardown the page is freed right after; destroying it is cheaper than encrypting it)' : ''}.`,
  },
} satisfies Record<RuleId, { what: string; [sentence: string]: string | ((a: never) => string) }>;
