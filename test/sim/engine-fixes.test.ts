// Engine fixes found while building the campaign, each with the schedule that showed it.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { type Choice, type SimConfig } from '../../src/sim/types.js';

describe('a write to a page that msync has write-protected waits for the page lock', () => {
  // msync marks a page busy with the lock and a read-only PTE: after page_mkclean()
  // the PTE is read-only while write_cache_pages() still holds the folio lock; a write
  // fault goes do_wp_page() -> ->page_mkwrite(), which takes the folio lock, so the writer
  // waits until msync has set PG_writeback and unlocked (and then for stable pages).
  const cfg: SimConfig = {
    arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 1, shared: 0,
    workloads: [{ kind: 'kvm_fault', touches: 8 }, { kind: 'mmap_sync', ops: 1 }, { kind: 'malicious_qemu', ops: 1 }],
  };
  const mkclean: Choice[] = [
    { t: 'start', id: 0, w: 1, page: 0, v: 0 }, // write_cache_pages: folio_lock
    { t: 'step', id: 0 }, //                      page_mkclean: PTE write-protected, still locked
  ];

  it('[R5] the guest (s390 gmap write fault) stalls instead of writing through', () => {
    const e = new Engine(cfg, [{ site: 'writeback' }], 0, { trace: true });
    e.replay([...mkclean, { t: 'guest', page: 0, write: true }]);
    expect(e.totals().stallRetries).toBe(1);
    expect(e.flagString(0)).toBe('pte:ro locked');
    expect(e.events!.at(-1)).toMatchObject({ actor: 'guest', action: 'stall', note: expect.stringMatching(/page_mkwrite/) });
    // [R5] msync sets PG_writeback and unlocks: page_mkwrite does not wait (no stable-write
    // device), the PTE becomes writable, and the import waits for writeback instead
    e.replay([{ t: 'step', id: 0 }, { t: 'guest', page: 0, write: true }]);
    expect(e.totals().stallRetries).toBe(2);
    expect(e.events!.at(-1)!.note).toMatch(/make_folio_secure: under writeback/);
    expect(e.flagString(0)).toBe('pte:rw dirty writeback');
  });

  it('[R5] an O_DIRECT read into that page (GUP with FOLL_WRITE) waits too, then completes', () => {
    const e = new Engine(cfg, [{ site: 'writeback' }, { site: 'gup_fast' }, { site: 'gup_slow' }], 0, { trace: true });
    // QEMU variant 0 is an O_DIRECT read: the disk writes guest RAM, so GUP needs a writable PTE
    e.replay([...mkclean, { t: 'start', id: 1, w: 2, page: 0, v: 0 }]);
    expect(e.events!.at(-1)).toMatchObject({ actor: 'malicious_qemu#1', action: 'wait', fn: expect.stringMatching(/page_mkwrite/) });
    expect(e.flagString(0)).toBe('pte:ro locked');
    // msync finishes (writeback set, bio, writeback ended); then the pin succeeds
    e.replay([{ t: 'step', id: 0 }, { t: 'step', id: 0 }, { t: 'step', id: 0 }, { t: 'step', id: 1 }, { t: 'step', id: 1 }, { t: 'step', id: 1 }]);
    const m = e.totals();
    expect(m.ioErrors + m.crashes).toBe(0);
    expect(e.events!.some((ev) => ev.actor === 'malicious_qemu#1' && ev.action === 'device-write')).toBe(true);
  });
});
