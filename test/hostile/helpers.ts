// Shared by the hostile-input tests.
import { expect } from 'vitest';
import { InputError } from '../../src/io/errors.js';
import { LONE_SURROGATE_SOURCE, UNSAFE_CHARS } from '../../src/io/sanitize.js';

/**
 * What no printed untrusted text may contain: every unsafe character but the newline
 * (C0 and C1 controls, DEL, bidi controls, line/paragraph separators, the BOM, the
 * interlinear annotation controls) and unpaired surrogates.
 */
export const UNSAFE = new RegExp(`(?!\\n)[${UNSAFE_CHARS}]|${LONE_SURROGATE_SOURCE}`);

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
