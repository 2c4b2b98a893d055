// Runs the effects the reducer asks for (persistence, the engine, scoring) and turns
// their outcomes into messages. The only place where the TUI meets the outside world.
import { sanitizeLine } from '../io/sanitize.js';
import { dailyId, utcDate } from '../sim/generate/index.js';
import { levelConfig, scoreLevel } from '../sim/score.js';
import { patchDocOf } from './patch-doc.js';
import type { Persistence } from './ports.js';
import { RunSession, type RunSnap } from './session.js';
import { parMetrics, type Effect, type Msg } from './state.js';

export interface EffectEnv {
  /** a promise while the store is still loading (start-up): effects wait for it, in order */
  ports: Persistence | PromiseLike<Persistence>;
  dispatch: (m: Msg) => void;
  exit: () => void;
  /** run later, after the next frame (scoring is slow enough to show a spinner first) */
  defer: (fn: () => void) => void;
}

/** Effects that read or write settings, progress or saves. */
const NEEDS_STORE = new Set<Effect['kind']>(['recordResult', 'recordHint', 'lastLevel', 'listSolutions', 'save', 'share', 'decode', 'fit', 'settings', 'generate', 'buildLevel']);

/** Saved solutions scored for comparison on a results screen, at most. */
const MAX_COMPARED = 8;


function message(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export class EffectRunner {
  private session: { id: number; run: RunSession } | null = null;
  /** the workshop folder being watched (one at a time) */
  private workshop: { stop(): void; refresh(): void; setReveal(reveal: boolean): void } | null = null;
  private workshopToken = 0;
  private ports: Persistence | null = null;
  /** effects asked for before the store was there */
  private waiting: Effect[] | null = null;

  constructor(private readonly env: EffectEnv) {
    const p = env.ports;
    if (!('then' in p)) {
      this.ports = p;
      return;
    }
    this.waiting = [];
    p.then(
      (ports) => {
        this.ports = ports;
        const todo = this.waiting ?? [];
        this.waiting = null;
        for (const e of todo) this.run(e);
      },
      (err) => {
        this.waiting = null;
        env.dispatch({ type: 'error', message: `settings and saves are unavailable: ${message(err)}` });
      },
    );
  }

  /** One frame of the current animated run, if it is still run `runId`. */
  frame(runId: number, choices: number): RunSnap | null {
    if (!this.session || this.session.id !== runId) return null;
    return this.session.run.frame(choices);
  }

  run(e: Effect): void {
    if (!this.ports && e.kind !== 'exit') {
      // the store is loading: keep the order; without a store there is nothing to run
      if (this.waiting) this.waiting.push(e);
      else if (!NEEDS_STORE.has(e.kind)) this.runWith(e, null);
      return;
    }
    this.runWith(e, this.ports);
  }

  private stopWorkshop(): void {
    this.workshopToken++;
    this.workshop?.stop();
    this.workshop = null;
  }

  private runWith(e: Effect, maybePorts: Persistence | null): void {
    const { dispatch } = this.env;
    const ports = maybePorts!; // the effects below that use it only run with a store
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
              const fit = ports.fitSolution({ level: level.id, name: x.name, author: '', hooks: x.hooks }, level);
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
        case 'workshopOpen': {
          this.stopWorkshop();
          const token = ++this.workshopToken;
          // loaded on first use: the board (zod, the scoring) is not part of the first frame
          import('./workshop.js').then(({ openWorkshop }) => {
            if (token !== this.workshopToken) return; // closed meanwhile
            const w = openWorkshop(e.dir, e.levels, (update) => dispatch({ type: 'workshop', update }));
            this.workshop = w;
            w.start();
          }, (err) => dispatch({ type: 'error', message: `workshop board: ${message(err)}` }));
          break;
        }
        case 'workshopRescan':
          this.workshop?.refresh();
          break;
        case 'workshopClose':
          this.stopWorkshop();
          break;
        case 'workshopReveal':
          this.workshop?.setReveal(e.reveal);
          break;
        case 'patch':
          // the review scores the placement on every seed: after a frame, like scoring
          // (src/patch loads on first use: it is not part of the first frame's bundle)
          this.env.defer(() => {
            import('./patch-load.js').then(({ mainlineHooks, patchFor }) => {
              const r = patchFor(e.level, e.which === 'player' ? e.hooks : mainlineHooks(e.level), { author: sanitizeLine(e.author), name: sanitizeLine(e.name) });
              dispatch({ type: 'patched', which: e.which, doc: patchDocOf(r, e.which === 'player' ? 'your patch' : "mainline's placement") });
            }).catch((err: unknown) => {
              dispatch({ type: 'error', message: `the patch could not be rendered: ${message(err)}` });
            });
          });
          break;
        case 'savePatch': {
          const r = ports.savePatch(e.solution, e.text);
          if (r.ok) dispatch({ type: 'patchSaved', file: r.file });
          else dispatch({ type: 'error', message: `patch not written: ${r.message}` });
          break;
        }
        case 'generate': {
          // the daily level is today's in UTC: the clock is read here, never in the reducer
          const ref = 'daily' in e.req ? { id: dailyId(utcDate(Date.now())) } : e.req;
          const sol = e.solution ? { solution: e.solution } : {};
          ports.loadLevel(ref).then(
            (level) => dispatch({ type: 'generated', token: e.token, level, ...sol }),
            (err: unknown) => dispatch({ type: 'generated', token: e.token, level: null, message: sanitizeLine(message(err)) }),
          );
          break;
        }
        case 'buildLevel':
          ports.buildLevel(e.draft, e.takenIds).then(
            (outcome) => dispatch({ type: 'built', outcome: outcome.ok ? outcome : { ...outcome, message: sanitizeLine(outcome.message) } }),
            (err: unknown) => dispatch({ type: 'built', outcome: { ok: false, message: sanitizeLine(message(err)) } }),
          );
          break;
        case 'exit':
          this.stopWorkshop();
          this.session = null;
          this.env.exit();
          break;
      }
    } catch (err) {
      dispatch({ type: 'error', message: message(err) });
    }
  }
}
