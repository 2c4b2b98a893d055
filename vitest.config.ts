import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// the hostile screen test loads Ink and the whole game like the screen tests
const TUI = ['test/tui/**/*.test.{ts,tsx}', 'test/hostile/tui.test.tsx'];
const CORE = ['test/sim/**/*.test.ts', 'test/levels/**/*.test.ts', 'test/patch/**/*.test.ts', 'test/scoring/**/*.test.ts', 'test/text/**/*.test.ts'];
const CORE_OWN = ['test/sim/golden-alloc.test.ts'];
// sets process.env.PVLAB_LEVELS_DIR for the CLI it runs in process
const OWN_PROCESS = ['test/hostile/fuzz.test.ts'];

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
