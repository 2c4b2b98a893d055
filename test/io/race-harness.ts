// Races between real pvlab processes (spawned `node dist/cli.js`, and race-writer.mjs over
// dist/io/settings.js), not promises: several writers at once on the same save name, or
// the same progress and settings file, then every writer's outcome is checked. Writers
// start aligned: each waits in a preloaded module for a common start time, so they
// reach the lock together instead of in spawn order. Cases: an ordinary start, a stale
// lock present (left by a killed process), a config folder that does not exist yet,
// progress and settings writers mixed. Used by races.test.ts (small sizes) and by
// scripts/races.mjs (the longer runs):
//   npx tsx test/io/race-harness.ts [path/to/dist] [rounds] [writers]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DEFAULT_CLI = resolve(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
const WRITER = fileURLToPath(new URL('./race-writer.mjs', import.meta.url));

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Start every command at once (spawned back to back), resolve when all have ended. */
export function runAll(cli: string, argvs: readonly string[][], env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<Outcome[]> {
  return Promise.all(argvs.map((argv) => new Promise<Outcome>((done) => {
    const p = spawn(process.execPath, [...nodeArgs, cli, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('close', (code) => done({ code, stdout, stderr }));
  })));
}

type Main = (argv: string[], io: { stdout?: (s: string) => void; stderr?: (s: string) => void; env?: Record<string, string | undefined> }) => Promise<number>;
const mains = new Map<string, Promise<Main>>();

/**
 * One command in this process, through the `main()` the build under test exports (its
 * cli.js): for the setup around a race (share codes, the first save), which is not what
 * races, so it need not pay a process start. Calls run one at a time (they share the
 * process's streams and environment).
 */
export async function runHere(cli: string, argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<Outcome> {
  if (!mains.has(cli)) mains.set(cli, import(pathToFileURL(cli).href).then((m: { main: Main }) => m.main));
  const main = await mains.get(cli)!;
  let stdout = '';
  let stderr = '';
  const code = await main([...argv], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, env });
  return { code, stdout, stderr };
}

/** The modules of a build a save or a progress import loads (cli.js loads them lazily). */
const COMMAND_MODULES = ['program.js', 'commands/import.js', 'commands/progress.js'];

/**
 * The start barrier of every writer (race-writer.mjs passes the same one), after `preload`
 * (module URLs) is loaded: a writer says it is ready (a file named by its pid in env
 * PVLAB_RACE_READY), then waits until env PVLAB_RACE_N writers are, polling each
 * millisecond, at most until env PVLAB_RACE_AT (ms since the epoch). So they start within
 * about a millisecond of each other however long each took to start on a loaded machine
 * (a read-modify-write takes a few ms, a process start hundreds).
 */
function barrierSource(preload: readonly string[]): string {
  return `import { readdirSync, writeFileSync } from 'node:fs';
for (const m of ${JSON.stringify(preload)}) await import(m);
const dir = process.env.PVLAB_RACE_READY, n = Number(process.env.PVLAB_RACE_N), until = Number(process.env.PVLAB_RACE_AT);
const cell = new Int32Array(new SharedArrayBuffer(4));
if (dir) {
  writeFileSync(dir + '/' + process.pid, '');
  while (readdirSync(dir).length < n && Date.now() < until) Atomics.wait(cell, 0, 0, 1);
}
`;
}

/**
 * A preload that loads the build's command modules, then passes the start barrier: the
 * writers start their commands, not their module loading, at the same moment.
 */
function alignModule(root: string, cli: string): string {
  const f = join(root, 'align.mjs');
  if (!existsSync(f)) writeFileSync(f, barrierSource(COMMAND_MODULES.map((m) => pathToFileURL(join(dirname(cli), m)).href)));
  return pathToFileURL(f).href;
}

let barriers = 0;
/** The environment of one aligned start of `n` writers: a fresh ready folder under `root`. */
export function barrierEnv(root: string, n: number): Record<string, string> {
  const dir = join(root, `ready${barriers++}`);
  mkdirSync(dir, { recursive: true });
  // the barrier gives up after this long (a writer that failed to start must not hang the rest)
  return { PVLAB_RACE_READY: dir, PVLAB_RACE_N: String(n), PVLAB_RACE_AT: String(Date.now() + 15_000 + 1_000 * n) };
}

/** Aligned CLI runs: every process starts its command at the same moment. */
function runAligned(cli: string, root: string, argvs: readonly string[][], env: NodeJS.ProcessEnv): Promise<Outcome[]> {
  return runAll(cli, argvs, { ...env, ...barrierEnv(root, argvs.length) }, ['--import', alignModule(root, cli)]);
}

/** The pid of a process that has just ended (a lock naming it is what a kill -9 leaves). */
export function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }); // a shell: a pid for ~1 ms of CPU, not a node start
  return Number(r.stdout);
}

/** Leave the lock a killed writer of `target` leaves: its pid, this host, a recent time. */
export function leaveStaleLock(target: string): void {
  writeFileSync(join(dirname(target), `.${target.split('/').pop()!}.lock`), `${deadPid()} ${hostname()} ${new Date().toISOString()}\n`);
}

/** The share codes of `n` versions of one solution (told apart by their author), made by the CLI under test. */
async function shareCodes(cli: string, dir: string, n: number): Promise<{ codes: string[]; versions: string[] }> {
  const versions: string[] = [];
  const files = Array.from({ length: n }, (_, i) => {
    const file = join(dir, `v${i}.json`);
    writeFileSync(file, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'same name', author: `writer${i}`, hooks: [{ site: 'writeback' }] }));
    return file;
  });
  const outs: Outcome[] = [];
  for (const f of files) outs.push(await runHere(cli, ['share', f]));
  const codes = outs.map((o) => {
    if (o.code !== 0) throw new Error(`share failed: ${o.stderr}`);
    return o.stdout.trim();
  });
  // what a saved file holds of each version (the author tells them apart)
  for (let i = 0; i < n; i++) versions.push(`writer${i}`);
  return { codes, versions };
}

export interface RaceResult {
  rounds: number;
  writers: number;
  /** writers that reported their write as done ("saved", "imported", exit 0) */
  saved: number;
  /** of those, writes that are not in the final files (a save's version: the file or a backup) */
  lost: number;
  /** valid files moved aside as config.json.corrupt* */
  corrupt: number;
  /** writers that reported success while their write was kept in memory only */
  wrongSaved: number;
  /** writers that failed (exit code not 0, or an error) */
  failed: number;
  /** lines the failed writers printed (first few) */
  failures: string[];
}

const blank = (rounds: number, writers: number): RaceResult => ({ rounds, writers, saved: 0, lost: 0, corrupt: 0, wrongSaved: 0, failed: 0, failures: [] });
const note = (res: RaceResult, line: string): void => {
  res.failed++;
  if (res.failures.length < 5) res.failures.push(line);
};

export interface RaceOptions {
  /** a lock left by a killed process is present when the writers start */
  staleLock?: boolean;
  /** start the writers aligned (default), or as they are spawned */
  aligned?: boolean;
}

function runWriters(cli: string, root: string, argvs: readonly string[][], env: NodeJS.ProcessEnv, o: RaceOptions): Promise<Outcome[]> {
  return o.aligned === false ? runAll(cli, argvs, env) : runAligned(cli, root, argvs, env);
}

/** `import --force` of the same name by `writers` processes at once, `rounds` times. */
export async function raceImports(cli: string, rounds: number, writers = 3, o: RaceOptions = {}): Promise<RaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-save-'));
  const res = blank(rounds, writers);
  try {
    const { codes, versions } = await shareCodes(cli, root, writers + 1);
    const env = { PVLAB_CONFIG_DIR: join(root, 'config') };
    for (let r = 0; r < rounds; r++) {
      const saves = join(root, `saves${r}`);
      const first = await runHere(cli, ['import', codes[0]!, '--dir', saves], env);
      if (first!.code !== 0) throw new Error(`first import failed: ${first!.stderr}`);
      const file = join(saves, 'swap-pressure--same-name.json');
      if (o.staleLock) leaveStaleLock(file);
      const outs = await runWriters(cli, root, codes.slice(1).map((c) => ['import', c, '--force', '--dir', saves]), env, o);
      const kept = new Set<string>();
      const read = (f: string) => kept.add((JSON.parse(readFileSync(f, 'utf8')) as { author?: string }).author ?? '');
      read(file);
      let backups: string[] = [];
      try { backups = readdirSync(join(saves, '.backup')).filter((n) => n.endsWith('.json') && !n.startsWith('.')); } catch { /* none */ }
      for (const b of backups) {
        try { read(join(saves, '.backup', b)); } catch { kept.add(`unreadable:${b}`); }
      }
      outs.forEach((out, i) => {
        if (out.code !== 0) return note(res, out.stderr.trim());
        if (!/saved/.test(out.stderr)) return;
        res.saved++;
        if (!kept.has(versions[i + 1]!)) res.lost++;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

export interface StoreRaceOptions extends RaceOptions {
  /** the config folder does not exist when the writers start (default: it exists, with a file) */
  fresh?: boolean;
}

/** Count and remove the corrupt copies of a config file. */
function corruptCopies(cfg: string): number {
  try {
    return readdirSync(cfg).filter((n) => n.startsWith('config.json.corrupt')).length;
  } catch {
    return 0;
  }
}

function finalLevels(cfg: string): Record<string, { solved?: boolean }> {
  try {
    const s = JSON.parse(readFileSync(join(cfg, 'config.json'), 'utf8').replace(/^\ufeff/, '')) as { progress?: { levels?: Record<string, { solved?: boolean }> } };
    return s.progress?.levels ?? {};
  } catch {
    return {};
  }
}

/** Prepare a round's config folder: absent (fresh), or an existing file; and the stale lock. */
function configFolder(root: string, r: number, o: StoreRaceOptions): string {
  const cfg = join(root, `config${r}`, 'pvlab');
  if (!o.fresh) {
    mkdirSync(cfg, { recursive: true });
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ settings: {}, progress: { levels: {} } }, undefined, '\t'));
  }
  if (o.staleLock) {
    mkdirSync(cfg, { recursive: true });
    leaveStaleLock(join(cfg, 'config.json'));
  }
  return cfg;
}

const levelOf = (i: number): string => `race-level-${i}`;

/** `progress import` of different files into the same store by `writers` processes at once. */
export async function raceProgress(cli: string, rounds: number, writers = 3, o: StoreRaceOptions = {}): Promise<RaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-progress-'));
  const res = blank(rounds, writers);
  try {
    const files = Array.from({ length: writers }, (_, i) => {
      const f = join(root, `p${i}.json`);
      writeFileSync(f, JSON.stringify({ format: 'pvlab-progress@1', progress: { levels: { [levelOf(i)]: { solved: true, stars: 2 } } } }));
      return f;
    });
    for (let r = 0; r < rounds; r++) {
      const cfg = configFolder(root, r, o);
      const outs = await runWriters(cli, root, files.map((f) => ['progress', 'import', f]), { PVLAB_CONFIG_DIR: cfg }, o);
      const final = finalLevels(cfg);
      res.corrupt += corruptCopies(cfg);
      outs.forEach((out, i) => {
        if (out.code !== 0) return note(res, out.stderr.trim());
        res.saved++;
        if (/kept in memory/.test(out.stderr)) res.wrongSaved++;
        if (!final[levelOf(i)]?.solved) res.lost++;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

interface WriterLine { ok: boolean; memory: boolean; warnings: string[]; error: string }

/**
 * Progress writers (each records a result of its own level) and settings writers (each
 * sets the player name) on one store at once, through the store module of `dist`.
 */
export async function raceStore(dist: string, rounds: number, progressWriters: number, settingsWriters: number, o: StoreRaceOptions = {}): Promise<RaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-store-'));
  const writers = progressWriters + settingsWriters;
  const res = blank(rounds, writers);
  const mod = pathToFileURL(join(dist, 'io', 'settings.js')).href;
  try {
    for (let r = 0; r < rounds; r++) {
      const cfg = configFolder(root, r, o);
      const argvs = Array.from({ length: writers }, (_, i) => [mod, cfg, ...(i < progressWriters ? ['progress', levelOf(i)] : ['settings', `player${i}`])]);
      const outs = await runAll(WRITER, argvs, barrierEnv(root, writers));
      const final = finalLevels(cfg);
      res.corrupt += corruptCopies(cfg);
      outs.forEach((out, i) => {
        let w: WriterLine;
        try { w = JSON.parse(out.stdout) as WriterLine; } catch { return note(res, out.stderr.trim().split('\n')[0] ?? ''); }
        if (!w.ok) return note(res, w.error);
        res.saved++;
        if (w.memory || w.warnings.some((l) => /kept in memory/.test(l))) res.wrongSaved++;
        if (i < progressWriters && !final[levelOf(i)]?.solved) res.lost++;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

/** The kinds of lock a save can meet, as the issue lists them. */
export const LOCK_KINDS = ['dead pid', 'empty', 'live pid', 'live pid, future mtime', 'another host', 'a directory'] as const;
export type LockKind = (typeof LOCK_KINDS)[number];

export interface LockRecovery {
  kind: LockKind;
  /** time until the save ended, ms */
  ms: number;
  code: number | null;
  /** the save's message */
  line: string;
}

/** Place a lock of `kind` for `target`; `livePid` is a live process of this host (not a pvlab). */
export function placeLock(target: string, kind: LockKind, livePid: number): void {
  const lock = join(dirname(target), `.${target.split('/').pop()!}.lock`);
  const now = new Date().toISOString();
  if (kind === 'a directory') { mkdirSync(lock); return; }
  const text = kind === 'dead pid' ? `${deadPid()} ${hostname()} ${now}\n`
    : kind === 'empty' ? ''
      : kind === 'another host' ? `4242 some-other-host.example ${now}\n`
        : `${livePid} ${hostname()} ${now}\n`;
  writeFileSync(lock, text);
  if (kind === 'live pid, future mtime') {
    const future = new Date(Date.now() + 365 * 86400_000);
    utimesSync(lock, future, future);
  }
}

/** How long one `import --force` takes to get past a lock of each kind (one run each). */
export async function lockRecovery(cli: string, kinds: readonly LockKind[] = LOCK_KINDS): Promise<LockRecovery[]> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-lock-'));
  const live = spawn('sleep', ['120'], { stdio: 'ignore' });
  const out: LockRecovery[] = [];
  try {
    const { codes } = await shareCodes(cli, root, 2);
    const env = { PVLAB_CONFIG_DIR: join(root, 'config') };
    for (const kind of kinds) {
      const saves = join(root, `saves-${kind.replace(/\W+/g, '-')}`);
      await runHere(cli, ['import', codes[0]!, '--dir', saves], env);
      placeLock(join(saves, 'swap-pressure--same-name.json'), kind, live.pid!);
      const t0 = Date.now();
      const [r] = await runAll(cli, [['import', codes[1]!, '--force', '--dir', saves]], env);
      out.push({ kind, ms: Date.now() - t0, code: r!.code, line: r!.stderr.trim().split('\n').pop() ?? '' });
    }
  } finally {
    live.kill();
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** One line of a result, for the scripts. */
export function describe(name: string, r: RaceResult): string {
  return `${name}: ${r.writers} writers x ${r.rounds} rounds: ${r.saved} reported saved, ${r.lost} lost, ${r.corrupt} corrupt copies, ` +
    `${r.wrongSaved} wrong "saved", ${r.failed} failed${r.failures.length ? ` (${r.failures.slice(0, 2).join(' | ')})` : ''}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? dirname(DEFAULT_CLI));
  const cli = join(dist, 'cli.js');
  const rounds = Number(process.argv[3] ?? 3);
  const n = Number(process.argv[4] ?? 12);
  const only = process.argv[5] ?? '';
  const want = (k: string) => !only || only.split(',').includes(k);
  if (want('saves-stale')) console.log(describe('saves, stale lock (import --force)', await raceImports(cli, rounds, n, { staleLock: true })));
  if (want('fresh-progress')) console.log(describe('fresh config, progress', await raceStore(dist, rounds, n, 0, { fresh: true })));
  if (want('mixed')) console.log(describe('fresh config, mixed progress+settings', await raceStore(dist, rounds, Math.ceil(n / 2), Math.floor(n / 2), { fresh: true })));
  if (want('stale-progress')) console.log(describe('stale lock, progress', await raceStore(dist, rounds, n, 0, { staleLock: true })));
  if (want('import-force')) console.log(describe('import --force, stale lock, not aligned', await raceImports(cli, rounds, n, { staleLock: true, aligned: false })));
  if (want('progress-import')) console.log(describe('progress import, stale lock, not aligned', await raceProgress(cli, rounds, n, { staleLock: true, aligned: false })));
  if (want('progress-fresh')) console.log(describe('progress import, fresh config', await raceProgress(cli, rounds, n, { fresh: true })));
  if (want('locks')) for (const l of await lockRecovery(cli)) console.log(`lock ${l.kind}: ${(l.ms / 1000).toFixed(2)} s, exit ${l.code}: ${l.line}`);
}
