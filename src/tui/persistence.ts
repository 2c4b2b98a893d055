// The TUI's Persistence port over the real stores of src/io: settings and progress
// (settings.ts), solution files (saves.ts), share codes (share.ts).
import { dirname } from 'node:path';
import { makeDirs, writeFileAtomic } from '../io/atomic.js';
import { fsReason, isInputError } from '../io/errors.js';
import { fileBytes, snapshotFile, type Snapshot } from '../io/snapshot.js';
import { SOLUTION_FORMAT, type Level, type Solution } from '../io/schema.js';
import { SaveExistsError, checkFit, pathInside, saveSolution, savesForLevel, solutionFileName } from '../io/saves.js';
import { openStore, type StoreOptions } from '../io/settings.js';
import { decodeShare, encodeShare } from '../io/share.js';
import type { When } from '../sim/model.js';
import type { Hook } from '../sim/types.js';
import { Jobs } from './jobs.js';
import type { Persistence, SavedEntry, SolutionDraft } from './ports.js';

export interface OpenOptions {
  /** config folder (tests); default: PVLAB_CONFIG_DIR or the user's config folder */
  cwd?: string;
}

export interface TuiPersistence extends Persistence {
  /** one-line warnings of the store (a reset settings file, memory-only mode) */
  readonly warnings: string[];
  /** keep what the store reads now for the next start (snapshot.ts); never throws */
  saveSnapshot(): void;
}

/** The game's wait for another pvlab's lock: short, as the screen does not redraw meanwhile. */
export const GAME_LOCK_WAIT_MS = 1000;

const full = (d: SolutionDraft): Solution => ({ ...d, format: SOLUTION_FORMAT });

function hooksOf(sol: SolutionDraft): Hook[] {
  return sol.hooks.map((h) => (h.when ? { site: h.site, when: h.when as When } : { site: h.site }));
}

export function openPersistence(o: OpenOptions = {}): TuiPersistence {
  const warnings: string[] = [];
  // warnings must not go to stderr under a full-screen UI: they are shown in the message
  // line. A settings file that cannot be written leaves the session in memory (said once);
  // another pvlab's lock is waited for briefly (the wait blocks the screen), then refused
  // with a message naming the lock file
  const opts: StoreOptions = { onWarning: (l) => warnings.push(l), memoryOk: true, lockWaitMs: GAME_LOCK_WAIT_MS, ...(o.cwd ? { cwd: o.cwd } : {}) };
  const store = openStore(opts);
  const jobs = new Jobs();
  return {
    loadLevel: (ref) => jobs.run({ kind: 'level', id: ref.id }),
    buildLevel: (draft, takenIds) => jobs.run({ kind: 'build', draft, takenIds }),
    warnings,
    saveSnapshot: () => {
      const path = store.path;
      if (!path) return; // memory only
      try {
        const before = fileBytes(path);
        const snap: Snapshot = { config: path, bytes: before, settings: store.settings(), progress: store.progress() };
        // the values belong to those bytes only if nothing wrote the file meanwhile
        if (fileBytes(path) === before) writeFileAtomic(snapshotFile(path), JSON.stringify(snap));
      } catch {
        // a snapshot is an optimisation: without one the next start reads the store
      }
    },
    settings: () => store.settings(),
    updateSettings: (patch) => store.setSettings(patch),
    loadProgress: () => store.progress(),
    recordResult: (level, _hooks, result) => {
      store.recordResult(level.id, result);
      return store.progress();
    },
    recordHint: (levelId, step) => {
      store.recordHint(levelId, step);
      return store.progress();
    },
    setLastLevel: (levelId) => store.setLastLevel(levelId),
    listSolutions: (levelId): SavedEntry[] =>
      savesForLevel(store.savesDir(), levelId).map(({ file, solution }) => ({
        name: solution.name, file, level: solution.level, hooks: hooksOf(solution),
      })),
    saveSolution: (solution, { overwrite }) => {
      try {
        return { ok: true, file: saveSolution(full(solution), store.savesDir(), { overwrite, lockWaitMs: GAME_LOCK_WAIT_MS }).path };
      } catch (err) {
        if (err instanceof SaveExistsError) return { ok: false, exists: true, message: err.message };
        if (isInputError(err)) return { ok: false, exists: false, message: err.message };
        throw err;
      }
    },
    savePatch: (solution, text) => {
      try {
        // the solution's own file name with .patch: next to it once it is saved
        const file = pathInside(store.savesDir(), solutionFileName(full(solution)).replace(/\.json$/, '.patch'));
        makeDirs(dirname(file));
        writeFileAtomic(file, text);
        return { ok: true, file };
      } catch (err) {
        return { ok: false, exists: false, message: isInputError(err) ? err.message : fsReason(err) };
      }
    },
    encodeShare: (solution) => encodeShare(full(solution)),
    decodeShare: (code) => decodeShare(code),
    fitSolution: (solution, level: Level | null) => {
      if (!level || level.id === 'sandbox') return { solution, hooks: hooksOf(solution), dropped: [] };
      const report = checkFit(full(solution), [level]);
      const offered = new Set<string>(level.sites);
      return {
        solution,
        hooks: hooksOf(solution).filter((h) => offered.has(h.site)),
        dropped: report.problems,
      };
    },
  };
}
