// The generator's own seeded random numbers: sfc32 seeded through splitmix32. Integer
// arithmetic only (Math.imul, >>> 0), so the same seed gives the same stream on every
// machine and Node version; no Math.random, no clock.

/** FNV-1a of a string, 32 bits: stable seeds from text (an id, a date). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function splitmix32(x: number): () => number {
  let s = x >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(...seeds: number[]) {
    let x = 0x2545f491;
    for (const s of seeds) x = Math.imul(x ^ (s >>> 0), 0x01000193) ^ (x >>> 15);
    const sm = splitmix32(x);
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm();
    for (let i = 0; i < 12; i++) this.u32();
  }
  /** the next 32-bit unsigned integer */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** a whole number in lo..hi (inclusive); unbiased (rejection) */
  int(lo: number, hi: number): number {
    const n = hi - lo + 1;
    const limit = Math.floor(0x100000000 / n) * n;
    let x: number;
    do x = this.u32(); while (x >= limit);
    return lo + (x % n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  /** true with probability num/den */
  chance(num: number, den: number): boolean {
    return this.int(0, den - 1) < num;
  }
  /** a pick weighted by whole-number weights */
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((n, [, w]) => n + w, 0);
    let r = this.int(0, total - 1);
    for (const [x, w] of xs) {
      if (r < w) return x;
      r -= w;
    }
    return xs[xs.length - 1]![0];
  }
  /** a new array in random order (Fisher-Yates) */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
