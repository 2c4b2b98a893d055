// `pvlab run` and `pvlab verify`: headless runs with the exit-code contract.
import { InputError } from '../io/errors.js';
import { loadSolutionFile, resolveLevel } from '../io/files.js';
import { sanitizeLine } from '../io/sanitize.js';
import { solutionHooks, type Level } from '../io/schema.js';
import { levelConfig, scoreLevel } from '../sim/score.js';
import {
  ARCH_IDS, DEVICE_IDS, KERNEL_IDS, WORKLOAD_IDS, machineProblem,
  type ArchId, type DeviceId, type KernelId, type WorkloadId,
} from '../sim/model.js';
import { simulate } from '../sim/run.js';
import type { Hook, SimConfig } from '../sim/types.js';
import { compareToPar, starsFor } from '../sim/verify.js';
import { fmtNum } from '../io/format.js';
import { counterexampleLines, hooksLine, metricsTable } from './format.js';
import { exhaustiveJson, exhaustiveLines, incompleteError } from './exhaustive.js';

/** Options as commander hands them over (values already checked by the option parsers in cli.ts). */
export interface RunOptions {
  solution?: string;
  seed?: number;
  json?: boolean;
  sandbox?: boolean;
  arch?: ArchId;
  kernel?: KernelId;
  device?: DeviceId;
  workloads?: WorkloadId[];
  pages?: number;
  /** verify: also search every interleaving of a small configuration (undefined: if the level declares one) */
  exhaustive?: boolean;
}

/** A flag --sandbox cannot do without. */
function needed<T>(name: string, v: T | undefined, allowed: readonly string[]): T {
  if (v === undefined) throw new InputError(`--sandbox needs --${name} (${allowed.join('|')})`);
  return v;
}

interface Target {
  label: string;
  level: Level | null;
  config: SimConfig;
  hooks: Hook[];
}

function target(ref: string | undefined, o: RunOptions): Target {
  if (o.sandbox) {
    if (ref) throw new InputError(`--sandbox takes no level (got '${ref}')`);
    const names = needed('workloads', o.workloads, WORKLOAD_IDS);
    const config: SimConfig = {
      arch: needed('arch', o.arch, ARCH_IDS),
      kernel: needed('kernel', o.kernel, KERNEL_IDS),
      device: needed('device', o.device, DEVICE_IDS),
      pages: o.pages ?? 256,
      shared: 0.1,
      workloads: names.map((kind) => ({ kind })),
    };
    const machine = machineProblem(config.arch, config.kernel, config.device);
    if (machine) throw new InputError(machine.message);
    const hooks = o.solution ? solutionHooks(loadSolutionFile(o.solution), null, o.solution) : [];
    return { label: 'sandbox', level: null, config, hooks };
  }
  for (const f of ['arch', 'kernel', 'device', 'workloads', 'pages'] as const) {
    if (o[f] !== undefined) throw new InputError(`--${f} only goes with --sandbox`);
  }
  if (!ref) throw new InputError('which level? give a level id or a level file (see pvlab levels), or --sandbox');
  const { level } = resolveLevel(ref);
  const hooks = o.solution ? solutionHooks(loadSolutionFile(o.solution), level, o.solution) : [];
  return { label: level.id, level, config: levelConfig(level), hooks };
}

function header(t: Target): string {
  const c = t.config;
  const title = t.level ? `${t.level.id}: ${sanitizeLine(t.level.title)}` : 'sandbox';
  return `${title}  (${c.arch}, kernel ${c.kernel}, ${c.device}, ${c.pages} pages, workloads ${c.workloads.map((w) => w.kind).join(',')})`;
}

export function runCommand(ref: string | undefined, o: RunOptions): number {
  const t = target(ref, o);
  const seed = o.seed ?? t.level?.seeds.visible[0] ?? 1;
  const r = simulate(t.config, t.hooks, seed);
  const par = t.level?.par ?? {};
  const { meetsPar, allPar } = compareToPar(r.metrics, par);
  if (o.json) {
    const out = {
      level: t.label, seed, passed: r.passed, hooks: t.hooks, metrics: r.metrics, workloads: r.workloads,
      ...(t.level ? { par, meetsPar, stars: starsFor(r.passed, meetsPar, allPar) } : {}),
      ...(r.counterexample ? { counterexample: r.counterexample } : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    const lines = [header(t), `hooks: ${hooksLine(t.hooks)}`, `seed ${seed}: ${r.passed ? 'PASS' : 'FAIL'}` +
      ` (${r.metrics.ioErrors} I/O errors, ${r.metrics.fatalIoErrors} fatal, ${r.metrics.crashes} crashes, ${r.metrics.freedSecure} freed secure)`,
      ...metricsTable(r.metrics, t.level?.par)];
    lines.push('per workload:');
    for (const [id, m] of Object.entries(r.workloads)) {
      lines.push(`  ${id.padEnd(17)} io ${fmtNum(m.ioErrors)}  crash ${fmtNum(m.crashes)}  freed ${fmtNum(m.freedSecure)}  exports ${fmtNum(m.exports)}  wasted ${fmtNum(m.wastedExports)}  imports ${fmtNum(m.imports)}  stall ${fmtNum(m.guestStall)}`);
    }
    if (r.counterexample) lines.push(...counterexampleLines(r.counterexample));
    process.stdout.write(lines.join('\n') + '\n');
  }
  return r.passed ? 0 : 1;
}

export function verifyCommand(ref: string | undefined, o: RunOptions): number {
  if (!o.solution) throw new InputError('verify needs --solution FILE');
  const t = target(ref, o);
  if (!t.level) throw new InputError('verify needs a level (a sandbox has no seeds); use run --sandbox');
  const lv = t.level;
  // the one scoring rule (seeds, then the small machine when the level declares one or
  // --exhaustive asks): the same verdict as the board and the game's results screen
  const v = scoreLevel(lv, t.hooks, o.exhaustive === undefined ? {} : { exhaustive: o.exhaustive });
  const ex = v.exhaustive ?? null;
  if (v.incomplete) throw incompleteError(lv, ex?.result.states ?? 0);
  const passed = v.passed;
  if (o.json) {
    const { exhaustive: _ex, seedsPassed: _sp, incomplete: _inc, ...out } = v;
    process.stdout.write(JSON.stringify({ level: lv.id, hooks: t.hooks, ...out, ...(ex ? { exhaustive: exhaustiveJson(ex) } : {}) }) + '\n');
  } else {
    const failed = v.seeds.filter((s) => !s.passed);
    const lines = [header(t), `hooks: ${hooksLine(t.hooks)}`,
      `${v.seedsPassed ? 'PASS' : 'FAIL'} on ${v.seeds.length - failed.length}/${v.seeds.length} seeds ` +
      `(${lv.seeds.visible.length} visible, ${lv.seeds.hidden} hidden)` +
      (passed ? `, ${'*'.repeat(v.stars)}${'.'.repeat(3 - v.stars)} ${v.allPar ? 'all par met' : 'over par on ' + Object.entries(v.meetsPar).filter(([, ok]) => !ok).map(([k]) => k).join(', ')}` : ''),
      'mean per seed:', ...metricsTable(v.metrics, lv.par)];
    if (failed.length) lines.push(`failing seeds: ${failed.slice(0, 10).map((s) => `${s.seed}${s.hidden ? ' (hidden)' : ''}`).join(', ')}${failed.length > 10 ? ', ...' : ''}`);
    if (v.counterexample && !v.exhaustiveFailed) lines.push(...counterexampleLines(v.counterexample));
    if (ex) {
      lines.push(...exhaustiveLines(ex));
      lines.push(`overall: ${passed ? 'PASS' : 'FAIL'}${v.seedsPassed && !passed ? ' (every seed passes, but an interleaving they missed fails)' : ''}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
  return passed ? 0 : 1;
}
