import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
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
