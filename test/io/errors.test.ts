// Rule: an InputError is recognised by its brand, not by class identity: the game is
// bundled into one file with its own copy of the class, and its bad-input errors must
// still end in one line and exit code 2 (`pvlab play nosuchlevel`), never "internal error".
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputError, isInputError } from '../../src/io/errors.js';
import { DEFAULT_CLI } from './race-harness.js';

describe('InputError identity', () => {
  it('rule: a copy of the class (as in the bundled game) is still an InputError', () => {
    // what esbuild's copy amounts to: another class, the same registered-symbol brand
    const brand = Symbol.for('pvlab.InputError');
    class CopiedInputError extends Error {
      readonly [brand] = true;
    }
    expect(isInputError(new CopiedInputError('x'))).toBe(true);
    expect(isInputError(new InputError('x'))).toBe(true);
    expect(isInputError(new Error('x'))).toBe(false);
    expect(isInputError({ name: 'InputError' })).toBe(false);
    expect(isInputError(null)).toBe(false);
  });

  // the game needs a terminal: `script` gives the command a pseudo-terminal
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('rule: pvlab play nosuchlevel prints one line and exits 2', () => {
    const r = spawnSync('script', ['-qec', `${process.execPath} ${DEFAULT_CLI} play nosuchlevel`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
    const lines = r.stdout.split(/\r?\n/).filter((l) => l.trim());
    expect(lines).toEqual(["pvlab: unknown level 'nosuchlevel'; see 'pvlab levels'"]);
    expect(r.status).toBe(2);
  });
});
