// The values of the settings that cycle through a fixed list. No dependencies: the game's
// reducer cycles them in the first-frame bundle, which holds no zod (src/io/settings.ts
// builds its schema from them and re-exports them).

/** Colour output: follow the terminal and NO_COLOR (auto), or force it on or off. */
export const COLOR_MODES = ['auto', 'always', 'never'] as const;
/** Run animation: every step, a reduced frame rate, or results only. */
export const ANIMATION_MODES = ['full', 'reduced', 'off'] as const;
/**
 * Fog on the board: a site on a path shows only once a run's trace has passed it. `auto`:
 * on for generated expert levels, off elsewhere.
 */
export const FOG_MODES = ['auto', 'on', 'off'] as const;
