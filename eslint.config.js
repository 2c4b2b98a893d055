// Lint: eslint's and typescript-eslint's recommended rules over src/, test/ and scripts/,
// and the layers of src/ as import rules (docs/contributing.md, "Layers"):
// - src/sim imports nothing outside src/sim (no package, no Node module);
// - src/text (the one word wrap) imports nothing; every layer may import it;
// - src/patch and src/workshop import only src/sim and src/text (src/workshop also its confusables table);
// - outside src/patch, src/patch is imported through its facade, src/patch/index.ts;
// - src/tui never imports node:fs: files go through src/io (the stores behind the ports, and
//   for the launcher and the start-up, src/io/campaign-cache.ts, snapshot.ts, folder.ts, probe.ts);
// - headless code (src/commands, src/io, src/program.ts) never imports ink or react, and
//   of src/tui only the start-up marks (the game itself is loaded with import()).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';


const NODE = { regex: '^(node:|fs$|path$|os$|child_process$|worker_threads$|crypto$)', message: 'src/sim is pure: no Node modules' };
const ANY_PACKAGE = { regex: '^[^.]', message: 'src/sim imports nothing outside src/sim' };
const UI = { regex: '^(ink|react|ink-select-input|ink-testing-library)(/|$)', message: 'headless code never loads ink or react' };
const PATCH_DEEP = { regex: '(^|/)patch/(?!index\\.js$).+$', message: 'import src/patch through its facade, src/patch/index.js' };
const FS = { regex: '^(node:)?fs(/promises)?$', message: 'src/tui never reads or writes files: go through src/io behind the ports (src/tui/ports.ts)' };
const only = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const outside = (depth, allowed, message) => ({ regex: `^${'\\.\\./'.repeat(depth)}(?!${allowed})`, message });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', __dirname: 'readonly', queueMicrotask: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' },
    },
    rules: {
      // the sanitizer and its tests match terminal control characters on purpose
      'no-control-regex': 'off',
      // `_name` marks a value left out on purpose (destructuring, unused parameters)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['src/sim/*.ts'], rules: only(ANY_PACKAGE, NODE, { regex: '^\\.\\./', message: 'src/sim imports nothing outside src/sim' }) },
  { files: ['src/sim/*/**/*.ts'], rules: only(ANY_PACKAGE, NODE, { regex: '^\\.\\./\\.\\./', message: 'src/sim imports nothing outside src/sim' }) },
  { files: ['src/text/*.ts'], rules: only(ANY_PACKAGE, NODE, { regex: '^\\.\\./', message: 'src/text imports nothing outside src/text' }) },
  { files: ['src/patch/*.ts'], rules: only(ANY_PACKAGE, outside(1, '(sim|text)/', 'src/patch imports only src/sim and src/text')) },
  { files: ['src/patch/*/**/*.ts'], rules: only(ANY_PACKAGE, outside(2, '(sim|text)/', 'src/patch imports only src/sim and src/text')) },
  { files: ['src/workshop/*.ts'], rules: only({ regex: '^(?!unicode-confusables$)[^.]', message: 'src/workshop imports only src/sim' }, outside(1, '(sim|text)/', 'src/workshop imports only src/sim and src/text')) },
  { files: ['src/tui/**/*.{ts,tsx}'], rules: only(FS, PATCH_DEEP) },
  { files: ['src/commands/**/*.ts', 'src/io/**/*.ts', 'src/program.ts'], rules: only(UI, PATCH_DEEP, { regex: '(^|/)tui/(?!marks\\.js$)', message: 'headless code loads the game only with import() (src/commands/play.ts)' }) },
);
