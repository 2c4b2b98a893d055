// What the review's rules share: number formatting, where a page leaves the host, which
// rendered function an engine event belongs to, the failures to explain, and the context
// of one review (the evidence, the findings so far). Pure.
import { ARCHES, SITES, WORKLOADS, type KernelId, type SiteId, type WorkloadId } from '../../sim/model.js';
import type { ScorableLevel } from '../../sim/score.js';
import type { Hook, Metrics, TraceEvent } from '../../sim/types.js';
import { PAR_METRICS, type ParMetric } from '../../sim/verify.js';
import type { Evidence, FailureEvidence } from '../evidence.js';
import { hookRender, siteRender } from '../kernel.js';
import type { ThreadPoint } from '../thread.js';
import type { Finding, HookCase, Place, ReviewContext } from './types.js';

export const n1 = (x: number) => (Number.isInteger(x) ? String(x) : x >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2));

/** Where a workload's page reaches the device (or the allocator, or the CPU), by era. */
export function escapePoint(w: WorkloadId, kind: string, kernel: KernelId, target: 'socket' | 'file' | undefined): Place {
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
export function hunkOf(lv: ScorableLevel, h: Hook, fn?: string): Place {
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

/** The functions of a site's evidence, the most called first. */
export const busiestFns = (fns: Record<string, number>): string[] => Object.keys(fns).sort((a, b) => fns[b] - fns[a]);

/** Is the site's code for this placement in core mm (not an arch header)? */
export const inCore = (lv: ScorableLevel, h: Hook): boolean => !hookRender(h.site, lv.kernel, lv.arch, h.when).arch;

export function storyLine(events: readonly TraceEvent[], max = 6): string {
  const shown = events.slice(-max);
  return shown.map((e) => `${e.actor} ${e.fn}${e.site ? ` [${e.site}]` : ''}: ${e.action} -> ${e.state}${e.outcome ? ` <== ${e.outcome}` : ''}`).join('; ');
}

export function failureWhere(f: FailureEvidence): string {
  return f.seed < 0 ? 'the exhaustive search of the small machine' : `seed ${f.seed}${f.hidden ? ' (hidden)' : ''}`;
}

/** The placed hook whose refusal the failure followed (a crash with no site of its own). */
function refusedAt(f: FailureEvidence): TraceEvent | null {
  for (let i = f.story.length - 1; i >= 0; i--) if (f.story[i].action === 'hook-fails') return f.story[i];
  return null;
}

/** A crash after a placed hook refused the page: that hook and the function it refused in. */
export function refusalOf(ctx: ReviewContext, f: FailureEvidence): { site: SiteId; fn: string } | null {
  if (f.kind !== 'crash') return null;
  if (f.site && ctx.placed.has(f.site)) return { site: f.site, fn: f.fn };
  const r = refusedAt(f);
  return r?.site && ctx.placed.has(r.site) ? { site: r.site, fn: r.fn } : null;
}

export function fmtMetric(m: Metrics, par: Partial<Record<ParMetric, number>>, k: ParMetric): string {
  const p = par[k];
  return `${k} ${n1(m[k])}${p === undefined ? '' : ` (par ${n1(p)})`}`;
}

export function overPar(ev: Evidence): ParMetric[] {
  return PAR_METRICS.filter((k) => ev.score.meetsPar[k] === false);
}

/** The same workload failing in a plain way: one story per (workload, kind). */
export function firstFailures(ev: Evidence): FailureEvidence[] {
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

export function perSeed(ev: Evidence, w: WorkloadId): string {
  const m = ev.workloads[w];
  if (!m) return '';
  const parts = [];
  if (m.ioErrors) parts.push(`${n1(m.ioErrors)} I/O errors`);
  if (m.crashes) parts.push(`${n1(m.crashes)} crashes`);
  return parts.length ? `${parts.join(' and ')} per seed in ${w}` : '';
}

/** A workload as the subject of a sentence. */
export function who(w: WorkloadId, viaGup: boolean): string {
  if (w === 'kvm_fault') return viaGup ? "KVM's fault-in of guest pages (hva_to_pfn())" : 'the guest';
  return `${w} (${WORKLOADS[w].title})`;
}

export function openPathThread(w: WorkloadId, kind: string): ThreadPoint[] {
  switch (w) {
    case 'sendfile': return ['sendfile', 'sendfile-handcrafted'];
    case 'malicious_qemu': return ['bad-qemu'];
    case 'mmap_sync': return ['mmap-writeback'];
    case 'zswap': return ['zswap-no-device'];
    case 'swap': return kind === 'freed-secure' ? [] : ['swap-no-gup'];
    default: return [];
  }
}

/**
 * A placed hook reached in this mix that exported, refused and destroyed nothing, and
 * whose removal fails no workload that passes now: what duplicate, arch-in-core and idle
 * tell apart (null when the hook did something, or is needed).
 */
export function idleHook(ctx: ReviewContext, c: HookCase): { covering: Hook[]; calls: string; without: string; core: boolean } | null {
  const { h, se } = c;
  const { ev, hooks, loo, fullFailing } = ctx;
  if (!se.reachedBy.length) return null;
  const l = loo.get(h.site);
  const noWorse = l && l.failingWorkloads.every((w) => fullFailing.has(w));
  if (se.exports + se.refusals + se.destroys !== 0 || !noWorse) return null;
  const covering = hooks.filter((g) => g !== h && ((ev.sites[g.site]?.exports ?? 0) + (ev.sites[g.site]?.refusals ?? 0)) > 0 &&
    ev.sites[g.site]!.reachedBy.some((w) => se.reachedBy.includes(w)));
  const without = `without this hunk: ${l!.passed ? 'PASS' : 'still FAIL'}${l!.failingWorkloads.length ? ` (${l!.failingWorkloads.join(', ')})` : ''}, cost ${n1(l!.metrics.cost)} instead of ${n1(ev.baseline.cost)}, hostOverhead ${n1(l!.metrics.hostOverhead)} instead of ${n1(ev.baseline.hostOverhead)}`;
  const calls = `${n1(se.callsAlone)} hook checks per seed with this hook alone, 0 pages exported, refused or destroyed by it in this placement (${se.reachedBy.join(', ')} reach it)`;
  return { covering, calls, without, core: inCore(ctx.lv, h) };
}

/**
 * Over-par metrics (other than hooks) that come down when this hook is left out, for a
 * placement that still passes without it; none for a hook with a finding already.
 */
export function lighterWithout(ctx: ReviewContext, h: Hook): ParMetric[] {
  if (ctx.flagged.has(h.site)) return [];
  const l = ctx.loo.get(h.site);
  if (!l || !l.passed || !ctx.ev.sites[h.site]) return [];
  return ctx.over.filter((k) => k !== 'hooks' && l.metrics[k] < ctx.ev.baseline[k] - 1e-9);
}

/** The context of one review. */
export function reviewContext(lv: ScorableLevel, hooks: readonly Hook[], ev: Evidence): ReviewContext {
  const findings: Finding[] = [];
  const flagged = new Set<SiteId>();
  const over = overPar(ev);
  return {
    lv, hooks, ev, findings, flagged, over,
    arch: ARCHES[lv.arch],
    placed: new Set(hooks.map((h) => h.site)),
    par: ev.score.par,
    hookOf: (s) => hooks.find((h) => h.site === s)!,
    add: (f, site) => {
      if (site) flagged.add(site);
      const same = findings.find((x) => x.rule === f.rule && x.file === f.file && x.function === f.function);
      if (same) same.evidence += ` || ${f.evidence}`; // one comment per problem, all its evidence
      else findings.push(f);
    },
    target: lv.workloads.find((w) => w.kind === 'sendfile')?.target,
    loo: new Map(ev.leaveOneOut.map((l) => [l.hook.site, l])),
    fullFailing: new Set(ev.failingWorkloads),
    costly: over.includes('hostOverhead') || over.includes('cost'),
    metrics: ev.score.metrics,
  };
}

/** The review thread's points on a refusal at a site (a plain reference refused: pin, not get). */
export function refusalPoints(site: SiteId, referenceOnly: boolean): ThreadPoint[] {
  return site === 'kmap' ? ['kmap-instead', 'gup-can-fail-kmap-cannot']
    : site === 'writeback' ? ['writeback-no-return', 'gup-can-fail-kmap-cannot']
    : site === 'vm_normal_page' ? ['vm-normal-page', 'why-cannot-fail']
    : referenceOnly ? ['pin-not-get'] : ['why-cannot-fail'];
}
