// The patch view's engine (src/patch: the kernel patch and its review, ~40 KB), loaded when
// the player first opens a patch rather than before the game's first frame. The build
// bundles it as dist/tui/patch-load.js (scripts/bundle-tui.mjs).
export { mainlineHooks, patchFor } from '../patch/index.js';
