// `pvlab patch <solution-file> [--level <id>] [--json]`: the placement as the kernel patch
// it implies, followed by the automatic review (src/patch). Exit 0 when the placement
// passes the level, 1 when it fails, 2 on bad input.
import { InputError } from '../io/errors.js';
import { loadSolutionFile } from '../io/files.js';
import { lookupLevel } from '../io/levels.js';
import { sanitizeLine, terminalSafeJson } from '../io/sanitize.js';
import { solutionHooks, type Level, type Solution } from '../io/schema.js';
import { patchFor, reviewText, type PatchReport } from '../patch/index.js';
import type { Hook } from '../sim/types.js';

export interface PatchOptions {
  level?: string;
  json?: boolean;
}

export interface LoadedPlacement {
  level: Level;
  solution: Solution;
  hooks: Hook[];
}

/** A solution file and the level it is for (its own `level` field unless given). */
export async function loadPlacement(file: string, levelRef?: string): Promise<LoadedPlacement> {
  const solution = loadSolutionFile(file);
  const ref = levelRef ?? solution.level;
  if (ref === 'sandbox') throw new InputError(`${file}: a sandbox solution has no level; give one with --level`);
  // a custom level of the workshop the file is in (or of the settings' workshop) needs no --level
  const { level } = await lookupLevel(ref, [file]);
  return { level, solution, hooks: solutionHooks(solution, level, file) };
}

/** The patch and review of a loaded placement (author and name sanitized). */
export function reportFor(p: LoadedPlacement): PatchReport {
  return patchFor(p.level, p.hooks, { author: sanitizeLine(p.solution.author), name: sanitizeLine(p.solution.name) });
}

export async function patchCommand(file: string, o: PatchOptions): Promise<number> {
  const p = await loadPlacement(file, o.level);
  const r = reportFor(p);
  if (o.json) {
    const review = r.review.findings.map((f) => ({ file: f.file, function: f.function, severity: f.severity, finding: f.finding, evidence: f.evidence, rule: f.rule }));
    process.stdout.write(terminalSafeJson({
      level: p.level.id, hooks: p.hooks, verdict: r.review.verdict, passed: r.review.passed, stars: r.review.stars,
      patch: r.patch.text, review,
    }) + '\n');
  } else {
    // the review follows the patch after git's "-- " signature line: git apply ignores it
    process.stdout.write(r.patch.text + '-- \n' + reviewText(r.review).join('\n') + '\n');
  }
  return r.review.passed ? 0 : 1;
}
