// The automatic review of a placement: one finding per problem, attached to the file and
// function it is about, each backed by this placement's own evidence from the engine
// (a counterexample's steps, a metric against par, calls counted by the engine, what
// changes when the hunk is left out). Rules read the evidence, never a level's expected
// answer, so they stay right when the engine or the levels change. Pure, deterministic.
import { ARCHES, SITES, WORKLOADS, type KernelId, type SiteId, type WorkloadId } from '../sim/model.js';
import { changesBetween, hooksOf, type ScorableLevel } from '../sim/score.js';
import type { Hook, Metrics, TraceEvent } from '../sim/types.js';
import { PAR_METRICS, type ParMetric } from '../sim/verify.js';
import { gatherEvidence, type Evidence, type FailureEvidence } from './evidence.js';
import { hookRender, siteRender } from './kernel.js';
import { cite, type ThreadPoint } from './thread.js';

export type Severity = 'error' | 'warning' | 'nit';

export type Rule =
  | 'open-path' | 'race' | 'cannot-fail' | 'hot-path' | 'reference-only' | 'never-reached'
  | 'duplicate' | 'arch-in-core' | 'fault-cost' | 'early-export' | 'wasted-exports' | 'idle'
  | 'too-late' | 'refused-twice';

export interface Finding {
  rule: Rule;
  file: string;
  function: string;
  severity: Severity;
  finding: string;
  evidence: string;
}

export interface Review {
  /** one line: the verdict of scoreLevel */
  verdict: string;
  passed: boolean;
  stars: 0 | 1 | 2 | 3;
  findings: Finding[];
  evidence: Evidence;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, nit: 2 };

const n1 = (x: number) => (Number.isInteger(x) ? String(x) : x >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2));

/** Where a workload's page reaches the device (or the allocator, or the CPU), by era. */
function escapePoint(w: WorkloadId, kind: string, kernel: KernelId, target: 'socket' | 'file' | undefined): { file: string; function: string } {
  switch (w) {
    case 'swap': return kind === 'freed-secure' ? { file: 'mm/vmscan.c', function: '__remove_mapping()' } : { file: 'mm/page_io.c', function: 'swap_writepage()' };
    case 'zswap': return { file: 'mm/zswap.c', function: kernel === '5.7' ? 'zswap_frontswap_store()' : 'zswap_store()' };
    case 'malicious_qemu': return { file: 'block/bio.c', function: 'bio_iov_iter_get_pages()' };
    case 'mmap_sync': return { file: 'mm/page-writeback.c', function: 'write_cache_pages()' };
    case 'sendfile': return target === 'file'
      ? { file: 'fs/splice.c', function: 'iter_file_splice_write()' }
      : { file: 'fs/splice.c', function: kernel === '5.7' ? 'generic_splice_sendpage()' : 'splice_to_socket()' };
    case 'process_vm_readv': return { file: 'mm/process_vm_access.c', function: 'process_vm_rw_single_vec()' };
    case 'host_refs': return { file: 'mm/mempolicy.c', function: 'lookup_node()' };
    case 'kvm_fault': return { file: 'virt/kvm/kvm_main.c', function: 'hva_to_pfn()' };
    case 'teardown': return { file: 'mm/memory.c', function: 'zap_pte_range()' };
  }
}

/** The rendered function of a placed site that an engine event (by its fn) belongs to. */
function hunkOf(lv: ScorableLevel, h: Hook, fn?: string): { file: string; function: string } {
  const r = siteRender(h.site, lv.kernel, lv.arch, h.when);
  if (!r) return { file: SITES[h.site].file, function: SITES[h.site].fn };
  const name = (f: string) => f.replace(/\(\)$/, '');
  let k = r.hunks[0];
  if (fn) {
    const exact = [...r.hunks].sort((a, b) => b.function.length - a.function.length).find((x) => fn.includes(name(x.function)));
    if (exact) k = exact;
    else if (h.site === 'ptep_clear' && fn.includes('ptep_clear_flush')) k = r.hunks.find((x) => x.function === 'ptep_get_and_clear()') ?? k;
    else if (h.site === 'dma_map' && fn.includes('dma_map_sg')) k = r.hunks[1] ?? k;
  }
  return { file: k.file, function: k.function };
}

function storyLine(events: readonly TraceEvent[], max = 6): string {
  const shown = events.slice(-max);
  return shown.map((e) => `${e.actor} ${e.fn}${e.site ? ` [${e.site}]` : ''}: ${e.action} -> ${e.state}${e.outcome ? ` <== ${e.outcome}` : ''}`).join('; ');
}

function failureWhere(f: FailureEvidence): string {
  return f.seed < 0 ? 'the exhaustive search of the small machine' : `seed ${f.seed}${f.hidden ? ' (hidden)' : ''}`;
}

/** A race: a placed hook exported the page, the guest imported it back before any use, then it failed. */
function raceIn(f: FailureEvidence, placed: ReadonlySet<SiteId>): TraceEvent | null {
  const s = f.story;
  for (let i = s.length - 2; i >= 0; i--) {
    const e = s[i];
    if (e.action === 'export' && e.site && e.site !== 'fault') {
      if (!placed.has(e.site)) return null;
      const after = s.slice(i + 1, -1);
      const used = after.some((x) => /^(device-|cpu-access|free|swap-in)/.test(x.action) || (x.action === 'export'));
      const imported = after.some((x) => x.action === 'import');
      return imported && !used ? e : null;
    }
  }
  return null;
}

/** The placed hook whose refusal the failure followed (a crash with no site of its own). */
function refusedAt(f: FailureEvidence): TraceEvent | null {
  for (let i = f.story.length - 1; i >= 0; i--) if (f.story[i].action === 'hook-fails') return f.story[i];
  return null;
}

function fmtMetric(m: Metrics, par: Partial<Record<ParMetric, number>>, k: ParMetric): string {
  const p = par[k];
  return `${k} ${n1(m[k])}${p === undefined ? '' : ` (par ${n1(p)})`}`;
}

function overPar(ev: Evidence): ParMetric[] {
  return PAR_METRICS.filter((k) => ev.score.meetsPar[k] === false);
}

/** The same workload failing in a plain way: one story per (workload, kind). */
function firstFailures(ev: Evidence): FailureEvidence[] {
  const seen = new Set<string>();
  const out: FailureEvidence[] = [];
  // the shrunk counterexample first: its story is the shortest
  const cx = ev.score.counterexample;
  if (cx) {
    const page = cx.failure.page;
    const story = cx.trace.filter((e) => e.page === page);
    const last = story[story.length - 1];
    out.push({
      seed: ev.score.exhaustiveFailed ? -1 : cx.seed, hidden: false, kind: cx.failure.kind, workload: cx.failure.workload, page,
      fn: last?.fn ?? '', ...(cx.failure.site ? { site: cx.failure.site } : {}), story,
    });
    seen.add(`${cx.failure.workload}\u0000${cx.failure.kind}`);
  }
  for (const f of ev.failures) {
    const key = `${f.workload}\u0000${f.kind}`;
    if (!seen.has(key)) { seen.add(key); out.push(f); }
  }
  return out;
}

function perSeed(ev: Evidence, w: WorkloadId): string {
  const m = ev.workloads[w];
  if (!m) return '';
  const parts = [];
  if (m.ioErrors) parts.push(`${n1(m.ioErrors)} I/O errors`);
  if (m.crashes) parts.push(`${n1(m.crashes)} crashes`);
  return parts.length ? `${parts.join(' and ')} per seed in ${w}` : '';
}

/** A workload as the subject of a sentence. */
function who(w: WorkloadId, viaGup: boolean): string {
  if (w === 'kvm_fault') return viaGup ? "KVM's fault-in of guest pages (hva_to_pfn())" : 'the guest';
  return `${w} (${WORKLOADS[w].title})`;
}

function openPathThread(w: WorkloadId, kind: string): ThreadPoint[] {
  switch (w) {
    case 'sendfile': return ['sendfile', 'sendfile-handcrafted'];
    case 'malicious_qemu': return ['bad-qemu'];
    case 'mmap_sync': return ['mmap-writeback'];
    case 'zswap': return ['zswap-no-device'];
    case 'swap': return kind === 'freed-secure' ? [] : ['swap-no-gup'];
    default: return [];
  }
}

/** Review a placement on a level. */
export function reviewPlacement(lv: ScorableLevel, hooks: readonly Hook[]): Review {
  const ev = gatherEvidence(lv, hooks);
  const findings: Finding[] = [];
  const arch = ARCHES[lv.arch];
  const placed = new Set(hooks.map((h) => h.site));
  const hookOf = (s: SiteId) => hooks.find((h) => h.site === s)!;
  const par = ev.score.par;
  const flagged = new Set<SiteId>();
  const add = (f: Finding, site?: SiteId) => {
    if (site) flagged.add(site);
    const same = findings.find((x) => x.rule === f.rule && x.file === f.file && x.function === f.function);
    if (same) same.evidence += ` || ${f.evidence}`; // one comment per problem, all its evidence
    else findings.push(f);
  };
  const target = lv.workloads.find((w) => w.kind === 'sendfile')?.target;

  // ---- failures: open paths, races, refusals where nothing can take them ----
  const explained = new Set<string>();
  for (const f of firstFailures(ev)) {
    const key = `${f.workload}\u0000${f.kind}`;
    if (explained.has(key)) continue;
    explained.add(key);
    const where = failureWhere(f);
    const steps = `${where}: ${storyLine(f.story)}`;
    const rate = perSeed(ev, f.workload);
    const race = raceIn(f, placed);
    if (race && race.site) {
      const h = hookOf(race.site);
      add({
        rule: 'race', ...hunkOf(lv, h, race.fn), severity: 'error',
        finding: `This exports the page before anything marks it busy (no lock, no PG_writeback, no reference held across the I/O): the guest imports it back, and ${f.workload} then ${f.kind === 'freed-secure' ? 'frees it while it is secure' : 'hands it to the device while it is secure'}. Move the call to where the page is already locked, pinned or under writeback.${cite(['busy-before-access', 'pin-keeps-page'])}`,
        evidence: `${steps}${rate ? `; ${rate}` : ''}`,
      }, race.site);
      continue;
    }
    if (f.kind === 'crash') {
      const refused = f.site && placed.has(f.site) ? { site: f.site, fn: f.fn } : (() => { const r = refusedAt(f); return r?.site && placed.has(r.site) ? { site: r.site, fn: r.fn } : null; })();
      if (refused) {
        const h = hookOf(refused.site);
        const mayFail = SITES[refused.site].mayFail;
        const refOnly = f.workload === 'kvm_fault' || f.workload === 'host_refs';
        const points: ThreadPoint[] = refused.site === 'kmap' ? ['kmap-instead', 'gup-can-fail-kmap-cannot']
          : refused.site === 'writeback' ? ['writeback-no-return', 'gup-can-fail-kmap-cannot']
          : refused.site === 'vm_normal_page' ? ['vm-normal-page', 'why-cannot-fail']
          : refOnly ? ['pin-not-get'] : ['why-cannot-fail'];
        add({
          rule: refOnly ? 'reference-only' : 'cannot-fail', ...hunkOf(lv, h, refused.fn), severity: 'error',
          finding: refOnly
            ? `${who(f.workload, arch.kvmFaultViaGup)} takes a plain reference through this function (FOLL_GET) and never reads the page for the host, yet the hook refuses it on ${arch.title}: the caller has no way out and the VM dies. Test FOLL_PIN only.${cite(points)}`
            : `When ${who(f.workload, arch.kvmFaultViaGup)} reaches this on ${arch.title}, the hook can only refuse the ${arch.privateName} page, and ${mayFail === 'no' || refused.site === 'vm_normal_page' ? 'nothing up the stack can take that error here' : 'this caller cannot take that error'}: the refusal becomes a crash. Refuse where the caller can fail cleanly (GUP, the pipe confirm, the DMA API).${refused.site === 'ptep_clear' && !arch.canExport ? ` The s390 export at PTE clear has no counterpart here: converting a page needs the guest's consent.` : ''}${cite(points)}`,
          evidence: `${steps}; ${rate}`,
        }, refused.site);
        continue;
      }
    }
    // nothing in the placement acted on this page: the path is open
    const exit = escapePoint(f.workload, f.kind, lv.kernel, target);
    const passedThrough = hooks.filter((h) => (h.site === 'gup_fast' || h.site === 'gup_slow') &&
      f.story.some((e) => e.fn.includes(h.site === 'gup_fast' ? 'gup_pte_range' : 'follow_page_pte') && (e.action === 'get' || e.action === 'pin')));
    const skipped = passedThrough.find((h) => {
      const act = f.story.find((e) => e.fn.includes(h.site === 'gup_fast' ? 'gup_pte_range' : 'follow_page_pte') && (e.action === 'get' || e.action === 'pin'))!.action;
      const when = h.when ?? 'pin';
      return (when === 'pin' && act === 'get') || (when === 'get' && act === 'pin');
    });
    if (skipped) {
      const act = (skipped.when ?? 'pin') === 'pin' ? 'FOLL_GET' : 'FOLL_PIN';
      add({
        rule: 'open-path', ...hunkOf(lv, skipped), severity: 'error',
        finding: `${who(f.workload, arch.kvmFaultViaGup)} goes through this function with ${act} on Linux ${lv.kernel}, so the flag test skips it and the page reaches the device ${arch.privateName}.${cite(act === 'FOLL_GET' ? ['bad-qemu'] : ['pin-not-get'])}`,
        evidence: `${steps}${rate ? `; ${rate}` : ''}`,
      }, skipped.site);
      continue;
    }
    const what = f.kind === 'freed-secure' ? `frees pages that are still ${arch.privateName}, and the host allocator reuses them`
      : f.kind === 'crash' ? `lets the host CPU touch a ${arch.privateName} page`
      : `hands ${arch.privateName} pages to the device${f.kind === 'fatal-io-error' ? ' (a write-back: the data is lost)' : ''}`;
    add({
      rule: 'open-path', ...exit, severity: 'error',
      finding: `Path left open: ${who(f.workload, arch.kvmFaultViaGup)} ${what}. The page leaves through ${exit.function}, and no hunk of this patch acts on it first (path: ${WORKLOADS[f.workload].path}).${cite(openPathThread(f.workload, f.kind))}`,
      evidence: `${steps}${rate ? `; ${rate}` : ''}`,
    });
  }

  // ---- per placed hook: reference-only users, hot paths, idle or duplicate hooks ----
  const loo = new Map(ev.leaveOneOut.map((l) => [l.hook.site, l]));
  const fullFailing = new Set(ev.failingWorkloads);
  for (const h of hooks) {
    const se = ev.sites[h.site];
    if (!se) continue;
    const where = hunkOf(lv, h, Object.keys(se.fns).sort((a, b) => se.fns[b] - se.fns[a])[0]);
    // kmap cannot fail, on any architecture: the thread's main objection to it, whether or
    // not this run ever needed a refusal there (an export on s390 never fails)
    if (h.site === 'kmap' && !findings.some((f) => f.rule === 'cannot-fail' && f.function === where.function)) {
      add({
        rule: 'cannot-fail', ...where, severity: arch.canExport ? 'nit' : 'error',
        finding: `kmap() cannot fail: none of its callers checks for an error, so this hunk can only call the hook and assert (VM_BUG_ON) that it worked. That holds only where making a page accessible never fails (the s390 export); a hook that may have to refuse a page needs a caller that can take the error, such as GUP.${cite(['gup-can-fail-kmap-cannot', 'kmap-cheap-export-expensive'])}`,
        evidence: `the hunk asserts VM_BUG_ON_PAGE(access_ret != 0, page); ${n1(se.refusals)} refusals and ${n1(se.exports)} exports per seed here in this run (${se.reachedBy.join(', ') || 'no workload'} reach${se.reachedBy.length === 1 ? 'es' : ''} it)`,
      }, h.site);
    }
    // reference-only users (FOLL_GET lookups, KVM's FOLL_GET fault-in on x86/arm)
    const refUsers = (['host_refs', 'kvm_fault'] as WorkloadId[]).filter((w) => (se.exportsBy[w] ?? 0) + (se.refusalsBy[w] ?? 0) > 0);
    if (refUsers.length && !findings.some((f) => f.rule === 'reference-only' && f.function === where.function)) {
      const parts = refUsers.map((w) => {
        const m = ev.workloads[w]!;
        const exp = se.exportsBy[w] ?? 0, ref = se.refusalsBy[w] ?? 0;
        return `${w}: ${exp ? `${n1(exp / ev.seeds)} exports per seed, ${n1(m.wastedExports)} of them wasted` : ''}${exp && ref ? ', ' : ''}${ref ? `${n1(ref / ev.seeds)} refusals per seed` : ''}`;
      });
      add({
        rule: 'reference-only', ...where, severity: 'warning',
        finding: `This runs for callers that only hold a reference (NUMA queries, munlock${arch.kvmFaultViaGup ? ', KVM\'s own fault-in' : ''}) and never hand the page to a device: ${arch.canExport ? 'every such page is exported for nothing and the guest pays an import to get it back' : 'refusing them breaks callers that did nothing wrong'}.${h.site === 'gup_fast' || h.site === 'gup_slow' ? ' Test FOLL_PIN instead.' : ' Only pins (FOLL_PIN) announce access to the contents; this function cannot tell them apart.'}${cite(['pin-not-get'])}`,
        evidence: `${parts.join('; ')}${ev.score.meetsPar.wastedExports === false ? `; ${fmtMetric(ev.score.metrics, par, 'wastedExports')}` : ''}`,
      }, h.site);
    }
    // never reached by this mix
    if (!se.reachedBy.length && !flagged.has(h.site)) {
      const points: ThreadPoint[] = h.site === 'dma_map' && lv.device === 'ccw' ? ['dma-api', 'ccw-no-dma-api']
        : (h.site === 'gup_fast' || h.site === 'gup_slow') && ev.failingWorkloads.some((w) => w === 'sendfile' || w === 'mmap_sync') ? ['other-walkers'] : [];
      // a review level: a hunk of the posted patch whose removal would be a change over par stays
      const kept = lv.start && lv.par?.changes !== undefined &&
        changesBetween(hooksOf(lv.start), hooks.filter((x) => x !== h)) > lv.par.changes;
      add({
        rule: 'never-reached', ...where, severity: kept ? 'nit' : 'warning',
        finding: `Never reached by this mix (${lv.workloads.map((w) => w.kind).join(', ')}): the hunk adds code no workload here executes${h.when && (h.site === 'gup_fast' || h.site === 'gup_slow') ? ` with ${h.when === 'any' ? 'any flag' : `FOLL_${h.when.toUpperCase()}`}` : ''}. It is reached by: ${SITES[h.site].reachedBy}.${kept ? ` It is part of the posted patch, and removing it would take this review over its ${lv.par!.changes} change${lv.par!.changes === 1 ? '' : 's'}: keep it.` : ''}${cite(points)}`,
        evidence: `0 hook checks on ${ev.seeds} seeds with this hook placed alone (engine count); no workload's reached flag set for ${h.site}`,
      }, h.site);
    }
    if (!se.reachedBy.length) continue;
    const acted = se.exports + se.refusals + se.destroys;
    const l = loo.get(h.site);
    const noWorse = l && l.failingWorkloads.every((w) => fullFailing.has(w));
    // hot path: on an architecture that exports, the hook runs far more often than pages leave
    if (arch.canExport) {
      const io = se.reachedBy.filter((w) => WORKLOADS[w].io !== 'none');
      const alone = io.reduce((a, w) => a + (se.callsAloneBy[w] ?? 0), 0);
      const leaving = io.reduce((a, w) => a + (ev.workloads[w]?.deviceIos ?? 0) + (ev.workloads[w]?.cpuAccesses ?? 0), 0);
      if (io.length && alone >= 20 && alone >= 2 * Math.max(1, leaving)) {
        add({
          rule: 'hot-path', ...where, severity: 'warning',
          finding: `Hot path: this runs on every pass of ${io.join(', ')}, far more often than a page actually leaves for a device or a CPU copy, and each call that finds a ${arch.privateName} page starts an expensive export.${cite(['kmap-cheap-export-expensive', 'overdoing-is-cheap'])}`,
          evidence: `${n1(alone)} hook checks per seed from ${io.join(', ')} with this hook alone (engine count) against ${n1(leaving)} device I/Os and CPU copies per seed by them (${n1(alone / Math.max(1, leaving))} checks per page that leaves; ${n1((se.callsAlone / Math.max(1, se.hostOps)) * 100)} checks per 100 host operations); ${n1(se.exports)} exports per seed here, ${fmtMetric(ev.score.metrics, par, 'wastedExports')}`,
        }, h.site);
      }
    }
    if (acted === 0 && noWorse) {
      const covering = hooks.filter((g) => g !== h && ((ev.sites[g.site]?.exports ?? 0) + (ev.sites[g.site]?.refusals ?? 0)) > 0 &&
        ev.sites[g.site]!.reachedBy.some((w) => se.reachedBy.includes(w)));
      const without = `without this hunk: ${l!.passed ? 'PASS' : 'still FAIL'}${l!.failingWorkloads.length ? ` (${l!.failingWorkloads.join(', ')})` : ''}, cost ${n1(l!.metrics.cost)} instead of ${n1(ev.baseline.cost)}, hostOverhead ${n1(l!.metrics.hostOverhead)} instead of ${n1(ev.baseline.hostOverhead)}`;
      const calls = `${n1(se.callsAlone)} hook checks per seed with this hook alone, 0 pages exported, refused or destroyed by it in this placement (${se.reachedBy.join(', ')} reach it)`;
      const core = !hookRender(h.site, lv.kernel, lv.arch, h.when).arch;
      if (covering.length) {
        const by = covering.map((g) => {
          const o = ev.sites[g.site]!;
          return `${g.site} (${hunkOf(lv, g).function}, ${n1(o.exports ? o.exports : o.refusals)} ${o.exports ? 'exports' : 'refusals'} per seed)`;
        }).join(', ');
        add({
          rule: 'duplicate', ...where, severity: 'nit',
          finding: `Duplicate: every page that reaches this call was ${arch.canExport ? 'made accessible' : 'refused'} earlier by ${covering.map((g) => hunkOf(lv, g).function).join(' and ')}, so it never has anything to do. Harmless (a flag check) but not needed.${cite(['overdoing-is-cheap'])}`,
          evidence: `${calls}; covered by ${by}; ${without}`,
        }, h.site);
      } else if (!arch.canExport && core) {
        add({
          rule: 'arch-in-core', ...where, severity: 'warning',
          finding: `Arch-specific logic in core code: "make accessible" is an s390 operation, and on ${arch.title} no ${arch.privateName} page ever reaches this function, so the call only checks pages that are already the host's.${cite(['too-s390-specific', 'never-on-x86'])}`,
          evidence: `${calls}; ${without}`,
        }, h.site);
      } else {
        add({
          rule: 'idle', ...where, severity: 'nit',
          finding: `This call never finds anything to do in this mix: every page it sees is already accessible.${cite(['overdoing-is-cheap'])}`,
          evidence: `${calls}; ${without}`,
        }, h.site);
      }
    }
  }

  // ---- costs against par, for a placement that passes its seeds ----
  if (ev.score.seedsPassed) {
    const over = overPar(ev);
    const m = ev.score.metrics;
    const costly = over.includes('hostOverhead') || over.includes('cost');
    // a placed hook on a path whose CPU touches the page first: the fault handler exported it
    if (m.exceptions > 0 && costly) {
      for (const h of hooks) {
        const se = ev.sites[h.site];
        if (!se || flagged.has(h.site)) continue;
        const late = se.reachedBy.filter((w) => (ev.workloads[w]?.exceptions ?? 0) > 0 && !(se.exportsBy[w] ?? 0) && !(se.refusalsBy[w] ?? 0));
        if (!late.length) continue;
        add({
          rule: 'too-late', ...hunkOf(lv, h, Object.keys(se.fns).sort((a, b) => se.fns[b] - se.fns[a])[0]), severity: 'warning',
          finding: `Too late for ${late.join(', ')}: ${late.length === 1 ? 'it copies' : 'they copy'} the page with the CPU before reaching this call (path: ${late.map((w) => WORKLOADS[w].path).join('; ')}), so each copy takes a secure-storage exception, the fault handler exports the page, and this call finds nothing left to do. Make the page accessible at a point ${late.length === 1 ? 'that workload passes' : 'those workloads pass'} before the copy.${cite(late.includes('zswap') ? ['zswap-no-device'] : [])}`,
          evidence: `${late.map((w) => `${w}: ${n1(se.callsAloneBy[w] ?? 0)} hook checks per seed here (this hook alone), 0 exports by it, ${n1(ev.workloads[w]!.exceptions)} exceptions per seed`).join('; ')}; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}`,
        }, h.site);
      }
    }
    // a page one hook refuses goes on to another placed hook that checks and refuses it again
    if (costly) {
      for (const a of ev.refusedAgain) {
        if (a.pages < 1 || !placed.has(a.first) || !placed.has(a.second)) continue;
        const first = hunkOf(lv, hookOf(a.first), Object.keys(ev.sites[a.first]?.fns ?? {})[0]);
        const second = hunkOf(lv, hookOf(a.second), Object.keys(ev.sites[a.second]?.fns ?? {})[0]);
        const l1 = loo.get(a.first), l2 = loo.get(a.second);
        const both = l1 && l2 && !l1.passed && !l2.passed;
        add({
          rule: 'refused-twice', ...first, severity: 'warning',
          finding: `Refused twice: a ${arch.privateName} page refused here does not fail the operation; it goes on to ${second.function}, which checks it and refuses it again, so every refused page costs two checks.${both ? ' Neither hunk can go while the refusal lives in these two walks (without either, the other walk lets the page through),' : ''} A single check on the path every device access takes would see each page once.`,
          evidence: `${Object.entries(a.byWorkload).map(([w, c]) => `${w}: ${n1(c)} pages per seed refused in ${first.function} and again in ${second.function}`).join('; ')}; ${n1(m.hookChecks)} hook checks per seed; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}${both ? `; without ${a.first}: FAIL (${l1.failingWorkloads.join(', ')}), without ${a.second}: FAIL (${l2.failingWorkloads.join(', ')})` : ''}`,
        }, a.first);
      }
    }
    // the fault handler does the exporting
    if (m.exceptions > 0 && costly) {
      const by = (Object.keys(ev.workloads) as WorkloadId[]).filter((w) => ev.workloads[w]!.exceptions > 0);
      add({
        rule: 'fault-cost', file: 'arch/s390/mm/fault.c', function: 'do_secure_storage_access()', severity: 'warning',
        finding: `Nothing makes these pages accessible before the host CPU copies them, so every copy takes a secure-storage exception and the fault handler exports the page: correct, but each exception costs more than a call at the pin would.${cite(['overdoing-is-cheap', 'process-vm-readv'])}`,
        evidence: `${by.map((w) => `${w}: ${n1(ev.workloads[w]!.exceptions)} exceptions per seed`).join('; ')}; ${fmtMetric(m, par, 'hostOverhead')}, ${fmtMetric(m, par, 'cost')}`,
      });
    }
    // a hook whose removal keeps the verdict and brings an over-par metric down
    for (const h of hooks) {
      if (flagged.has(h.site)) continue;
      const l = loo.get(h.site);
      const se = ev.sites[h.site];
      if (!l || !l.passed || !se) continue;
      const better = over.filter((k) => k !== 'hooks' && l.metrics[k] < ev.baseline[k] - 1e-9);
      if (!better.length) continue;
      const where = hunkOf(lv, h, Object.keys(se.fns).sort((a, b) => se.fns[b] - se.fns[a])[0]);
      const stall = better.includes('guestStall');
      const pvr = (se.exportsBy.process_vm_readv ?? 0) > 0;
      add({
        rule: stall ? 'early-export' : 'wasted-exports', ...where, severity: 'warning',
        finding: stall
          ? `Exports too early: ${se.reachedBy.join(', ')} hold${se.reachedBy.length === 1 ? 's' : ''} the page (pinned or locked) while it is exported, so the guest stalls until it is released${pvr ? '; process_vm_readv only copies with the CPU, which the fault handler covers anyway' : ''}. Without this hunk the placement still passes and costs less.${cite(pvr ? ['process-vm-readv', 'overdoing-is-cheap'] : ['busy-before-access'])}`
          : `Not needed: without this hunk the placement still passes, and ${better.join(', ')} come${better.length === 1 ? 's' : ''} down.${cite(['overdoing-is-cheap'])}`,
        evidence: `${better.map((k) => `${k} ${n1(ev.baseline[k])} -> ${n1(l.metrics[k])} without it (par ${n1(par[k] ?? NaN)})`).join('; ')}; ${n1(se.exports)} exports per seed by this hook`,
      }, h.site);
    }
    // wasted exports, charged to the hook that made them (from the traces)
    if (over.includes('wastedExports')) {
      for (const h of hooks) {
        if (flagged.has(h.site)) continue;
        const se = ev.sites[h.site];
        if (!se || se.wasted < 1) continue;
        const ws = (Object.keys(se.exportsBy) as WorkloadId[]).filter((w) => (ev.workloads[w]?.wastedExports ?? 0) > 0);
        const fn = Object.keys(se.fns).sort((a, b) => se.fns[b] - se.fns[a]);
        const where = hunkOf(lv, h, (ws.includes('teardown') ? fn.find((x) => x.includes('zap_pte_range')) : undefined) ?? fn[0]);
        add({
          rule: 'wasted-exports', ...where, severity: 'warning',
          finding: `Wasted exports: pages exported here${ws.length ? ` for ${ws.join(', ')}` : ''} are imported back or freed before any device or CPU reads them${ws.includes('teardown') ? ' (at teardown the page is freed right after; destroying it is cheaper than encrypting it)' : ''}.`,
          evidence: `${n1(se.wasted)} of this hook's ${n1(se.exports)} exports per seed were wasted (traced on every seed); ${fmtMetric(m, par, 'wastedExports')}, ${fmtMetric(m, par, 'cost')}`,
        }, h.site);
      }
    }
  }

  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const s = ev.score;
  const over = overPar(ev);
  const verdict = s.passed
    ? `PASS, ${'*'.repeat(s.stars)}${'.'.repeat(3 - s.stars)}${over.length ? ` (over par on ${over.join(', ')})` : ' (every par met)'}`
    : `FAIL${s.seedsPassed ? ' (every seed passes; the exhaustive search fails)' : ` on ${s.seeds.filter((x) => !x.passed).length}/${s.seeds.length} seeds`}${ev.failingWorkloads.length ? `: ${ev.failingWorkloads.join(', ')}` : ''}`;
  return { verdict, passed: s.passed, stars: s.stars, findings, evidence: ev };
}

