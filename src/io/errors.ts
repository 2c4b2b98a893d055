import { sanitizeLine } from './sanitize.js';

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
  constructor(message: string) {
    const line = sanitizeLine(message);
    super(line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1).replace(/[\ud800-\udbff]$/, '')}…` : line);
  }
}
