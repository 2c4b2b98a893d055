// An animated run: one Engine with tracing, advanced a few scheduler choices per frame.
// `frame()` returns a plain snapshot for the reducer; the engine never enters React state.
import { Engine } from '../sim/engine.js';
import { broke } from '../sim/run.js';
import { SITE_IDS, type WorkloadId } from '../sim/model.js';
import { S_PTEP } from '../sim/codes.js';
import type { Hook, SimConfig, TraceEvent } from '../sim/types.js';
import { ENTRY } from './graph.js';

export interface WorkloadProgress {
  id: WorkloadId;
  label: string;
  done: number;
  total: number;
  /** I/O errors (the engine counts freed secure pages apart, below) */
  ioErrors: number;
  crashes: number;
  /** secure pages freed to the host allocator (the engine's `freedSecure`, [R10]) */
  freedSecure: number;
}

/** The engine's own totals (a freed secure page is `freedSecure`, not an I/O error). */
export interface Counters {
  ioErrors: number;
  crashes: number;
  freedSecure: number;
  exports: number;
  imports: number;
  wastedExports: number;
  guestStall: number;
}

export interface RunSnap {
  steps: number;
  workloads: WorkloadProgress[];
  counters: Counters;
  /** trace lines produced by this frame (the reducer keeps a bounded tail) */
  newLines: string[];
  /** `workload:site` pairs the run passed for the first time in this frame (fog mode) */
  passed?: string[];
  done: boolean;
  failed: boolean;
}

/** Column widths of a log line: step, actor, page number. */
export interface LogColumns {
  step: number;
  actor: number;
  page: number;
}

/** The live log's columns: fixed, so lines streamed frame by frame stay aligned. */
const LIVE_COLUMNS: LogColumns = { step: 5, actor: 18, page: 5 };

/** Columns as wide as a whole trace needs (a counterexample: short lines keep the function whole). */
export function logColumns(evs: readonly TraceEvent[]): LogColumns {
  const c: LogColumns = { step: 1, actor: 1, page: 1 };
  for (const e of evs) {
    c.step = Math.max(c.step, String(e.step).length);
    c.actor = Math.max(c.actor, e.actor.length);
    c.page = Math.max(c.page, String(e.page).length);
  }
  return c;
}

/** One short, plain-ASCII line of the run's event log (the timeline shows the flags). */
export function logLine(e: TraceEvent, c: LogColumns = LIVE_COLUMNS): string {
  const site = e.site ? ` [${e.site}]` : '';
  const out = e.outcome ? ` <== ${e.outcome.toUpperCase()}` : '';
  return `${String(e.step).padStart(c.step)} ${e.actor.padEnd(c.actor)} p${String(e.page).padEnd(c.page)} ${e.action} -> ${e.state}${out}  ${e.fn}${site}`;
}

/** Keep at most this many trace events in the engine between frames. */
const TRACE_KEEP = 4096;

/**
 * An engine that notes each hook site a workload's path passes, hooked or not (the trace
 * has an event only where a hook acted): the board's fog lifts where a run went. Every
 * placeable site but ptep_clear is reached through hook(); ptep_clear through ptepClear().
 */
class PathEngine extends Engine {
  readonly passed = new Set<string>();
  fresh: string[] = [];

  private pass(w: number, site: number): void {
    const k = `${this.workloads[w]!.id}:${SITE_IDS[site]}`;
    if (this.passed.has(k)) return;
    this.passed.add(k);
    this.fresh.push(k);
  }

  override hook(site: number, p: number, w: number, slot: number, foll: number, fn: string): boolean {
    this.pass(w, site);
    return super.hook(site, p, w, slot, foll, fn);
  }

  override ptepClear(p: number, w: number, slot: number, fn: string, live: boolean): boolean {
    this.pass(w, S_PTEP);
    return super.ptepClear(p, w, slot, fn, live);
  }
}

export class RunSession {
  readonly engine: PathEngine;
  private readonly totals: number[];
  private consumed = 0;

  constructor(cfg: SimConfig, hooks: readonly Hook[], seed: number) {
    this.engine = new PathEngine(cfg, hooks, seed, { trace: true });
    const e = this.engine;
    const guest = e.remaining().guest;
    this.totals = e.workloads.map((w) =>
      w.id === 'kvm_fault' ? guest : w.id === 'teardown' ? cfg.pages : w.budget);
  }

  /** Advance at most `choices` scheduler choices and describe the state. */
  frame(choices: number): RunSnap {
    const e = this.engine;
    if (choices > 0 && !e.done) e.advance(choices);
    const evs = e.events ?? [];
    const fresh = evs.slice(this.consumed);
    const newLines = fresh.map((ev) => logLine(ev));
    this.consumed = evs.length;
    if (evs.length > TRACE_KEEP) { // bounded memory on long runs; keep the last event (fail() marks it)
      evs.splice(0, evs.length - 1);
      this.consumed = evs.length;
    }
    const t = e.totals();
    const guestLeft = e.remaining().guest;
    const workloads = e.workloads.map((w, i): WorkloadProgress => {
      const m = e.metricsOf(i);
      const total = this.totals[i];
      const done = w.id === 'kvm_fault' ? total - guestLeft : w.id === 'teardown' ? m.events : total - w.budget;
      return {
        id: w.id, label: ENTRY[w.id], done: e.done ? total : Math.min(total, done), total,
        ioErrors: m.ioErrors, crashes: m.crashes, freedSecure: m.freedSecure,
      };
    });
    return {
      steps: e.steps,
      workloads,
      counters: {
        ioErrors: t.ioErrors, crashes: t.crashes, freedSecure: t.freedSecure, exports: t.exports, imports: t.imports,
        wastedExports: t.wastedExports, guestStall: t.guestStall,
      },
      newLines,
      passed: e.fresh.splice(0),
      done: e.done,
      failed: broke(t), // the engine's own pass rule
    };
  }
}
