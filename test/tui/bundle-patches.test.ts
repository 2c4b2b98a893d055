// The two dependency patches the game's bundles carry (scripts/bundle-patches.mjs):
// Ink's incremental renderer draws a changed line in place, and string-width's fast path
// measures exactly what the original measures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  narrowClass, narrowCodePoints, patchAnsiStyledChars, patchAnsiTokenize, patchInkLogUpdate, patchInkOutput, patchStringWidth, tokenizeNarrowCodePoints,
} from '../../scripts/bundle-patches.mjs';

const require = createRequire(import.meta.url);

type Patch = (text: string) => string;

/** A module of node_modules bundled with its imports, `patches` applied to the files they name, and loaded. */
async function loadPatched<T>(file: string, patch: Patch, more: Record<string, Patch> = {}): Promise<T> {
  const out = await build({
    stdin: { contents: patch(readFileSync(file, 'utf8')), resolveDir: dirname(file), sourcefile: file, loader: 'js' },
    plugins: [{
      name: 'patches',
      setup(b) {
        for (const [end, p] of Object.entries(more)) {
          b.onLoad({ filter: new RegExp(`${end.replace(/[/.]/g, '\\$&')}$`) }, (a) => ({ contents: p(readFileSync(a.path, 'utf8')), loader: 'js' }));
        }
      },
    }],
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent',
    // CommonJS dependencies bundled into ESM call require()
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const dir = mkdtempSync(join(tmpdir(), 'pvlab-patched-'));
  try {
    const at = join(dir, 'patched.mjs');
    writeFileSync(at, out.outputFiles[0]!.text);
    return (await import(pathToFileURL(at).href)) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Just enough of a terminal for log-update's sequences: cursor up/next line/column 0, erase line and to its end. */
class Screen {
  rows: string[] = [''];
  private y = 0;
  private x = 0;
  write(s: string): void {
    const re = /\u001b\[(\d*)([A-Za-z])|\u001b\[\?[\d;]*[hl]|\n|\r|[^\u001b\n\r]+/gy;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const t = m[0];
      if (t === '\n') { this.y++; this.x = 0; } else if (t === '\r') this.x = 0;
      else if (m[2]) {
        const n = m[1] === '' ? 1 : Number(m[1]);
        if (m[2] === 'A') this.y = Math.max(0, this.y - n);
        else if (m[2] === 'E') { this.y += n; this.x = 0; } else if (m[2] === 'G') this.x = n - 1;
        else if (m[2] === 'K') this.set(this.line().slice(0, this.x));
        else if (m[2] === 'J') this.rows = this.rows.slice(0, this.y + 1);
      } else if (!t.startsWith('\u001b')) {
        const l = this.line().padEnd(this.x, ' ');
        this.set(l.slice(0, this.x) + t + l.slice(this.x + t.length));
        this.x += t.length;
      }
    }
  }
  private line(): string { return this.rows[this.y] ?? ''; }
  private set(l: string): void {
    while (this.rows.length <= this.y) this.rows.push('');
    this.rows[this.y] = l;
  }
  text(): string { return this.rows.join('\n').trimEnd(); }
}

type LogUpdate = { default: { create(stream: { write(s: string): boolean }, o: { incremental: boolean; showCursor: boolean }): (s: string) => void } };

async function draw(patch: (t: string) => string, frames: string[]): Promise<string> {
  const { default: logUpdate } = await loadPatched<LogUpdate>(require.resolve('../../node_modules/ink/build/log-update.js'), patch);
  const screen = new Screen();
  const render = logUpdate.create({ write: (s) => { screen.write(s); return true; } }, { incremental: true, showCursor: true });
  for (const f of frames) render(f);
  return screen.text();
}

describe('dependency patches of the bundles', () => {
  // frames end with a newline, as the game's do (one row short of the terminal)
  const frames = ['title\n› one\n  two\nkeys\n', 'title\n  one\n› two\nkeys\n', 'title\n  one\n  two\nkeys: more\n'];

  it("Ink's incremental renderer writes each changed line in place (the unpatched 6.8 puts it a row low)", async () => {
    expect(await draw(patchInkLogUpdate, frames)).toBe(frames[2]!.trimEnd());
    expect(await draw((t) => t, frames)).not.toBe(frames[2]!.trimEnd()); // the bug this patch is for
  });

  it('the log-update patch refuses a file it does not recognise', () => {
    expect(() => patchInkLogUpdate('export default {}')).toThrow(/log-update/);
  });

  for (const copy of ['string-width/index.js', 'wrap-ansi/node_modules/string-width/index.js']) {
    it(`string-width's fast path (${copy.split('/')[0]}) gives the original's width for any string`, async () => {
      const file = require.resolve(`../../node_modules/${copy}`);
      type SW = { default: (s: string, o?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number };
      const original = (await import(file)) as SW;
      const cls = narrowClass(narrowCodePoints(original.default));
      const patched = await loadPatched<SW>(file, (t) => patchStringWidth(t, cls));
      const pieces = ['a', 'Z', ' ', '~', '›', '·', '●', '✓', '─', '│', '░', '█', '★', '⠋', 'é', '©', '…', '→', '⚠', '漢', '😀', '❤', '\u0301',
        '\u200d', '\ufe0f', '\t', '\u001b[31m', '\u001b[0m', '\u001b]8;;x\u0007', '\u00ad', '\u1100\u1161'];
      const options = fc.option(fc.record({ ambiguousIsNarrow: fc.boolean(), countAnsiEscapeCodes: fc.boolean() }, { requiredKeys: [] }), { nil: undefined });
      fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), options, (parts, o) => {
        const s = parts.join('');
        expect(patched.default(s, o)).toBe(original.default(s, o));
      }), { seed: 20261201, numRuns: 3000 });
      expect(patched.default('› Continue · ●')).toBe(14);
    });
  }

  it("Ink's frame grid with a shared blank cell and shared styles gives the same rows as the original", async () => {
    type Out = { default: new (o: { width: number; height: number }) => {
      write(x: number, y: number, text: string, o: { transformers: ((l: string, i: number) => string)[] }): void;
      clip(c: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
      unclip(): void;
      get(): { output: string; height: number };
    } };
    const file = require.resolve('../../node_modules/ink/build/output.js');
    const original = await loadPatched<Out>(file, (t) => t);
    const patched = await loadPatched<Out>(file, patchInkOutput, { '@alcalzone/ansi-tokenize/build/styledChars.js': patchAnsiStyledChars });
    const pieces = ['a', 'bc', ' ', '  ', '›', '●', '漢', '😀', '\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[2m', '\u001b[7m',
      '\u001b[27m', '\u001b[0m', '\u001b[42m', '\u001b[49m', '\n'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), x: fc.nat(12), y: fc.nat(6), text: fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((p) => p.join('')) }),
      fc.record({ kind: fc.constant('clip' as const), x1: fc.nat(8), x2: fc.nat(14), y1: fc.nat(4), y2: fc.nat(7) }),
      fc.constant({ kind: 'unclip' as const }),
    );
    fc.assert(fc.property(fc.nat({ max: 14 }), fc.nat({ max: 7 }), fc.array(op, { maxLength: 8 }), (w, h, ops) => {
      const frames = [original, patched].map((m) => {
        const o = new m.default({ width: w, height: h });
        for (const p of ops) {
          if (p.kind === 'write') o.write(p.x, p.y, p.text, { transformers: [] });
          else if (p.kind === 'clip') o.clip({ x1: p.x1, x2: p.x2, y1: p.y1, y2: p.y2 });
          else o.unclip();
        }
        return o.get();
      });
      expect(frames[1]).toEqual(frames[0]);
    }), { seed: 20261201, numRuns: 3000 });
  });

  it('the output and styled-chars patches refuse files they do not recognise', () => {
    expect(() => patchInkOutput('export default class Output {}')).toThrow(/output/);
    expect(() => patchAnsiStyledChars('export {}')).toThrow(/ansi-tokenize/);
  });

  it("ansi-tokenize's fast path gives the original's tokens for any line", async () => {
    type Tok = { tokenize: (s: string, end?: number) => unknown[] };
    const file = require.resolve('../../node_modules/@alcalzone/ansi-tokenize/build/tokenize.js');
    const { default: isFullwidthCodePoint } = (await import(require.resolve('../../node_modules/is-fullwidth-code-point/index.js'))) as { default: (cp: number) => boolean };
    const cls = narrowClass(tokenizeNarrowCodePoints(isFullwidthCodePoint));
    const original = await loadPatched<Tok>(file, (t) => t);
    const patched = await loadPatched<Tok>(file, (t) => patchAnsiTokenize(t, cls));
    const pieces = ['a', 'Z', ' ', '~', '[', ']', ';', 'm', '›', '·', '●', '✓', '─', '⠋', 'é', '漢', '😀', '\u0301', '\u200d', '\ufe0f', '\u001b', '\u001b[', '\u001b[31m',
      '\u001b[1;3;31m', '\u001b[38;5;200m', '\u001b[0m', '\u001b]8;;http://x\u0007', '\u001b]8;;\u0007', '\u009b', '\u0007', '\t'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.option(fc.nat(12), { nil: undefined }), (parts, end) => {
      const s = parts.join('');
      expect(patched.tokenize(s, end)).toEqual(original.tokenize(s, end));
    }), { seed: 20261201, numRuns: 4000 });
    expect(() => patchAnsiTokenize('export {}', cls)).toThrow(/tokenize/);
  });
});
