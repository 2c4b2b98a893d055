// Runs the effects the reducer asks for (persistence, the engine, scoring) and turns
// their outcomes into messages. The only place where the TUI meets the outside world.
import { sanitizeLine } from '../io/sanitize.js';
import { SOLUTION_FORMAT } from '../io/schema.js';
import { patchFor } from '../patch/index.js';
import { levelConfig, scoreLevel } from '../sim/score.js';
import type { Metrics } from '../sim/types.js';
import { PAR_METRICS } from '../sim/verify.js';
import { patchDocOf } from './patch.js';
import type { Persistence, SavedEntry } from './ports.js';
import { RunSession, type RunSnap } from './session.js';
import type { Effect, Msg } from './state.js';

export interface EffectEnv {
  ports: Persistence;
  dispatch: (m: Msg) => void;
  exit: () => void;
  /** run later, after the next frame (scoring is slow enough to show a spinner first) */
  defer: (fn: () => void) => void;
}

/** Saved solutions scored for comparison on a results screen, at most. */
const MAX_COMPARED = 8;

export function parMetrics(m: Metrics): SavedEntry['metrics'] {
  return Object.fromEntries(PAR_METRICS.map((k) => [k, m[k]]));
}

function message(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export class EffectRunner {
  private session: { id: number; run: RunSession } | null = null;

  constructor(private readonly env: EffectEnv) {}

  /** One frame of the current animated run, if it is still run `runId`. */
  frame(runId: number, choices: number): RunSnap | null {
    if (!this.session || this.session.id !== runId) return null;
    return this.session.run.frame(choices);
  }

  run(e: Effect): void {
    const { ports, dispatch } = this.env;
    try {
      switch (e.kind) {
        case 'startRun': {
          const run = new RunSession(levelConfig(e.level), e.hooks, e.seed);
          this.session = { id: e.runId, run };
          dispatch({ type: 'runFrame', runId: e.runId, snap: run.frame(e.animate ? 0 : Infinity) });
          break;
        }
        case 'runStep': {
          const snap = this.frame(e.runId, e.n);
          if (snap) dispatch({ type: 'runFrame', runId: e.runId, snap });
          break;
        }
        case 'verify':
          this.env.defer(() => {
            try {
              // the one scoring rule: seeds, then the level's small machine exhaustively
              const result = scoreLevel(e.level, e.hooks);
              if (result.incomplete) throw new Error(`the exhaustive search of level '${e.level.id}' did not finish`);
              dispatch({ type: 'verified', runId: e.runId, result, hooks: e.hooks });
            } catch (err) {
              dispatch({ type: 'error', message: `scoring failed: ${message(err)}` });
            }
          });
          break;
        case 'recordResult':
          dispatch({ type: 'progress', progress: ports.recordResult(e.level, e.hooks, e.result) });
          break;
        case 'lastLevel':
          ports.setLastLevel(e.levelId);
          break;
        case 'recordHint':
          dispatch({ type: 'progress', progress: ports.recordHint(e.levelId, e.step) });
          break;
        case 'listSolutions': {
          const entries = e.levelIds.flatMap((id) => ports.listSolutions(id));
          if (e.purpose !== 'results' || !e.level) {
            dispatch({ type: 'solutionsListed', purpose: e.purpose, entries });
            break;
          }
          // score the player's other solutions of this level (files keep no metrics)
          const level = e.level;
          this.env.defer(() => {
            const scored = entries.slice(0, MAX_COMPARED).map((x) => {
              const fit = ports.fitSolution({ format: SOLUTION_FORMAT, level: level.id, name: x.name, author: '', hooks: x.hooks }, level);
              const v = scoreLevel(level, fit.hooks);
              return v.passed ? { ...x, metrics: parMetrics(v.metrics) } : x;
            });
            dispatch({ type: 'solutionsListed', purpose: e.purpose, entries: scored });
          });
          break;
        }
        case 'save': {
          const r = ports.saveSolution(e.solution, { overwrite: e.overwrite });
          if (r.ok) dispatch({ type: 'saved', name: e.solution.name, file: r.file });
          else if (r.exists) dispatch({ type: 'saveExists', name: e.solution.name });
          else dispatch({ type: 'error', message: `not saved: ${r.message}` });
          break;
        }
        case 'share':
          dispatch({ type: 'shared', code: ports.encodeShare(e.solution) });
          break;
        case 'decode':
          dispatch({ type: 'decoded', solution: ports.decodeShare(e.code) });
          break;
        case 'fit':
          dispatch({ type: 'fitted', loaded: ports.fitSolution(e.solution, e.level), level: e.level });
          break;
        case 'settings':
          dispatch({ type: 'settingsChanged', settings: ports.updateSettings(e.patch) });
          break;
        case 'patch':
          // the review scores the placement on every seed: after a frame, like scoring
          this.env.defer(() => {
            try {
              const r = patchFor(e.level, e.hooks, { author: sanitizeLine(e.author), name: sanitizeLine(e.name) });
              dispatch({ type: 'patched', which: e.which, doc: patchDocOf(r, e.which === 'player' ? 'your patch' : "mainline's placement") });
            } catch (err) {
              dispatch({ type: 'error', message: `the patch could not be rendered: ${message(err)}` });
            }
          });
          break;
        case 'savePatch': {
          const r = ports.savePatch(e.solution, e.text);
          if (r.ok) dispatch({ type: 'patchSaved', file: r.file });
          else dispatch({ type: 'error', message: `patch not written: ${r.message}` });
          break;
        }
        case 'exit':
          this.session = null;
          this.env.exit();
          break;
      }
    } catch (err) {
      dispatch({ type: 'error', message: message(err) });
    }
  }
}
