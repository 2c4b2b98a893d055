// The game's slow jobs (src/tui/jobs.ts): in the built job worker (dist/tui/generate-worker.js,
// which the global setup builds) and, without it, in this thread. Both give the same
// level as generatedLevel(id), and bad input is a one-line rejection.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedLevel } from '../../src/io/files.js';
import { Jobs } from '../../src/tui/jobs.js';
import { ROOT } from '../helpers/cli.js';

const built = new Jobs(join(ROOT, 'dist/tui/generate-worker.js'));
const here = new Jobs(join(ROOT, 'dist/tui/no-such-worker.js'));
afterAll(() => { built.stop(); here.stop(); });

describe.each([['the built worker', built], ['this thread', here]] as const)('jobs in %s', (_name, jobs) => {
  it('generate the level a generated id names, the same as generatedLevel', async () => {
    expect(await jobs.run({ kind: 'level', id: 'gen-easy-1' })).toEqual(generatedLevel('gen-easy-1'));
  });

  it('reject bad input with one line: an id that is not a generated one', async () => {
    const err = await jobs.run({ kind: 'level', id: 'swap-pressure' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe("'swap-pressure' is not a generated or daily level id");
  });
});
