// Numbers as pvlab shows them, in the headless commands and in the game alike.

/** Whole numbers as they are; others with two decimals (one from 100 up). */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return x.toFixed(Math.abs(x) >= 100 ? 1 : 2);
}
