// The workshop board for the game: the folder of the Workshop folder setting, ranked with
// the one implementation of the board (src/workshop/rank.ts; the folder walk in src/io/leaderboard.ts) through this adapter, the one
// place that knows its API. Loaded lazily (dist/tui/workshop.js: zod stays out of the
// game's first frame).
//
// - Responsive: the folder is read one top-level entry (a player's folder, or a file) at
//   a time, in slices of a few milliseconds with the event loop free between them, so
//   keys are read while 3000 files are scored.
// - Cached by content: a solution's score depends only on its level and hooks; scores are
//   kept by (level, hooks), so a refresh re-scores only what changed.
// - Off the game's thread: ranking thousands of solutions at once takes a few hundred ms
//   (the Pareto front compares them pairwise), so the built game runs all of this in a
//   worker thread (workshop-worker.ts); from the sources it runs in slices here.
// - Live: the folder is watched (recursively); changes are debounced, and a refresh that
//   is asked for while one runs starts again when it ends. A folder replaced or recreated
//   (a `git pull`, a checkout) is watched again.
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { loadCampaign } from '../io/files.js';
import { folderEntries, isFolder, pathExists, watchFolder, type FolderWatch } from '../io/folder.js';
import { collectSolutions, type CollectOptions, type FoundSolution } from '../io/leaderboard.js';
import {
  METRIC_LABELS, buildBoard, hideAnswers, histogramLines, identityOf, markLookalikes, rankBoard, standings,
  type BoardEntry, type InvalidFile, type LevelBoard, type Standing,
} from '../workshop/rank.js';
import { sanitizeLine } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { openSealed } from '../io/sealed.js';
import { gitTimes, type GitTimes } from '../io/submitted.js';
import { ROUND_FILE, WORKSHOP_FILE, readRound, readWorkshop, trainerKey, type Round } from '../io/workshop.js';
import { hooksOf } from '../sim/score.js';
import { num } from './layout.js';

export interface WorkshopLevel extends LevelBoard {
  /** text histograms of the passing solutions, per metric */
  hist: { label: string; lines: string[] }[];
  /** one line per tie group and one for the Pareto front (worked out here, not on each frame) */
  notes: string[];
}

/** At most this many names in a note line (a tie of 1500 solutions is a count). */
const NOTE_NAMES = 6;

function names(list: readonly string[]): string {
  return list.length > NOTE_NAMES ? `${list.slice(0, NOTE_NAMES).join(', ')} and ${list.length - NOTE_NAMES} more` : list.join(', ');
}

function notesOf(b: LevelBoard): string[] {
  const byFile = new Map(b.entries.map((e) => [e.file, e]));
  const who = (f: string) => { const e = byFile.get(f); return e ? `${sanitizeLine(e.player)} '${sanitizeLine(e.name)}'` : sanitizeLine(f); };
  return [
    ...b.ties.map((t) => `tie at rank ${t.rank} (${t.files.length}): ${names(t.files.map(who))}`),
    b.pareto.length ? `Pareto front (P, ${b.pareto.length}): ${names(b.pareto.map(who))}` : 'Pareto front: none (nothing passes every seed)',
    ...(b.entries.some((e) => e.authorDiffers || e.lookalike)
      ? ['player = the folder; A = its author field names someone else; L = looks like another name']
      : []),
  ];
}

export interface WorkshopBoard {
  dir: string;
  levels: WorkshopLevel[];
  invalid: InvalidFile[];
  solutions: number;
  /** a sealed workshop (workshop.json): entries are sealed to the trainer's key */
  sealed: boolean;
  /** hook sets and solution names are not in this board at all (a sealed workshop before the reveal) */
  hidden: boolean;
  /** the trainer's key is on this machine: sealed entries open, and the board can be revealed */
  canReveal: boolean;
  /** the workshop's round (round.json): its levels and window */
  round: Round | null;
  /** per player across the levels shown (the one rule of src/workshop/rank.ts) */
  standings: Standing[];
  /** one-line notes about the folder (a wrong key, a round file that does not parse, ...) */
  warnings: string[];
}

export type WorkshopUpdate =
  | { kind: 'progress'; dir: string; done: number; total: number }
  /** `scored`: solutions scored by this refresh (the others came from the cache) */
  | { kind: 'board'; board: WorkshopBoard; ms: number; scored: number }
  | { kind: 'error'; dir: string; message: string };

/** Time slice of the background scoring before the event loop gets its turn. */
const SLICE_MS = 8;
/** Quiet time after the last change in the folder before a refresh. */
export const DEBOUNCE_MS = 250;

const keyOf = (level: string, hooks: readonly { site: string; when?: string }[]) => `${level}\u0000${JSON.stringify(hooksOf(hooks))}`;

type Scored = Omit<BoardEntry, 'file' | 'player' | 'name' | 'folder' | 'author' | 'authorDiffers' | 'lookalike' | 'submitted' | 'submittedFrom' | 'sealed'>;

/** What a workshop folder (workshop.json) adds to a plain one: the trainer's key, the round, its levels. */
interface WorkshopFolder {
  open: CollectOptions['open'];
  canReveal: boolean;
  round: Round | null;
  levels: Level[];
  warnings: string[];
}

/** A hidden board's entries keep no canonical hook key either (it spells the hook set). */
function withoutHookKeys<B extends { levels: LevelBoard[] }>(b: B): B {
  return { ...b, levels: b.levels.map((l) => ({ ...l, entries: l.entries.map(({ hookKey: _k, ...e }) => e) })) };
}

const reasonOf = (err: unknown) => sanitizeLine(String((err as Error)?.message ?? err));

/** Read what a workshop folder holds besides entries; each problem is a warning, never the end of the board. */
function workshopFolder(dir: string, campaign: readonly Level[]): WorkshopFolder | null {
  if (!pathExists(join(dir, WORKSHOP_FILE))) return null;
  const out: WorkshopFolder = { open: undefined, canReveal: false, round: null, levels: [], warnings: [] };
  try {
    let key: KeyObject | null = null;
    try {
      key = trainerKey(readWorkshop(dir));
    } catch (err) {
      out.warnings.push(reasonOf(err));
    }
    if (key) {
      const k = key;
      out.open = (value, file) => openSealed(value, k, file);
      out.canReveal = true;
    }
  } catch (err) {
    out.warnings.push(reasonOf(err));
  }
  try {
    out.round = readRound(dir);
  } catch (err) {
    out.warnings.push(reasonOf(err));
  }
  const lvDir = join(dir, 'levels');
  if (pathExists(lvDir)) {
    try {
      const ids = new Set(campaign.map((l) => l.id));
      for (const e of loadCampaign(lvDir)) {
        if (ids.has(e.level.id)) out.warnings.push(`${sanitizeLine(e.file)}: level id '${sanitizeLine(e.level.id)}' is also a campaign level; not loaded`);
        else out.levels.push(e.level);
      }
    } catch (err) {
      out.warnings.push(reasonOf(err));
    }
  }
  return out;
}

export class WorkshopWatcher {
  /** scores by (level, hooks): what a refresh does not compute again */
  private readonly scores = new Map<string, Scored>();
  private watcher: FolderWatch | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  /** solutions scored by the refresh under way */
  private scored = 0;
  /** show hook sets and solution names of a sealed workshop (the trainer decided) */
  private reveal = false;
  /** opens sealed entries during a scan (the trainer's key), else undefined */
  private open: CollectOptions['open'] = undefined;
  /** the folder's git submission times during a scan (null: not in a repository) */
  private git: GitTimes | null = null;

  constructor(
    private readonly dir: string,
    private readonly levels: readonly Level[],
    private readonly onUpdate: (u: WorkshopUpdate) => void,
    private readonly debounceMs = DEBOUNCE_MS,
  ) {}

  start(): void {
    this.watchFolder();
    this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Score the folder again (now, or when the refresh under way ends). */
  refresh(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    this.again = false;
    void this.scan().finally(() => {
      this.running = false;
      if (this.again) this.refresh();
    });
  }

  /** Show (or hide again) the hook sets and solution names of a sealed workshop. */
  setReveal(reveal: boolean): void {
    if (this.reveal === reveal) return;
    this.reveal = reveal;
    this.refresh();
  }

  private changed = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.watcher) this.watchFolder(); // the folder came back
      this.refresh();
    }, this.debounceMs);
  };

  private watchFolder(): void {
    if (this.stopped) return;
    try {
      this.watcher = watchFolder(this.dir, this.changed, () => {
        // the folder went away (or was replaced): watch again after the next change
        this.watcher?.close();
        this.watcher = null;
        this.changed();
      });
    } catch {
      this.watcher = null; // not there (yet): the scan says so; a rescan (r) tries again
    }
  }

  private async scan(): Promise<void> {
    const t0 = performance.now();
    const dir = this.dir;
    let names: string[];
    let ws: WorkshopFolder | null = null;
    try {
      if (!pathExists(dir) || !isFolder(dir)) throw new Error(`${dir} is not a folder`);
      ws = workshopFolder(dir, this.levels);
      // a workshop folder: each player's folder below players/ is an entry (its name is the player)
      const base = ws ? join(dir, 'players') : dir;
      names = (ws && !pathExists(base) ? [] : folderEntries(base))
        .filter((n) => !(ws && (n === WORKSHOP_FILE || n === ROUND_FILE)))
        .map((n) => join(base, n));
    } catch (err) {
      this.onUpdate({ kind: 'error', dir, message: reasonOf(err) });
      return;
    }
    this.open = ws?.open;
    // the submission times of the whole folder: two git commands, not two per player
    this.git = gitTimes(dir);
    const levels = [...this.levels, ...(ws?.levels ?? [])];
    const entries: BoardEntry[] = [];
    const invalid: InvalidFile[] = [];
    this.scored = 0;
    let slice = performance.now();
    for (let i = 0; i < names.length; i++) {
      if (this.stopped) return;
      this.readEntry(names[i]!, names[i]!.slice(names[i]!.lastIndexOf(sep) + 1), entries, invalid, levels);
      if (performance.now() - slice > SLICE_MS) {
        this.onUpdate({ kind: 'progress', dir, done: i + 1, total: names.length });
        await new Promise((r) => setImmediate(r)); // keys and frames go first
        slice = performance.now();
      }
    }
    if (this.stopped) return;
    // look-alike names across the whole folder (each part was read on its own)
    markLookalikes(entries);
    const round = ws?.round ?? null;
    const info = new Map(levels.map((l) => [l.id, { title: l.title, ...(l.par ? { par: l.par } : {}) }]));
    const window = { ...(round?.since !== undefined ? { since: round.since } : {}), ...(round?.until !== undefined ? { until: round.until } : {}) };
    let ranked = rankBoard(entries, levels.map((l) => l.id), 6, info, window);
    if (round?.levels.length) ranked = ranked.filter((b) => round.levels.includes(b.level));
    const hidden = !this.reveal && (!!ws || entries.some((e) => e.sealed));
    const full = { levels: ranked, invalid, solutions: entries.length, verified: 0, cached: 0 };
    // hidden: the answers never leave this module (no frame can show what the state does not hold)
    const shown = hidden ? withoutHookKeys(hideAnswers(full)) : full;
    const players = new Set(entries.map((e) => e.player));
    const board: WorkshopBoard = {
      dir,
      levels: shown.levels.map((b) => ({
        ...b,
        hist: b.histograms.map((h) => ({ label: METRIC_LABELS[h.metric], lines: histogramLines(h.bins, num, 16) })),
        notes: notesOf(b),
      })),
      invalid: invalid.map((b) => ({ file: b.file, reason: sanitizeLine(b.reason) })).sort((a, b) => a.file.localeCompare(b.file)),
      solutions: entries.length,
      sealed: !!ws,
      hidden,
      canReveal: !!ws?.canReveal,
      round,
      standings: standings(shown.levels),
      warnings: [
        ...(ws?.warnings ?? []),
        ...(entries.length > 1 && players.size === 1 ? [`every entry belongs to one player ('${sanitizeLine([...players][0]!)}'): set the folder that holds the players' folders`] : []),
      ],
    };
    this.onUpdate({ kind: 'board', board, ms: Math.round(performance.now() - t0), scored: this.scored });
  }

  /** One top-level entry: a player's folder (its name is the player) or a file. */
  private readEntry(path: string, name: string, entries: BoardEntry[], invalid: InvalidFile[], levels: readonly Level[]): void {
    let found: FoundSolution[];
    try {
      const r = collectSolutions([path], { ...(this.open ? { open: this.open } : {}), git: this.git ? [this.git] : [] });
      invalid.push(...r.invalid);
      // collected from inside the player's folder: its name is the folder of each file
      found = isFolder(path) ? r.found.map((f) => ({ ...f, folder: name })) : r.found;
    } catch (err) {
      invalid.push({ file: path, reason: String((err as Error).message ?? err) });
      return;
    }
    const misses: FoundSolution[] = [];
    for (const f of found) {
      const s = this.scores.get(keyOf(f.solution.level, f.solution.hooks));
      // raw text, as from buildBoard: the view sanitizes what it prints
      if (s) {
        entries.push({
          ...s, file: f.file, ...identityOf(f), name: f.solution.name, ...(f.solution.via ? { via: f.solution.via } : {}),
          ...(f.submitted !== undefined ? { submitted: f.submitted } : {}), ...(f.submittedFrom ? { submittedFrom: f.submittedFrom } : {}),
          ...(f.sealed ? { sealed: true } : {}),
        });
      }
      else misses.push(f);
    }
    if (!misses.length) return;
    // the one scoring and fitting rule of the board, on what is not known yet
    const b = buildBoard(misses, levels);
    invalid.push(...b.invalid);
    for (const lb of b.levels) {
      for (const { rank: _r, tied: _t, pareto: _p, ...e } of lb.entries) {
        const {
          file: _f, player: _pl, name: _n, via: _v, folder: _fo, author: _au, authorDiffers: _ad, lookalike: _lk,
          submitted: _su, submittedFrom: _sf, sealed: _se, ...scored
        } = e;
        this.scores.set(keyOf(e.level, e.hooks), scored);
        entries.push(e);
        this.scored++;
      }
    }
  }
}


export interface Workshop {
  start(): void;
  refresh(): void;
  setReveal(reveal: boolean): void;
  stop(): void;
}

/**
 * The board of a folder, kept up to date: in a worker thread when the built worker is
 * there (dist/tui/workshop-worker.js; PVLAB_WORKSHOP_WORKER names another), else here.
 */
export function openWorkshop(dir: string, levels: readonly Level[], onUpdate: (u: WorkshopUpdate) => void): Workshop {
  const file = process.env.PVLAB_WORKSHOP_WORKER || fileURLToPath(new URL('./workshop-worker.js', import.meta.url));
  if (!pathExists(file)) return new WorkshopWatcher(dir, levels, onUpdate);
  let worker: Worker | null = null;
  return {
    start() {
      worker = new Worker(file, { workerData: { dir, levels } });
      worker.on('message', (u: WorkshopUpdate) => onUpdate(u));
      worker.on('error', (err) => onUpdate({ kind: 'error', dir, message: sanitizeLine(String(err?.message ?? err)) }));
      worker.unref();
    },
    refresh() { worker?.postMessage('refresh'); },
    setReveal(reveal: boolean) { worker?.postMessage(reveal ? 'reveal' : 'hide'); },
    stop() { void worker?.terminate(); worker = null; },
  };
}
