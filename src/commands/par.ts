// `pvlab par <level> [--reference <solution>] [--write] [--json]`: par from enumeration
// (src/sim/par.ts): every placement of the level's offered sites scored with the one
// rule, par the best values, taken on the metrics where the reference (the one given, or
// the one enumeration found) reaches every best; then the campaign's rules. --write
// replaces the level file's `par` (nothing else; atomic). Exit 0 when every rule holds,
// 1 when one does not (the level is not worth playing as it stands), 2 on bad input.
import { writeFileAtomic } from '../io/atomic.js';
import { InputError, fsReason } from '../io/errors.js';
import { loadSolutionFile, readJsonFile, resolveLevel } from '../io/files.js';
import { fmtNum } from '../io/format.js';
import { terminalSafeJson } from '../io/sanitize.js';
import { LIMITS, solutionHooks } from '../io/schema.js';
import { campaignRules, enumerateLevel, parFromEnumeration, type ParWithChanges } from '../sim/par.js';
import { hooksLine } from './format.js';

export interface ParCommandOptions {
  reference?: string;
  write?: boolean;
  json?: boolean;
}

const parLine = (p: ParWithChanges) => Object.entries(p).map(([k, v]) => `${k} ${fmtNum(v as number)}`).join(', ') || '(none)';

export function parCommand(ref: string, o: ParCommandOptions): number {
  const { file, level } = resolveLevel(ref);
  if (o.write && file.startsWith('(generated')) throw new InputError(`${ref}: a generated level has no file to write; save it first with 'pvlab generate ... --out <file>'`);
  const reference = o.reference ? solutionHooks(loadSolutionFile(o.reference), level, o.reference) : undefined;
  const e = enumerateLevel(level);
  const found = parFromEnumeration(e, reference);
  if (!found) {
    const why = e.analysis.passing === 0 ? 'no placement of the offered sites passes' : `the reference ${hooksLine(reference ?? [])} does not pass`;
    if (o.json) process.stdout.write(terminalSafeJson({ id: level.id, solvable: e.analysis.passing > 0, par: null, rules: [] }) + '\n');
    else process.stdout.write(`${level.id}: ${why}; no par\n`);
    return 1;
  }
  const rules = campaignRules(level, e, found.par);
  const ok = rules.every((r) => r.ok);
  if (o.write) {
    const raw = readJsonFile(file, LIMITS.levelFileBytes) as Record<string, unknown>;
    raw.par = found.par;
    try {
      writeFileAtomic(file, JSON.stringify(raw, null, 2) + '\n');
    } catch (err) {
      throw new InputError(`${file}: cannot write the par (${fsReason(err)})`);
    }
  }
  if (o.json) {
    process.stdout.write(terminalSafeJson({
      id: level.id, solvable: true, par: found.par, previous: level.par, reference: found.reference,
      dropped: found.dropped, best: found.best, rules, written: !!o.write,
    }) + '\n');
    return ok ? 0 : 1;
  }
  const lines = [
    `${level.id}: par ${parLine(found.par)}`,
    `  was: ${parLine(level.par)}`,
    `  reference: ${hooksLine(found.reference)}${reference ? ' (given)' : ' (found by enumeration)'}`,
    ...(found.dropped.length ? [`  left out (another placement beats the reference): ${found.dropped.join(', ')}`] : []),
    ...rules.map((r) => `  ${r.ok ? 'ok  ' : 'FAIL'} ${r.rule}: ${r.detail}`),
    o.write ? `  written to ${file}` : '  (--write to write it into the level file)',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return ok ? 0 : 1;
}
