// Bundle the game (dist/tui/index.js, loaded lazily by dist/cli.js) into one file: loading
// ink, react and their dependencies as hundreds of separate modules takes about twice as
// long (0.9–1.0 s against 0.4–0.5 s on a two-core machine; docs/contributing.md). Runs
// after tsc in `npm run build`.
import { build } from 'esbuild';

const entry = new URL('../dist/tui/index.js', import.meta.url).pathname;

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
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
    // ink imports its optional devtools only when DEV=true; it is not installed
    name: 'no-devtools',
    setup(b) {
      b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
    },
  }],
});
