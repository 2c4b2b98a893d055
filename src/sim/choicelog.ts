// A record of scheduler choices in typed arrays: 12 bytes a choice and no allocation per
// choice. With a limit it keeps only the last `limit` choices (a ring), so recording a
// run of any length takes bounded memory.
import type { Choice } from './types.js';

const T_GUEST = 0, T_STEP = 1, T_START = 2, T_TEARDOWN = 3;

export class ChoiceLog {
  /** kind (2 bits) | write (1 bit) | variant << 3 (8 bits) | workload << 11 */
  private tag: Int32Array;
  /** the instance id (start, step) */
  private id: Int32Array;
  /** the page (guest, start, teardown) */
  private page: Int32Array;
  private n = 0;
  readonly limit: number;

  constructor(limit = Infinity) {
    this.limit = Math.max(1, limit);
    const cap = Math.min(1024, this.limit);
    this.tag = new Int32Array(cap);
    this.id = new Int32Array(cap);
    this.page = new Int32Array(cap);
  }

  /** Choices recorded so far, kept or not. */
  get made(): number {
    return this.n;
  }

  /** Choices kept: all of them, or the last `limit`. */
  get kept(): number {
    return Math.min(this.n, this.tag.length);
  }

  private slot(): number {
    const cap = this.tag.length;
    if (this.n >= cap && cap < this.limit) {
      const next = Math.min(this.limit, cap * 2);
      const grow = (a: Int32Array) => { const b = new Int32Array(next); b.set(a); return b; };
      this.tag = grow(this.tag); this.id = grow(this.id); this.page = grow(this.page);
    }
    return this.n++ % this.tag.length;
  }

  guest(page: number, write: boolean): void {
    const i = this.slot();
    this.tag[i] = T_GUEST | (write ? 4 : 0); this.page[i] = page;
  }

  step(id: number): void {
    const i = this.slot();
    this.tag[i] = T_STEP; this.id[i] = id;
  }

  start(id: number, w: number, page: number, v: number): void {
    const i = this.slot();
    this.tag[i] = T_START | ((v & 0xff) << 3) | (w << 11); this.id[i] = id; this.page[i] = page;
  }

  teardown(page: number): void {
    const i = this.slot();
    this.tag[i] = T_TEARDOWN; this.page[i] = page;
  }

  push(c: Choice): void {
    switch (c.t) {
      case 'guest': this.guest(c.page, c.write); break;
      case 'step': this.step(c.id); break;
      case 'start': this.start(c.id, c.w, c.page, c.v); break;
      case 'teardown': this.teardown(c.page); break;
    }
  }

  private at(i: number): Choice {
    const tag = this.tag[i];
    switch (tag & 3) {
      case T_GUEST: return { t: 'guest', page: this.page[i], write: (tag & 4) !== 0 };
      case T_STEP: return { t: 'step', id: this.id[i] };
      case T_START: return { t: 'start', id: this.id[i], w: tag >> 11, page: this.page[i], v: (tag >>> 3) & 0xff };
      default: return { t: 'teardown', page: this.page[i] };
    }
  }

  /** The kept choices, oldest first. */
  toArray(): Choice[] {
    const cap = this.tag.length;
    const kept = this.kept;
    const first = this.n > cap ? this.n % cap : 0;
    const out = new Array<Choice>(kept);
    for (let k = 0; k < kept; k++) out[k] = this.at((first + k) % cap);
    return out;
  }
}
