// Spoiler-free site facts: the board shows these before a level is solved, so they say
// what a site is (callers, what is held, what a failure can do), never its history or
// what a hook there would do to the page.
import { describe, expect, it } from 'vitest';
import { SITE_IDS } from '../../src/sim/model.js';
import { SITE_FACTS } from '../../src/sim/sitefacts.js';

const HISTORY = [
  /\b[0-9a-f]{12}\b/, /mainline/i, /propos/i, /merged/i, /review/i, /\bv\d\.\d+/, /\b20[12]\d\b/,
  /Hansen|Imbrenda|Wilcox|Hildenbrand|Hubbard/,
];

describe('site facts (the board before a level is solved)', () => {
  it.each(SITE_IDS.map((s) => [s]))('%s: says what reaches it, what is held, what a failure can do; no history', (site) => {
    const f = SITE_FACTS[site];
    for (const text of [f.reachedBy, f.held, f.failure, ...(f.conditions ? [f.conditions] : [])]) {
      expect(text.length).toBeGreaterThan(20);
      for (const re of HISTORY) expect(text, `${site}: ${re}`).not.toMatch(re);
      // what a hook there does (exports, makes accessible) is for the player to find out
      expect(text, site).not.toMatch(/export|accessible|encrypt/i);
    }
  });

  it('ptep_clear does not claim that any architecture exports when a PTE is cleared', () => {
    const f = SITE_FACTS.ptep_clear;
    expect(`${f.reachedBy} ${f.held} ${f.failure}`).not.toMatch(/s390|export/i);
  });
});
