import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// the hostile screen test loads Ink and the whole game like the screen tests
const TUI = ['test/tui/**/*.test.{ts,tsx}', 'test/hostile/tui.test.tsx'];
const CORE = ['test/sim/**/*.test.ts', 'test/levels/**/*.test.ts', 'test/patch/**/*.test.ts', 'test/scoring/**/*.test.ts', 'test/text/**/*.test.ts'];
const CORE_OWN = ['test/sim/golden-alloc.test.ts'];
// sets process.env.PVLAB_LEVELS_DIR for the CLI it runs in process
const OWN_PROCESS = ['test/hostile/fuzz.test.ts'];

/**
 * Seconds a file takes on two cores, its import included (difficulty's analysis runs at
 * import), for a run without vitest's own record of the last run (a fresh clone, CI):
 * the files that take longest start first, so that none of them starts last and runs alone.
 * Any file not listed counts as one second.
 */
const EXPECTED: Record<string, number> = {
  'test/e2e/tui.test.ts': 14, 'test/io/races.test.ts': 12, 'test/levels/difficulty.test.ts': 8,
  'test/tui/bugs.test.tsx': 5, 'test/hostile/persistence.test.ts': 5, 'test/patch/patch.test.ts': 5,
  'test/hostile/signals.test.ts': 4, 'test/tui/workshop.test.tsx': 4, 'test/tui/board-panel.test.tsx': 4,
  'test/hostile/fuzz.test.ts': 4, 'test/hostile/corpus.test.ts': 4, 'test/sim/generate.test.ts': 4,
  'test/e2e/workshop.test.ts': 3, 'test/tui/screens.test.tsx': 3, 'test/tui/sizes.test.tsx': 3,
  'test/tui/bugs22.test.tsx': 3, 'test/patch/review-references.test.ts': 3, 'test/tui/practice.test.tsx': 3,
};

/** Longest first, across projects: the last run's durations where vitest kept them, at least EXPECTED. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) => {
      const file = relative(root, f.moduleId);
      const last = this.ctx.cache.getFileTestResults(`${f.project.name}:${file}`);
      // vitest's record leaves out the import (difficulty's analysis): EXPECTED is a floor
      return Math.max(last ? last.duration / 1000 : 1, EXPECTED[file] ?? 0);
    };
    const by = new Map(files.map((f) => [f, seconds(f)]));
    return [...files].sort((a, b) => by.get(b)! - by.get(a)!);
  }
}

export default defineConfig({
  test: {
    // The screen tests load Ink, React and the whole game: in one module graph per worker
    // (isolate: false) they share that import instead of paying it per file, which saves
    // about a sixth of the suite's time on two cores. They unmount their apps and restore
    // real timers in afterEach/finally, so no file leaves state for the next; they pass in
    // shuffled order (--project tui --sequence.shuffle.files). A file keeps a process of
    // its own only when it changes this process's globals or measures its heap.
    projects: [
      { extends: true, test: { name: 'tui', include: TUI, isolate: false } },
      // the core's tests (engine, levels, patch, scoring, text) touch no global state either:
      // sharing one module graph per worker saves importing the engine and the campaign per
      // file. The allocation test keeps a process of its own (it measures the heap).
      { extends: true, test: { name: 'core', include: CORE, exclude: CORE_OWN, isolate: false } },
      { extends: true, test: { name: 'heap', include: CORE_OWN } },
      // the CLI, file and process tests run the CLI in process (main() with its own env
      // and cwd, never process.env or process.chdir) or spawn it: they share a module graph
      // too. Only a file that changes this process's globals keeps a process of its own.
      { extends: true, test: { name: 'io', include: ['test/**/*.test.{ts,tsx}'], exclude: [...TUI, ...CORE, ...OWN_PROCESS], isolate: false } },
      { extends: true, test: { name: 'rest', include: OWN_PROCESS } },
    ],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    // vitest's default is one worker fewer than the cores: a single worker on two cores,
    // while the main process mostly waits. Many files wait on child processes, too.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    tags: [{
      name: 'timing',
      description: 'asserts on wall-clock time, scheduling or sampling: retried twice; skip them on a loaded machine with --tags-filter="!timing"',
      retry: 2,
    }],
  },
});
