// Public surface of the patch module: a placement as a kernel patch, and its review.
// Pure (no I/O); imports only src/sim. Nothing in src/sim imports this.
import type { ScorableLevel } from '../sim/score.js';
import type { Hook } from '../sim/types.js';
import type { SiteId, WorkloadId } from '../sim/model.js';
import { renderPatch, type RenderedPatch } from './render.js';
import { reviewPlacement, type Review } from './review/index.js';
import { wrapProse } from '../text/wrap.js';

/** Columns of the review as text (`pvlab patch`); a word longer than that (a path) is kept whole. */
const REVIEW_WIDTH = 100;

export { renderPatch, signoff, safeName, placementHunks } from './render.js';
export type { RenderedPatch, RenderedHunk, PatchInput } from './render.js';
export { RULES, RULE_IDS, RULE_TEXT, reviewPlacement } from './review/index.js';
export type { Finding, Review, Rule, RuleId, Severity } from './review/index.js';
export { THREAD, cite } from './thread.js';
export { gatherEvidence } from './evidence.js';
export { mainlineHooks } from './mainline.js';
export type { Evidence } from './evidence.js';

export interface PatchReport {
  patch: RenderedPatch;
  review: Review;
}

/** Review a placement, then render it with what the engine saw (who reaches each hook). */
export function patchFor(
  lv: ScorableLevel, hooks: readonly Hook[], meta: { author: string; name?: string },
): PatchReport {
  const review = reviewPlacement(lv, hooks);
  const reachedBy: Partial<Record<SiteId, readonly WorkloadId[]>> = {};
  for (const h of hooks) reachedBy[h.site] = review.evidence.sites[h.site]?.reachedBy ?? [];
  const patch = renderPatch({
    level: { id: lv.id, arch: lv.arch, kernel: lv.kernel }, hooks, author: meta.author,
    ...(meta.name ? { name: meta.name } : {}), reachedBy, uncovered: review.evidence.failingWorkloads,
  });
  return { patch, review };
}

/** The review as plain text, one comment per finding, grouped under its file and function. */
export function reviewText(r: Review): string[] {
  const out = [`Review (pvlab engine): ${r.verdict}`];
  const sm = r.evidence.sample;
  if (sm) out.push(`  (a large level: the per-hook evidence below comes from ${sm.seeds} of ${sm.of} seeds${sm.scale < 1 ? `, on a copy with ops, touches and pages scaled by ${sm.scale}` : ''}; the verdict is from every seed at full size)`);
  if (!r.findings.length) out.push('  no findings');
  for (const f of r.findings) {
    out.push('', `${f.file}: ${f.function || '(file scope)'}  [${f.severity}, ${f.rule}]`);
    out.push(...wrapProse(f.finding, REVIEW_WIDTH, '  ', { long: 'keep' }));
    out.push(...wrapProse(`evidence: ${f.evidence}`, REVIEW_WIDTH, '    ', { long: 'keep' }));
  }
  return out;
}
