// Types of scripts/bundle-patches.mjs (for its tests).
export function patchInkLogUpdate(text: string): string;
export function narrowCodePoints(stringWidth: (s: string) => number): number[];
export function narrowClass(codePoints: readonly number[]): string;
export function patchStringWidth(text: string, cls: string): string;
export function patchInkOutput(text: string): string;
export function patchAnsiStyledChars(text: string): string;
export function tokenizeNarrowCodePoints(isFullwidthCodePoint: (cp: number) => boolean): number[];
export function patchAnsiTokenize(text: string, cls: string): string;
