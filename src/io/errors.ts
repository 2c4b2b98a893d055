/** Bad input from a file, a code or the command line: one clear line, exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
