// Running the CLI in process for tests: main() with stdout and stderr captured.
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

export async function pvlab(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore(); e.mockRestore();
  }
}
