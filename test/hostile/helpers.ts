// Shared by the hostile-input tests.
import { expect } from 'vitest';
import { InputError } from '../../src/io/errors.js';

/**
 * What no printed untrusted text may contain: C0 controls but newline, DEL, C1
 * controls, bidi controls, line/paragraph separators, the BOM, unpaired surrogates.
 */
export const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Raw bytes a terminal acts on, in UTF-8 output: ESC, other C0 but \n, C1 (C2 80..9F), bidi controls. */
export function unsafeBytes(out: string | Buffer): string | null {
  const b = Buffer.isBuffer(out) ? out : Buffer.from(out, 'utf8');
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return `byte 0x${c.toString(16)} at ${i}`;
    if (c === 0xc2 && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) return `C1 control at ${i}`;
    if (c === 0xe2 && b[i + 1] === 0x80 && b[i + 2]! >= 0xaa && b[i + 2]! <= 0xae) return `bidi override at ${i}`;
    if (c === 0xe2 && b[i + 1] === 0x81 && b[i + 2]! >= 0xa6 && b[i + 2]! <= 0xa9) return `bidi isolate at ${i}`;
  }
  return null;
}

/** The InputError message of `fn`, failing the test if it returns or throws anything else. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}
