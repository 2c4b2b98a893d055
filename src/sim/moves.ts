// Moves of the exhaustive search (exhaustive.ts drives the engine with them instead of the
// seeded scheduler). A move is a small int:
//   bits 0-1 kind (EX_GUEST, EX_START, EX_STEP, EX_TEARDOWN), bits 2-21 page,
//   guest: bit 22 = write; start: bits 22-25 workload, bit 26 variant;
//   step: bits 22-31 instance id (ids, not slots: slots are an allocation detail).
export const EX_GUEST = 0, EX_START = 1, EX_STEP = 2, EX_TEARDOWN = 3;

/** The page a move acts on. */
export function movePage(code: number): number {
  return (code >>> 2) & 0xfffff;
}
