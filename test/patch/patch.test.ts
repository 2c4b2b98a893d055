// pvlab patch: a placement rendered as the kernel patch it implies, and its review.
import { spawnSync } from 'node:child_process';
import { pvlab as runCli } from '../helpers/cli.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaign, loadSolutionFile } from '../../src/io/files.js';
import { sanitizeLine } from '../../src/io/sanitize.js';
import { solutionHooks, type Level } from '../../src/io/schema.js';
import { RULES, RULE_IDS, RULE_TEXT, patchFor, placementHunks, renderPatch, reviewPlacement, signoff, type Review, type RuleId } from '../../src/patch/index.js';
import { busiestFns, hunkOf, reviewContext } from '../../src/patch/review/context.js';
import { HOT_CALLS } from '../../src/patch/review/hot-path.js';
import { STAGES } from '../../src/patch/review/index.js';
import { hookRender, siteRender } from '../../src/patch/kernel.js';
import { ARCH_IDS, KERNEL_IDS, SITES, SITE_IDS, type SiteId } from '../../src/sim/model.js';
import type { Hook } from '../../src/sim/types.js';

const root = resolve(__dirname, '../..');
const SOLUTIONS = join(root, 'test/solutions');
const campaign = loadCampaign().map((e) => e.level);
const byId = new Map(campaign.map((l) => [l.id, l]));

function solution(id: string, kind: 'naive' | 'reference') {
  const file = join(SOLUTIONS, `${id}.${kind}.json`);
  const sol = loadSolutionFile(file);
  return { sol, hooks: solutionHooks(sol, byId.get(id)!, file) };
}

/** The 2020 mainline placement: both GUP walks for FOLL_PIN, writeback, s390's PTE-clear export. */
const MAINLINE: Hook[] = [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }];

// ---- git apply --stat on every rendered patch ----
const hasGit = spawnSync('git', ['--version']).status === 0;
let tmp = '';
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'pvlab-patch-')); });
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function gitStat(text: string): { ok: boolean; out: string } {
  const f = join(tmp, 'p.patch');
  writeFileSync(f, text);
  const r = spawnSync('git', ['apply', '--stat', f], { cwd: tmp, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/**
 * Many patches through one `git apply --stat` (one process for all: the suite stays fast);
 * when git refuses the batch, each is checked alone so the failure names its patch.
 */
function gitStatAll(list: readonly { label: string; text: string }[]): string[] {
  const files = list.map((p, i) => {
    const f = join(tmp, `b${i}.patch`);
    writeFileSync(f, p.text);
    return f;
  });
  const r = spawnSync('git', ['apply', '--stat', ...files], { cwd: tmp, encoding: 'utf8' });
  if (r.status === 0) return [];
  return list.flatMap((p) => { const x = gitStat(p.text); return x.ok ? [] : [`${p.label}: ${x.out}`]; });
}

describe('rendering: the mainline placement is commit f28d43636d6f plus the s390 PTE-clear export', () => {
  const production = byId.get('production')!;

  it('5.7: follow_page_pte() and gup_pte_range() in mm/gup.c, __test_set_page_writeback(), the gfp.h default, s390 pgtable.h', () => {
    const p = renderPatch({ level: { ...production, kernel: '5.7' }, hooks: MAINLINE, author: 'Claudio Imbrenda' });
    const places = p.hunks.map((h) => `${h.file}:${h.function}`).sort();
    expect(places).toEqual([
      'arch/s390/include/asm/pgtable.h:ptep_clear_flush()',
      'arch/s390/include/asm/pgtable.h:ptep_get_and_clear_full()',
      'include/linux/gfp.h:',
      'mm/gup.c:follow_page_pte()',
      'mm/gup.c:gup_pte_range()',
      'mm/page-writeback.c:__test_set_page_writeback()',
    ]);
    // f28d43636d6f's three files, the PTE-clear export's one
    expect([...new Set(p.hunks.map((h) => h.file))].sort()).toEqual(['arch/s390/include/asm/pgtable.h', 'include/linux/gfp.h', 'mm/gup.c', 'mm/page-writeback.c']);
    expect(p.subject).toBe('mm/gup/writeback, s390/mm: make inaccessible pages accessible before I/O');
  });

  it('the inserted code: FOLL_PIN as the flag test, a clean error path where GUP can fail, VM_BUG_ON where writeback cannot', () => {
    const p = renderPatch({ level: { ...production, kernel: '5.7' }, hooks: MAINLINE, author: 'x' });
    const added = (fn: string) => p.hunks.find((h) => h.function === fn)!.lines.filter((l) => l.startsWith('+')).join('\n');
    expect(added('gup_pte_range()')).toMatch(/flags & FOLL_PIN\) && arch_make_page_accessible\(page\)/);
    expect(added('gup_pte_range()')).toContain('goto pte_unmap;');
    expect(added('follow_page_pte()')).toMatch(/if \(flags & FOLL_PIN\)/);
    expect(added('follow_page_pte()')).toContain('unpin_user_page(page);');
    expect(added('follow_page_pte()')).toContain('page = ERR_PTR(ret);');
    expect(added('__test_set_page_writeback()')).toContain('VM_BUG_ON_PAGE(access_ret != 0, page);');
    expect(added('ptep_clear_flush()')).toContain('uv_convert_from_secure(pte_val(res) & PAGE_MASK);');
    // the call is never inside VM_BUG_ON: without CONFIG_DEBUG_VM the condition is not evaluated
    expect(p.diff).not.toMatch(/VM_BUG_ON\w*\(arch_make/);
  });

  it('6.5: the folio era, __folio_start_writeback() with arch_make_folio_accessible(), and no default stub (a 6.5 tree has it)', () => {
    const p = renderPatch({ level: production, hooks: MAINLINE, author: 'x' });
    const wb = p.hunks.find((h) => h.file === 'mm/page-writeback.c')!;
    expect(wb.function).toBe('__folio_start_writeback()');
    expect(wb.lines.join('\n')).toContain('arch_make_folio_accessible(folio)');
    expect(wb.lines.join('\n')).toContain('VM_BUG_ON_FOLIO(access_ret != 0, folio);');
    expect(p.hunks.some((h) => h.file === 'include/linux/mm.h' || h.file === 'include/linux/gfp.h')).toBe(false);
    expect(p.diff).not.toContain('HAVE_ARCH_MAKE_PAGE_ACCESSIBLE');
  });

  it('context lines are pvlab sketches (signature, braces, marker comments), never copied kernel statements', () => {
    for (const kernel of KERNEL_IDS) for (const arch of ARCH_IDS) for (const s of SITE_IDS) {
      const r = siteRender(s, kernel, arch, SITES[s].when[0]);
      if (!r) { expect(s).toBe('fault'); continue; }
      for (const k of r.hunks) {
        for (const l of [...k.before, ...k.after]) expect(l, `${s} ${kernel} ${arch}`).toMatch(/^\t*\/\* \.\.\. pvlab sketch: .* \.\.\. \*\/$/);
      }
    }
  });

  it('the commit message is kernel style: subject with a subsystem prefix, body under 73 columns, Signed-off-by from the author', () => {
    const p = renderPatch({ level: production, hooks: MAINLINE, author: 'Ada Lovelace' });
    const msg = p.text.slice(0, p.text.indexOf('\n---\n'));
    expect(msg).toMatch(/^From: Ada Lovelace <ada\.lovelace@pvlab\.invalid>\nSubject: \[PATCH\] mm\/gup\/writeback, s390\/mm: /);
    for (const l of msg.split('\n').slice(3)) expect(l.length, l).toBeLessThanOrEqual(72);
    expect(msg).toContain('Signed-off-by: Ada Lovelace <ada.lovelace@pvlab.invalid>');
    expect(signoff('Ada Lovelace <ada@example.org>')).toBe('Ada Lovelace <ada@example.org>');
  });

  it('untrusted author and name text cannot add lines, headers or diffs to the patch', () => {
    const author = sanitizeLine('Eve\u001b[2J\ndiff --git a/etc/passwd b/etc/passwd\r\n+++ b/x <e@x.org>');
    const p = renderPatch({ level: production, hooks: MAINLINE, author, name: 'n\n--- a/x\n@@ -1 +1 @@' });
    expect(p.text).not.toMatch(/^diff --git a\/etc/m);
    expect(p.text).not.toMatch(/^--- a\/x/m);
    const so = p.text.split('\n').filter((l) => l.startsWith('Signed-off-by: '));
    expect(so).toHaveLength(1);
    expect(so[0]).toMatch(/^Signed-off-by: [\p{L}\p{N} .,'_-]+ <[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+>$/u);
    expect(p.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe('the patch as a kernel engineer reads it (issue 21, issue 25)', () => {
  const lvl = (kernel: '5.7' | '6.5') => ({ id: 'production', arch: 's390-pv' as const, kernel });
  const body = (text: string) => text.slice(text.indexOf('\n\n') + 2, text.indexOf('\n---\n'));
  const MARKER = /^(---|diff -|Index: |\+\+\+ |@@ |From )/;

  it('no commit-message line starts like a git marker, whatever the solution name wraps to', () => {
    for (let pad = 0; pad < 90; pad++) {
      const name = `${'x'.repeat(pad % 40)} ${'y '.repeat(pad)}--- a diff -u Index: From here`;
      const p = renderPatch({ level: lvl('6.5'), hooks: MAINLINE, author: 'Ada', name });
      for (const l of body(p.text).split('\n')) expect(l, `pad ${pad}`).not.toMatch(MARKER);
      expect(p.text).toContain('\nSigned-off-by: Ada <ada@pvlab.invalid>\n---\n');
    }
  });

  it.skipIf(!hasGit)('git mailinfo keeps the Signed-off-by of a patch whose long name wraps at "---"', () => {
    const name = `${'word '.repeat(11)}--- Index: diff -u`;
    const p = renderPatch({ level: lvl('6.5'), hooks: MAINLINE, author: 'Ada', name });
    const f = join(tmp, 'mail.patch');
    writeFileSync(f, p.text);
    const r = spawnSync('git', ['mailinfo', join(tmp, 'msg'), join(tmp, 'diff')], { cwd: tmp, input: p.text, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(spawnSync('cat', [join(tmp, 'msg')], { encoding: 'utf8' }).stdout).toContain('Signed-off-by: Ada <ada@pvlab.invalid>');
  });

  it('hunk headers name the function, like git diff -p', () => {
    const p = renderPatch({ level: lvl('6.5'), hooks: MAINLINE, author: 'x' });
    const heads = p.diff.split('\n').filter((l) => l.startsWith('@@'));
    expect(heads.length).toBeGreaterThan(0);
    for (const h of heads) expect(h).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@ \S.*\(/);
    expect(p.diff).toContain('@@ static inline pte_t ptep_clear_flush(');
  });

  it('the message names the call the diff makes: the s390 PTE-clear export is not arch_make_page_accessible()', () => {
    const p = renderPatch({ level: { id: 'swap-pressure', arch: 's390-pv', kernel: '6.5' }, hooks: [{ site: 'ptep_clear' }], author: 'x' });
    expect(body(p.text)).toContain('Call uv_convert_owned_from_secure() in one place');
    expect(body(p.text)).not.toContain('arch_make_page_accessible');
    const q = renderPatch({ level: lvl('6.5'), hooks: MAINLINE, author: 'x' });
    expect(body(q.text).replace(/\n/g, ' ')).toMatch(/Call arch_make_page_accessible\(\) in 2 places, arch_make_folio_accessible\(\) in one place, uv_convert_owned_from_secure\(\) in one place/);
  });

  it('kmap is hooked in the !CONFIG_HIGHMEM variant s390 builds, and 5.7 has no destroy at teardown', () => {
    for (const kernel of KERNEL_IDS) {
      const k = siteRender('kmap', kernel, 's390-pv')!.hunks[0];
      expect(k.before.join('\n')).toContain('!CONFIG_HIGHMEM');
    }
    const live57 = siteRender('ptep_clear', '5.7', 's390-pv', 'live')!.hunks.flatMap((k) => k.added).join('\n');
    expect(live57).not.toContain('uv_destroy');
    const live65 = siteRender('ptep_clear', '6.5', 's390-pv', 'live')!.hunks.flatMap((k) => k.added).join('\n');
    expect(live65).toContain('if (full && !uv_destroy_owned_page(pte_val(res) & PAGE_MASK))');
  });

  it('a kmap hook gets a review finding even where it never fails: kmap cannot fail (Zijlstra, 2020-04-15)', () => {
    const lv = byId.get('kmap')!;
    const r = reviewPlacement(lv, [{ site: 'kmap' }]);
    const f = r.findings.find((x) => x.rule === 'cannot-fail' && x.function.startsWith('kmap'));
    expect(f, JSON.stringify(r.findings.map((x) => x.rule))).toBeDefined();
    expect(f!.finding).toMatch(/Zijlstra|cannot ever fail kmap/);
  });

  it('a level too large for per-hook evidence on every seed is reviewed on fewer seeds or a scaled copy, and says so', () => {
    const base = byId.get('production')!;
    const big = { ...base, id: 'big', seeds: { visible: [1, 2], hidden: 2 },
      workloads: base.workloads.map((w) => (w.kind === 'kvm_fault' ? { ...w, touches: 200_000 } : { ...w, ops: 4000 })) };
    const r = reviewPlacement(big, MAINLINE);
    expect(r.evidence.sample).toBeDefined();
    expect(r.evidence.sample!.of).toBe(4);
    expect(r.evidence.score.seeds).toHaveLength(4);
  });
});

describe.skipIf(!hasGit)('every rendered patch parses with git apply --stat', () => {
  it('the mainline placement in both eras', () => {
    for (const kernel of KERNEL_IDS) {
      const p = renderPatch({ level: { id: 'production', arch: 's390-pv', kernel }, hooks: MAINLINE, author: 'x' });
      const r = gitStat(p.text);
      expect(r.ok, r.out).toBe(true);
      expect(r.out).toMatch(/mm\/gup\.c/);
    }
  });

  it('every site with every condition, in every era and on every architecture', () => {
    const list: { label: string; text: string }[] = [];
    for (const kernel of KERNEL_IDS) for (const arch of ARCH_IDS) for (const s of SITE_IDS) {
      for (const when of SITES[s].when.length ? SITES[s].when : [undefined]) {
        if (!SITES[s].placeable) continue;
        const hooks: Hook[] = [when ? { site: s, when } : { site: s }];
        list.push({ label: `${s}/${when} ${kernel} ${arch}`, text: renderPatch({ level: { id: 'x', arch, kernel }, hooks, author: 'x' }).text });
      }
    }
    expect(list.length).toBeGreaterThan(100);
    expect(gitStatAll(list)).toEqual([]);
  });

  it('every campaign solution (naive and reference), and every site of a level at once', () => {
    const list: { label: string; text: string }[] = [];
    for (const lv of campaign) {
      for (const kind of ['naive', 'reference'] as const) {
        const { hooks } = solution(lv.id, kind);
        if (!hooks.length) continue;
        list.push({ label: `${lv.id}.${kind}`, text: renderPatch({ level: lv, hooks, author: 'x' }).text });
      }
      const all: Hook[] = lv.sites.map((s) => ({ site: s }));
      list.push({ label: `${lv.id} all sites`, text: renderPatch({ level: lv, hooks: all, author: 'x' }).text });
      // one hunk per hooked function, each in a file of its own section
      const { hunks } = placementHunks(lv, all);
      expect(new Set(hunks.map((h) => `${h.file}:${h.function}`)).size).toBe(hunks.length);
    }
    expect(gitStatAll(list)).toEqual([]);
  });
});

// ---- the review ----
const reviews = new Map<string, Review>();
function review(id: string): Review {
  let r = reviews.get(id);
  if (!r) { r = reviewPlacement(byId.get(id)!, solution(id, 'naive').hooks); reviews.set(id, r); }
  return r;
}

/** The rendered functions of a placed site on a level. */
function functionsOf(lv: Level, h: Hook): string[] {
  return siteRender(h.site, lv.kernel, lv.arch, h.when)!.hunks.map((k) => `${k.file}:${k.function}`);
}

describe('review: every campaign naive solution gets a review that names its real problem', () => {
  it.each(campaign.map((l) => [l.id]))('%s', (id) => {
    const lv = byId.get(id)!;
    const { hooks } = solution(id, 'naive');
    const r = review(id);
    const at = (f: { file: string; function: string }) => `${f.file}:${f.function}`;
    for (const f of r.findings) {
      expect(f.finding.length, f.rule).toBeGreaterThan(30);
      expect(f.evidence.length, f.rule).toBeGreaterThan(10);
      expect(f.file, f.rule).toMatch(/^[a-z]+\/[\w./-]+\.[ch]$/);
    }
    const cx = r.evidence.score.counterexample;
    if (!r.passed) {
      // the failure the engine found is named, in an error comment
      const errors = r.findings.filter((f) => f.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(cx).toBeDefined();
      const w = cx!.failure.workload;
      expect(errors.some((f) => f.finding.includes(w) || (w === 'kvm_fault' && /KVM|guest/.test(f.finding)) || f.evidence.includes(`${w}#`)), `no error names ${w}`).toBe(true);
      // a failure the engine charges to a placed hook is reviewed at that hook's hunk
      const site = cx!.failure.site;
      if (site && hooks.some((h) => h.site === site)) {
        const fns = functionsOf(lv, hooks.find((h) => h.site === site)!);
        expect(errors.some((f) => fns.includes(at(f))), `no error at ${site}`).toBe(true);
      }
    } else {
      // a pass that misses par: the over-par metric is named with its value and par
      const over = Object.entries(r.evidence.score.meetsPar).filter(([k, ok]) => !ok && k !== 'hooks').map(([k]) => k);
      if (over.length) expect(r.findings.some((f) => over.some((k) => f.evidence.includes(k))), `over par on ${over}`).toBe(true);
    }
    // a naive hook the level declares a trap gets a comment at its own hunk (when the
    // placement passes, or the trap is where it fails)
    const traps = (lv.traps ?? []).map((t) => `${t.site}/${t.when ?? SITES[t.site].when[0] ?? ''}`);
    const trapped = hooks.filter((h) => traps.includes(`${h.site}/${h.when ?? SITES[h.site].when[0] ?? ''}`));
    if (trapped.length && (r.passed || trapped.some((h) => h.site === cx?.failure.site))) {
      const fns = trapped.flatMap((h) => functionsOf(lv, h));
      expect(r.findings.some((f) => fns.includes(at(f))), `no comment on trap ${trapped.map((h) => h.site)}`).toBe(true);
    }
  });
});

/** Each naive solution's lesson as a review rule at a place (what the level teaches). */
const LESSONS: Record<string, { rule: string; at: string }[]> = {
  'swap-pressure': [{ rule: 'too-late', at: 'mm/page-writeback.c:__folio_start_writeback()' }, { rule: 'fault-cost', at: 'arch/s390/mm/fault.c:do_secure_storage_access()' }],
  'fast-gup': [{ rule: 'open-path', at: 'block/bio.c:bio_iov_iter_get_pages()' }, { rule: 'never-reached', at: 'mm/gup.c:follow_page_pte()' }],
  'pin-or-get': [{ rule: 'reference-only', at: 'mm/gup.c:gup_pte_range()' }],
  'msync': [{ rule: 'never-reached', at: 'mm/gup.c:follow_page_pte()' }],
  'cpu-copies': [{ rule: 'early-export', at: 'mm/gup.c:follow_page_pte()' }, { rule: 'duplicate', at: 'mm/page-writeback.c:__folio_start_writeback()' }],
  'sendfile-hole': [{ rule: 'open-path', at: 'fs/splice.c:splice_to_socket()' }],
  'production': [{ rule: 'open-path', at: 'fs/splice.c:splice_to_socket()' }, { rule: 'duplicate', at: 'mm/page-writeback.c:__folio_start_writeback()' }],
  'channel-io': [{ rule: 'never-reached', at: 'kernel/dma/mapping.c:dma_map_page_attrs()' }],
  'vm-normal-page': [{ rule: 'reference-only', at: 'mm/memory.c:vm_normal_page()' }],
  'before-busy': [{ rule: 'race', at: 'mm/vmscan.c:shrink_active_list()' }],
  'odirect-5-7': [{ rule: 'open-path', at: 'mm/gup.c:gup_pte_range()' }],
  'teardown': [{ rule: 'wasted-exports', at: 'arch/s390/include/asm/pgtable.h:ptep_get_and_clear_full()' }],
  'fault-cost': [{ rule: 'fault-cost', at: 'arch/s390/mm/fault.c:do_secure_storage_access()' }],
  'sev-snp': [{ rule: 'reference-only', at: 'mm/gup.c:gup_pte_range()' }],
  'tdx': [{ rule: 'cannot-fail', at: 'arch/x86/include/asm/pgtable.h:ptep_get_and_clear_full()' }],
  'tdx-copies': [{ rule: 'cannot-fail', at: 'include/linux/highmem-internal.h:kmap_local_page()' }],
  'challenge-tdx': [{ rule: 'refused-twice', at: 'mm/gup.c:gup_pte_range()' }, { rule: 'never-reached', at: 'mm/page-writeback.c:__folio_start_writeback()' }],
  'guest-memfd': [{ rule: 'arch-in-core', at: 'mm/gup.c:gup_pte_range()' }],
  'review-v4': [{ rule: 'open-path', at: 'mm/gup.c:gup_pte_range()' }],
  'green-runs': [{ rule: 'race', at: 'mm/vmscan.c:shrink_active_list()' }],
};

describe('review rules: each naive solution is reviewed for its lesson', () => {
  it.each(Object.entries(LESSONS))('%s', (id, lessons) => {
    const r = review(id);
    for (const l of lessons) {
      expect(r.findings.map((f) => `${f.rule} ${f.file}:${f.function}`), l.rule).toContain(`${l.rule} ${l.at}`);
    }
  });

  it('findings that repeat the 2020 review name who and when, in pvlab\'s words (no quoted sentences)', () => {
    const r = review('sendfile-hole');
    const open = r.findings.find((f) => f.rule === 'open-path')!;
    expect(open.finding).toMatch(/Dave Hansen \(2020-04-16\)/);
    expect(open.finding).toMatch(/Christian Borntraeger \(2020-04-28\)/);
    for (const id of Object.keys(LESSONS)) for (const f of review(id).findings) expect(f.finding).not.toMatch(/"[^"]{25,}"/);
  });

  it('a review level: a never-reached hunk of the posted patch is a nit only when removing it would go over the changes par', () => {
    const lv = byId.get('review-v4')!;
    const at = (r: Review) => r.findings.find((f) => f.rule === 'never-reached' && f.function === 'follow_page_pte()')?.severity;
    // the posted patch as is: removing the hunk is the one change allowed
    expect(at(review('review-v4'))).toBe('warning');
    // the posted patch plus a hook: removing it too would be a second change
    expect(at(reviewPlacement(lv, solution('review-v4', 'reference').hooks))).toBe('nit');
  });

  it('is deterministic: the same placement gives the same patch and the same findings', () => {
    for (const id of ['before-busy', 'production', 'tdx-copies']) {
      const lv = byId.get(id)!;
      const { sol, hooks } = solution(id, 'naive');
      // the review made earlier in this file (other reviews ran since) against a new one
      const a = review(id);
      const b = patchFor(lv, hooks, { author: sol.author, name: sol.name });
      expect(JSON.stringify(b.review.findings)).toBe(JSON.stringify(a.findings));
      expect(b.review.verdict).toBe(a.verdict);
      // and the patch rendered from the earlier review's evidence is the same text
      const reachedBy = Object.fromEntries(hooks.map((h) => [h.site, a.evidence.sites[h.site]?.reachedBy ?? []]));
      const again = renderPatch({ level: { id: lv.id, arch: lv.arch, kernel: lv.kernel }, hooks, author: sol.author, name: sol.name, reachedBy, uncovered: a.evidence.failingWorkloads });
      expect(again.text).toBe(b.patch.text);
    }
  });
});

// ---- the command ----
/** pvlab in this process (the spawned binary is smoke-tested in test/cli). */
async function pvlab(...args: string[]) {
  const r = await runCli(args, { env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('review rules: one module per rule, each fires on some fixture', () => {
  it('the registry holds every rule once, by its id, in a stage it has a handler for, with its prose', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      expect(RULES[id].id).toBe(id);
      const stages = (Object.keys(STAGES) as (keyof typeof STAGES)[]).filter((k) => STAGES[k].includes(id));
      expect(stages.length, id).toBeGreaterThan(0);
      for (const k of stages) expect(typeof RULES[id][k], `${id} ${k}`).toBe('function');
      expect(RULE_TEXT[id].what.length, id).toBeGreaterThan(20);
    }
  });

  it('hot-path: guest_memfd with a FOLL_GET hook in slow GUP: KVM faults and NUMA queries make most of its checks, host overhead over par', () => {
    // A real run: on guest_memfd the private pages have no GUP at all, so every check the
    // hook makes on behalf of kvm_fault and host_refs is a flag check that protects no I/O.
    const lv = byId.get('guest-memfd')!;
    const hooks: Hook[] = [{ site: 'gup_slow', when: 'get' }];
    const r = reviewPlacement(lv, hooks);
    expect(r.passed).toBe(true);
    const f = r.findings.filter((x) => x.rule === 'hot-path');
    expect(f.map((x) => `${x.file}:${x.function} ${x.severity}`)).toEqual(['mm/gup.c:follow_page_pte() warning']);
    expect(f[0]!.finding).toMatch(/^Hot path: KVM's fault-in \(GUP with FOLL_GET on x86 and arm64\) and NUMA queries and munlock \(FOLL_GET\) pass this call all the time/);
    const se = r.evidence.sites.gup_slow!;
    const hot = (se.callsAloneBy.kvm_fault ?? 0) + (se.callsAloneBy.host_refs ?? 0);
    expect(hot).toBeGreaterThanOrEqual(HOT_CALLS);
    expect(f[0]!.evidence).toMatch(/hook checks per seed from kvm_fault, host_refs with this hook alone .* against 0 from the workloads that do I\/O.*hostOverhead [\d.]+ \(par 0\)/);
    // below the threshold (the same evidence, the quiet users' checks scaled down), and on a
    // placement within par, it stays silent
    const ev = structuredClone(r.evidence);
    const s2 = ev.sites.gup_slow!;
    for (const w of ['kvm_fault', 'host_refs'] as const) s2.callsAloneBy[w] = (s2.callsAloneBy[w] ?? 0) * ((HOT_CALLS - 1) / hot);
    const ctx = reviewContext(lv, hooks, ev);
    RULES['hot-path'].hook!(ctx, { h: hooks[0]!, se: s2, where: hunkOf(lv, hooks[0]!, busiestFns(s2.fns)[0]) });
    expect(ctx.findings).toEqual([]);
    expect(reviewPlacement(lv, solution('guest-memfd', 'reference').hooks).findings.filter((x) => x.rule === 'hot-path')).toEqual([]);
  });

  it('idle: a writeback hook on cpu-copies never finds a secure page (the CPU copies fault them out first)', () => {
    const r = reviewPlacement(byId.get('cpu-copies')!, [{ site: 'writeback' }]);
    const f = r.findings.filter((x) => x.rule === 'idle');
    expect(f.map((x) => `${x.file}:${x.function} ${x.severity}`)).toEqual(['mm/page-writeback.c:__folio_start_writeback() nit']);
    expect(f[0]!.evidence).toMatch(/0 pages exported, refused or destroyed by it/);
  });

  it('every rule fires on some fixture: the campaign\'s naive solutions, and the two above', () => {
    const fired = new Set<RuleId>(campaign.flatMap((l) => review(l.id).findings.map((f) => f.rule)));
    fired.add('hot-path').add('idle'); // their own tests above
    expect([...RULE_IDS].filter((id) => !fired.has(id))).toEqual([]);
    // and the naive solutions alone reach all but those two
    const naive = new Set(campaign.flatMap((l) => review(l.id).findings.map((f) => f.rule)));
    expect(RULE_IDS.filter((id) => !naive.has(id)).sort()).toEqual(['hot-path', 'idle']);
  });
});

describe('pvlab patch (the CLI)', () => {
  it('prints the patch, then the review after "-- "; the whole output still parses with git apply; exit 1 on a failing placement', async () => {
    const r = await pvlab('patch', join(SOLUTIONS, 'production.naive.json'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^From: pvlab campaign <pvlab\.campaign@pvlab\.invalid>\nSubject: \[PATCH\] /);
    expect(r.out).toContain('\n-- \nReview (pvlab engine): FAIL');
    expect(r.out).toContain('fs/splice.c: splice_to_socket()  [error, open-path]');
    if (hasGit) expect(gitStat(r.out).ok).toBe(true);
    expect((await pvlab('patch', join(SOLUTIONS, 'swap-pressure.reference.json'))).code).toBe(0);
  });

  it('--json: { patch, review: [{ file, function, severity, finding, evidence }] }; --level takes an id or a level file', async () => {
    // a failing placement (the aging-scan export races the guest), its level given as a file
    const r = await pvlab('patch', join(SOLUTIONS, 'before-busy.naive.json'), '--json', '--level', join(root, 'levels/15-before-busy.json'));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { patch: string; review: Record<string, string>[] };
    expect(j.patch).toContain('diff --git a/mm/vmscan.c b/mm/vmscan.c');
    expect(j.review.map((f) => `${f.rule} ${f.file}:${f.function}`)).toContain('race mm/vmscan.c:shrink_active_list()');
    expect(j.review.length).toBeGreaterThan(0);
    for (const f of j.review) expect(Object.keys(f).sort()).toEqual(['evidence', 'file', 'finding', 'function', 'rule', 'severity']);
  });

  it('bad input: one line on stderr, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-patch-bad-'));
    try {
      const sandbox = join(dir, 's.json');
      writeFileSync(sandbox, JSON.stringify({ format: 'pvlab-solution@1', level: 'sandbox', name: 'n', hooks: [] }));
      for (const args of [['patch', join(dir, 'missing.json')], ['patch', sandbox], ['patch', join(SOLUTIONS, 'production.naive.json'), '--level', 'swap-pressure'], ['patch', join(SOLUTIONS, 'production.naive.json'), '--level', 'no-such-level']]) {
        const r = await pvlab(...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.out).toBe('');
        expect(r.err.trim().split('\n')).toHaveLength(1);
        expect(r.err).toMatch(/^pvlab: /);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// the placement hooks are checked against SITES: every placeable site renders
it('every placeable site renders in every era and on every architecture', () => {
  for (const s of SITE_IDS as readonly SiteId[]) {
    for (const kernel of KERNEL_IDS) for (const arch of ARCH_IDS) {
      expect(siteRender(s, kernel, arch) !== null, s).toBe(SITES[s].placeable);
      if (SITES[s].placeable) expect(hookRender(s, kernel, arch).hunks.length, s).toBeGreaterThan(0);
      else expect(() => hookRender(s, kernel, arch), s).toThrow(/fixed site/);
    }
  }
});
