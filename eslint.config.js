// Lint: eslint's and typescript-eslint's recommended rules over src/, test/ and scripts/,
// and the layers of src/ as import rules (docs/contributing.md, "Layers"):
// - src/sim imports nothing outside src/sim (no package, no Node module);
// - src/patch and src/workshop import only src/sim (src/workshop also its confusables table);
// - outside src/patch, src/patch is imported through its facade, src/patch/index.ts;
// - src/tui never imports node:fs: files go through src/io behind the ports; the launcher
//   and start-up files named in TUI_FS (before the first frame, or in a worker) are the exceptions;
// - headless code (src/commands, src/io, src/program.ts) never imports ink or react, and
//   of src/tui only the start-up marks (the game itself is loaded with import()).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';


const NODE = { regex: '^(node:|fs$|path$|os$|child_process$|worker_threads$|crypto$)', message: 'src/sim is pure: no Node modules' };
const ANY_PACKAGE = { regex: '^[^.]', message: 'src/sim imports nothing outside src/sim' };
const UI = { regex: '^(ink|react|ink-select-input|ink-testing-library)(/|$)', message: 'headless code never loads ink or react' };
const PATCH_DEEP = { regex: '(^|/)patch/(?!index\\.js$)[^/]+$', message: 'import src/patch through its facade, src/patch/index.js' };
const FS = { regex: '^(node:)?fs(/promises)?$', message: 'src/tui never reads or writes files: go through src/io behind the ports (src/tui/ports.ts)' };
/** src/tui files that touch files on purpose: the launcher and the start-up shortcuts (before the first frame), the bench's hello world, the workshop board's scan */
const TUI_FS = ['src/tui/index.tsx', 'src/tui/start.ts', 'src/tui/campaign.ts', 'src/tui/snapshot.ts', 'src/tui/hello.tsx', 'src/tui/workshop.ts', 'src/tui/jobs.ts'];
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
  { files: ['src/patch/*.ts'], rules: only(ANY_PACKAGE, outside(1, 'sim/', 'src/patch imports only src/sim')) },
  { files: ['src/workshop/*.ts'], rules: only({ regex: '^(?!unicode-confusables$)[^.]', message: 'src/workshop imports only src/sim' }, outside(1, 'sim/', 'src/workshop imports only src/sim')) },
  { files: ['src/tui/**/*.{ts,tsx}'], ignores: TUI_FS, rules: only(FS, PATCH_DEEP) },
  { files: TUI_FS, rules: only(PATCH_DEEP) },
  { files: ['src/commands/**/*.ts', 'src/io/**/*.ts', 'src/program.ts'], rules: only(UI, PATCH_DEEP, { regex: '(^|/)tui/(?!marks\\.js$)', message: 'headless code loads the game only with import() (src/commands/play.ts)' }) },
);
