// Page state of the engine: the state codes, the flag bits, and their printers for traces.
// Pure data and small functions; the engine keeps one code and one flag word per page.
import type { PageStateName } from './types.js';

export const ST_SECURE = 0;
export const ST_SHARED = 1;
export const ST_EXPORTED = 2;

/** PTE present */
export const F_PRESENT = 1;
/** PTE writable (on s390 a writable PTE is dirty: docs/model.md [R3]) */
export const F_WRITABLE = 2;
/** PTE or folio dirty (one flag for both: docs/model.md [R3]) */
export const F_DIRTY = 4;
/** PG_writeback */
export const F_WB = 8;
/** folio locked */
export const F_LOCKED = 16;
/** swapped out to the disk */
export const F_SWAPPED = 32;
/** stored in zswap */
export const F_ZSWAPPED = 64;
/** the swap slot holds a valid copy (dropped clean when the page is not dirty) */
export const F_ONSWAP = 128;
/** young: referenced since the last aging */
export const F_REFERENCED = 256;
/** mapped in the guest's secondary MMU (x86/arm KVM) */
export const F_SPTE = 512;
/** taken off the active list by a reclaim operation */
export const F_ISOLATED = 1024;
/** freed at teardown */
export const F_FREED = 2048;
/** a private (secure) page of the guest, whatever its current state */
export const F_PRIVATE = 4096;
/** exported by a hook and not used yet (bookkeeping for wasted exports) */
export const F_UNUSED_EXPORT = 8192;
/** PG_referenced */
export const F_PGREF = 16384;
/**
 * guest_memfd: the hva's shared backing of a private page is faulted in. QEMU discards it
 * when the page turns private (kvm_convert_memory -> ram_block_discard_range); a host GUP
 * on the hva faults a fresh shared page in, and later fast GUPs find it ([A3]).
 */
export const F_BACKING = 32768;
/** out of memory: swapped or in zswap */
export const F_OUT = F_SWAPPED | F_ZSWAPPED;

/** The state a trace shows for a page. */
export function stateNameOf(f: number, st: number, canExport: boolean): PageStateName {
  if (f & F_FREED) return 'freed';
  if (f & F_OUT) return 'swapped';
  if (st === ST_SHARED) return 'shared';
  if (st === ST_EXPORTED) return 'exported';
  return canExport ? 'secure' : 'private';
}

/** Compact flags for traces, e.g. "pte:rw dirty writeback ref+1". */
export function flagStringOf(f: number, refs: number, pins: number): string {
  // one string built in place (a trace makes one per event): no array, no join
  let s = f & F_PRESENT ? (f & F_WRITABLE ? 'pte:rw' : 'pte:ro') : 'pte:none';
  if (f & F_DIRTY) s += ' dirty';
  if (f & F_LOCKED) s += ' locked';
  if (f & F_WB) s += ' writeback';
  if (refs) s += ` ref+${refs}`;
  if (pins) s += ` pin+${pins}`;
  if (f & F_ONSWAP) s += ' swapcopy';
  if (f & F_SWAPPED) s += ' on-swap';
  if (f & F_ZSWAPPED) s += ' in-zswap';
  return s;
}
