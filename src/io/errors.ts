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

/** A one-line, human reason for a file-system error (the errno code when it has no text). */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EEXIST': return 'already exists';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EISDIR': return 'is a folder';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENAMETOOLONG': return 'name too long';
    case 'ENXIO': return 'not a regular file (a socket or a device without a reader)';
    case 'EIO': return 'input/output error';
    default: return e?.code ? e.code.toLowerCase() : String(e?.message ?? err);
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
