// No import cycle in src/ (scripts/import-cycles.mjs): the reducer, the views and the
// engine depend on each other one way only.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../scripts/import-cycles.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the import graph of src/', () => {
  it('is read: the app shell imports the reducer and the registry', () => {
    const g = importGraph(root);
    expect(g.get('src/tui/app.tsx')).toEqual(expect.arrayContaining(['src/tui/state.ts', 'src/tui/registry.tsx']));
    expect(g.get('src/tui/state.ts')).toContain('src/tui/nav.ts');
    expect(g.get('src/tui/nav.ts')).toEqual([]); // its import of State is a type: erased
  });

  it('has no cycle', () => {
    expect(importCycles(root)).toEqual([]);
  });
});
