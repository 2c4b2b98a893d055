import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const HEAP = ['test/sim/golden-alloc.test.ts'];
// sets process.env.PVLAB_LEVELS_DIR for the CLI it runs in process
const OWN_PROCESS = ['test/hostile/fuzz.test.ts'];

export default defineConfig({
  test: {
    // One module graph per worker (isolate: false) for nearly every file: Ink, React, the
    // game, the engine and the campaign load once per worker, not once a file or once a
    // project (on a fresh clone on two cores, against a graph per project: 126 -> 110 CPU-s,
    // vitest 73 -> 64 s). So a file must leave nothing behind: the screen tests unmount their apps and
    // restore real timers, the CLI runs in process through main() with its own env and cwd
    // (test/helpers/cli.ts), never process.env or process.chdir. They pass in shuffled
    // order (--sequence.shuffle.files). A file keeps a process of its own only when it
    // changes this process's globals or measures its heap.
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.{ts,tsx}'], exclude: [...HEAP, ...OWN_PROCESS], isolate: false } },
      // the allocation test measures the heap
      { extends: true, test: { name: 'heap', include: HEAP } },
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
