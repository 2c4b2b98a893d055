// Races between real pvlab processes (spawned `node dist/cli.js`), not promises: several
// writers at once on the same save name, or the same progress store, then every
// writer's outcome is checked. Used by races.test.ts, and runnable on its own to
// compare builds:
//   npx tsx test/io/race-harness.ts [path/to/cli.js] [rounds]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_CLI = resolve(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Start every command at once (spawned back to back), resolve when all have ended. */
export function runAll(cli: string, argvs: readonly string[][], env: NodeJS.ProcessEnv): Promise<Outcome[]> {
  return Promise.all(argvs.map((argv) => new Promise<Outcome>((done) => {
    const p = spawn(process.execPath, [cli, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('close', (code) => done({ code, stdout, stderr }));
  })));
}

/** Hook sets that differ, so each writer's version is recognisable. */
const VERSIONS = [
  [{ site: 'writeback' }],
  [{ site: 'ptep_clear', when: 'live' }],
  [{ site: 'ptep_clear', when: 'any' }],
  [{ site: 'gup_slow', when: 'pin' }],
  [{ site: 'gup_slow', when: 'any' }],
  [{ site: 'gup_fast', when: 'pin' }],
];

/** The share codes of the writers' versions, made by the CLI under test (all at once). */
async function shareCodes(cli: string, dir: string, n: number): Promise<string[]> {
  const files = Array.from({ length: n }, (_, i) => {
    const file = join(dir, `v${i}.json`);
    writeFileSync(file, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'same name', author: `writer${i}`, hooks: VERSIONS[i] }));
    return file;
  });
  const outs = await runAll(cli, files.map((f) => ['share', f]), {});
  return outs.map((o) => {
    if (o.code !== 0) throw new Error(`share failed: ${o.stderr}`);
    return o.stdout.trim();
  });
}

export interface SaveRaceResult {
  rounds: number;
  writers: number;
  /** writers that printed "saved" */
  saved: number;
  /** of those, versions that are neither the final file nor in saves/.backup/ */
  lost: number;
  /** writers that failed (exit code not 0) */
  failed: number;
  /** lines the failed writers printed */
  failures: string[];
}

/** `import --force` of the same name by `writers` processes at once, `rounds` times. */
export async function raceImports(cli: string, rounds: number, writers = 3): Promise<SaveRaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-save-'));
  const res: SaveRaceResult = { rounds, writers, saved: 0, lost: 0, failed: 0, failures: [] };
  try {
    const codes = await shareCodes(cli, root, writers + 1);
    const env = { PVLAB_CONFIG_DIR: join(root, 'config') };
    for (let r = 0; r < rounds; r++) {
      const saves = join(root, `saves${r}`);
      const [first] = await runAll(cli, [['import', codes[0]!, '--dir', saves]], env);
      if (first!.code !== 0) throw new Error(`first import failed: ${first!.stderr}`);
      const outs = await runAll(cli, codes.slice(1).map((c) => ['import', c, '--force', '--dir', saves]), env);
      const kept = new Set<string>();
      const read = (f: string) => kept.add(JSON.stringify((JSON.parse(readFileSync(f, 'utf8')) as { hooks: unknown }).hooks));
      read(join(saves, 'swap-pressure--same-name.json'));
      let backups: string[] = [];
      try { backups = readdirSync(join(saves, '.backup')); } catch { /* none */ }
      for (const b of backups) {
        try { read(join(saves, '.backup', b)); } catch { kept.add(`unreadable:${b}`); }
      }
      outs.forEach((o, i) => {
        if (o.code !== 0) {
          res.failed++;
          res.failures.push(o.stderr.trim());
          return;
        }
        if (!/saved/.test(o.stderr)) return;
        res.saved++;
        if (!kept.has(JSON.stringify(VERSIONS[i + 1]))) res.lost++;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

export interface ProgressRaceResult {
  rounds: number;
  writers: number;
  /** imports that reported success */
  imported: number;
  /** levels an import reported that are missing from the final progress */
  lost: number;
  failed: number;
  failures: string[];
}

const LEVELS = ['swap-pressure', 'fast-gup', 'msync', 'kmap', 'dma-api', 'teardown'];

/** `progress import` of different files into the same store by `writers` processes at once. */
export async function raceProgress(cli: string, rounds: number, writers = 3): Promise<ProgressRaceResult> {
  const root = mkdtempSync(join(tmpdir(), 'pvlab-race-progress-'));
  const res: ProgressRaceResult = { rounds, writers, imported: 0, lost: 0, failed: 0, failures: [] };
  try {
    const files = Array.from({ length: writers }, (_, i) => {
      const f = join(root, `p${i}.json`);
      writeFileSync(f, JSON.stringify({ format: 'pvlab-progress@1', progress: { levels: { [LEVELS[i]!]: { solved: true, stars: 2 } } } }));
      return f;
    });
    for (let r = 0; r < rounds; r++) {
      const cfg = join(root, `config${r}`);
      mkdirSync(cfg);
      const outs = await runAll(cli, files.map((f) => ['progress', 'import', f]), { PVLAB_CONFIG_DIR: cfg });
      const final = JSON.parse(readFileSync(join(cfg, 'config.json'), 'utf8').replace(/^\ufeff/, '')) as { progress: { levels: Record<string, { solved?: boolean }> } };
      outs.forEach((o, i) => {
        if (o.code !== 0) {
          res.failed++;
          res.failures.push(o.stderr.trim());
          return;
        }
        res.imported++;
        if (!final.progress.levels[LEVELS[i]!]?.solved) res.lost++;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cli = resolve(process.argv[2] ?? DEFAULT_CLI);
  const rounds = Number(process.argv[3] ?? 20);
  const s = await raceImports(cli, rounds, 3);
  console.log(`import --force x3: ${s.rounds} rounds, ${s.saved} saved, ${s.lost} lost, ${s.failed} failed ${s.failures.slice(0, 2).join(' | ')}`);
  const p = await raceProgress(cli, rounds, 3);
  console.log(`progress import x3: ${p.rounds} rounds, ${p.imported} imported, ${p.lost} lost, ${p.failed} failed ${p.failures.slice(0, 2).join(' | ')}`);
}
