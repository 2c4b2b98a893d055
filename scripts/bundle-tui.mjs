// Bundle the game into a few files (loading ink, react and their dependencies as hundreds
// of separate modules takes about twice as long). Runs after tsc in `npm run build`, and
// by `npm ci` / `npm install` through the `prepare` script, so `npm start` never rebuilds.
//
// What the first frame needs and what it does not are bundled apart (docs/startup.md):
// - dist/tui/index.js: ink, react and the game's screens; no zod, no conf;
// - dist/tui/boot.js: a worker thread that reads the settings, the progress and the
//   campaign (zod, conf) while the main thread loads ink;
// - dist/tui/persistence.js: the settings/saves/share store, loaded after the first frame;
// - dist/tui/workshop.js: the workshop board, loaded when it is opened; it scores and ranks
//   the folder in dist/tui/workshop-worker.js (a worker thread);
// - dist/tui/hello.js: the Ink hello world the start-up is measured against (same settings).
// dist/io/errors.js stays outside the bundles, so `instanceof InputError` holds across them
// and the CLI (one line, exit 2, for bad input).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url).pathname;
const names = ['index', 'boot', 'persistence', 'workshop', 'workshop-worker', 'hello'];

const shared = (name) => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies bundled into ESM call require()
  banner: { js: "import { createRequire as __pvlabRequire } from 'node:module'; const require = __pvlabRequire(import.meta.url);" },
  plugins: [{
    name: 'pvlab',
    setup(b) {
      // ink imports its optional devtools only when DEV=true; it is not installed
      b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
      // one InputError class for the CLI and every bundle
      b.onResolve({ filter: /(^|\/)errors\.js$/ }, (a) =>
        a.resolveDir.endsWith('/dist/io') || a.path.includes('/io/') ? { path: '../io/errors.js', external: true } : undefined);
      // what the game loads later (the store, the workshop board) or only without the worker
      // stays in files of their own
      if (name === 'index') b.onResolve({ filter: /^\.\/(persistence|boot|workshop)\.js$/ }, (a) => ({ path: a.path, external: true }));
      // yoga's emscripten loader probes `typeof fetch` before decoding its inlined wasm:
      // in Node that loads undici (~60 ms) to fetch a data: URL. It has the bytes already.
      b.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, (a) => ({
        contents: readFileSync(a.path, 'utf8').replaceAll('typeof fetch', '"undefined"'),
        loader: 'js',
      }));
    },
  }],
});

await Promise.all(names.map((name) => {
  const entry = join(dist, 'tui', `${name}.js`);
  return build({ ...shared(name), entryPoints: [entry], outfile: entry, allowOverwrite: true });
}));

// The campaign, validated once here: the game checks each level file's hash against this
// and validates (zod) only when a file changed (src/tui/campaign.ts).
const { loadCampaign, campaignDir } = await import(join(dist, 'io', 'files.js'));
const { CACHE_FILE, hashText } = await import(join(dist, 'tui', 'campaign.js'));
const dir = campaignDir();
const files = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
const hashes = Object.fromEntries(files.map((n) => [n, hashText(readFileSync(join(dir, n)))]));
const levels = loadCampaign(dir).map((e) => ({ name: e.file.split('/').pop(), level: e.level }));
writeFileSync(join(dist, CACHE_FILE), JSON.stringify({ hashes, levels }));

// `npm start` (scripts/start.mjs) rebuilds only when an input is newer than this
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
