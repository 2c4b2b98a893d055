import { sanitizeLine } from './sanitize.js';

/** The brand of an InputError, shared by every copy of the class (Symbol.for). */
const INPUT_ERROR: unique symbol = Symbol.for('pvlab.InputError');

/** Longest InputError message (characters); longer ones are cut, marked with '…'. */
export const MAX_ERROR_CHARS = 1000;

/**
 * Bad input from a file, a code or the command line: one clear line, exit code 2.
 * Messages often quote untrusted text (file names, field names, values), so the message
 * is made printable here, once for every place that shows it: terminal control
 * sequences and bidi controls removed, newlines folded, the length bounded.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** the brand isInputError() checks (see there) */
  readonly [INPUT_ERROR] = true;
  constructor(message: string) {
    const line = sanitizeLine(message);
    super(line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1).replace(/[\ud800-\udbff]$/, '')}…` : line);
  }
}

/**
 * Is `err` an InputError? The game is bundled into one file (dist/tui/index.js) that
 * carries its own copy of this class, so `instanceof` fails for errors thrown there;
 * this checks a brand every copy sets (a registered symbol, the same in both).
 */
export function isInputError(err: unknown): err is InputError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[INPUT_ERROR] === true;
}
