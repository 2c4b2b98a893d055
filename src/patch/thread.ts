// The 2020 review of "mm/gup/writeback: add callbacks for inaccessible pages" (v4, March
// to April 2020, linux-mm/linux-s390), reduced to who argued what and when, in pvlab's
// own words. A review finding that makes the same argument names it.

export type ThreadPoint =
  | 'bad-qemu' | 'writeback-no-return' | 'why-cannot-fail' | 'gup-can-fail-kmap-cannot'
  | 'kmap-instead' | 'kmap-cheap-export-expensive' | 'pin-not-get' | 'zswap-no-device'
  | 'sendfile' | 'sendfile-handcrafted' | 'dma-api' | 'ccw-no-dma-api' | 'other-walkers'
  | 'vm-normal-page' | 'mmap-writeback' | 'process-vm-readv' | 'overdoing-is-cheap'
  | 'swap-no-gup' | 'too-s390-specific' | 'never-on-x86' | 'busy-before-access' | 'pin-keeps-page';

export interface ThreadCite {
  who: string;
  date: string;
  /** the argument, paraphrased (never a quote) */
  said: string;
}

export const THREAD: Readonly<Record<ThreadPoint, ThreadCite>> = {
  'bad-qemu': { who: 'Claudio Imbrenda', date: '2020-03-06', said: 'wrote in the commit message that a buggy or malicious QEMU starting direct I/O on protected memory is the case the hooks must stop' },
  'writeback-no-return': { who: 'Claudio Imbrenda', date: '2020-04-14', said: 'once writeback is set there is no turning back, so the hook there may not fail' },
  'why-cannot-fail': { who: 'Dave Hansen', date: '2020-04-13', said: 'asked why the call cannot fail, since a page holding guest secrets can only be refused' },
  'gup-can-fail-kmap-cannot': { who: 'Peter Zijlstra', date: '2020-04-15', said: 'pointed out that GUP can fail while kmap() and a device mapping cannot, and that failing early at GUP is what keeps the writeback check from firing' },
  'kmap-instead': { who: 'Dave Hansen', date: '2020-04-15', said: 'proposed kmap() as the place, since that is where the kernel really touches the contents' },
  'kmap-cheap-export-expensive': { who: 'Claudio Imbrenda', date: '2020-04-16', said: 'answered that s390 devices never go through kmap() and that an export is slow where kmap() costs nothing' },
  'pin-not-get': { who: 'Claudio Imbrenda', date: '2020-04-14', said: 'explained that a plain reference (get) is taken when the page is needed but not its contents, and only a pin announces access to the contents' },
  'zswap-no-device': { who: 'Dave Hansen', date: '2020-04-14', said: 'asked whether zswap, which compresses with the CPU and involves no device, needs the hook at all' },
  'sendfile': { who: 'Dave Hansen', date: '2020-04-16', said: 'showed sendfile() from a file: no GUP and no writeback on the way to the device' },
  'sendfile-handcrafted': { who: 'Christian Borntraeger', date: '2020-04-28', said: 'called that case handcrafted, with an error the driver recovers from, unlike swap' },
  'dma-api': { who: 'Dave Hansen', date: '2020-04-21', said: 'suggested catching every device access in the DMA API instead' },
  'ccw-no-dma-api': { who: 'Claudio Imbrenda', date: '2020-04-28', said: 'replied that most s390 channel I/O does not use the DMA API at all' },
  'other-walkers': { who: 'Dave Hansen', date: '2020-04-15', said: 'noted that GUP is not the only page-table walker, so paths that never call it are missed' },
  'vm-normal-page': { who: 'Dave Hansen', date: '2020-04-15', said: 'suggested vm_normal_page() as the place, where a PTE first becomes a struct page' },
  'mmap-writeback': { who: 'Claudio Imbrenda', date: '2020-04-16', said: 'noted that mmapped guest memory written back by sync takes the writeback path just like swap' },
  'process-vm-readv': { who: 'Dave Hansen', date: '2020-04-16', said: 'found process_vm_readv() pinning with FOLL_PIN although it does no I/O' },
  'overdoing-is-cheap': { who: 'Claudio Imbrenda', date: '2020-04-16', said: 'agreed the pin-time call is sometimes more than needed, and usually just a flag check on a page that is already accessible' },
  'swap-no-gup': { who: 'Dave Hansen', date: '2020-04-15', said: 'noted that pages being swapped out never go through GUP: reclaim already holds the physical page' },
  'too-s390-specific': { who: 'Dave Hansen', date: '2020-04-15', said: 'argued the calls sit where only s390 can use them, for a concept other architectures share' },
  'never-on-x86': { who: 'Dave Hansen', date: '2020-04-29', said: 'concluded he could not see x86 ever using these hooks' },
  'busy-before-access': { who: 'Claudio Imbrenda', date: '2020-03-06', said: 'wrote in the commit message that a guest touching the page waits for writeback to end and for the reference count to drop, so the page must be marked busy first' },
  'pin-keeps-page': { who: 'Claudio Imbrenda', date: '2020-04-16', said: 'noted that a page-table walk without a reference or pin guarantees nothing a moment later' },
};

/** "Same point in the 2020 review: Dave Hansen (2020-04-16) showed ..." */
export function cite(points: readonly ThreadPoint[]): string {
  if (!points.length) return '';
  const parts = points.map((p) => `${THREAD[p].who} (${THREAD[p].date}) ${THREAD[p].said}`);
  return ` Same point in the 2020 review: ${parts.join('; ')}.`;
}
