// The board's side panel (issue: facts cut with '…' at 100x30): every site's facts wrap
// whole at 80x24, 100x30 and 160x50, on a level of every architecture, and the panel
// reads the facts of the level's machine (siteFactsFor: ptep_clear's `live`, [R9]).
import { fileURLToPath } from 'node:url';
import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Level } from '../../src/io/schema.js';
import { ARCH_IDS, SITE_IDS, SITES, machineProblem, whensOn } from '../../src/sim/model.js';
import { siteFactsFor } from '../../src/sim/sitefacts.js';
import { BoardView, pathText } from '../../src/tui/board.js';
import { initialState, lanesOf, slotsOf, type State } from '../../src/tui/state.js';
import { defaultSettings } from './helpers.js';

const LEVELS = loadCampaign(fileURLToPath(new URL('../../levels/', import.meta.url))).map((e) => e.level);
const SIZES = [{ columns: 80, rows: 24 }, { columns: 100, rows: 30 }, { columns: 160, rows: 50 }];

function stateAt(lv: Level, col: number, solved: boolean): State {
  const s = initialState({
    campaign: LEVELS, settings: { ...defaultSettings(), fog: 'off' },
    progress: { levels: solved ? { [lv.id]: { solved: true } } : {} } as State['progress'],
  });
  return { ...s, screen: 'board', level: lv, board: { ...s.board, col } };
}

/** The frame's text with the panel's border and the line breaks taken out. */
const flat = (f: string) => f.split('\n').map((l) => l.replace(/^.*?│ ?/, '').trim()).join(' ').replace(/\s+/g, ' ');

describe('board side panel: facts whole at every size', () => {
  // every placeable site on a machine of every architecture (the facts differ per machine):
  // the campaign's SEV-SNP level with its machine swapped (6.5 exists for every design)
  const base = LEVELS.find((l) => l.id === 'sev-snp')!;
  const sites = SITE_IDS.filter((x) => SITES[x].placeable);
  const perArch: Level[] = ARCH_IDS.map((arch) => ({
    ...base, id: `panel-${arch}`, arch, kernel: '6.5', device: arch === 's390-pv' ? 'ccw' : 'pci', sites,
  }));

  it('the machines are valid and every site is a slot', () => {
    for (const lv of perArch) {
      expect(machineProblem(lv.arch, lv.kernel, lv.device), lv.id).toBeNull();
      expect([...slotsOf(lv)].sort()).toEqual([...sites].sort());
    }
  });

  it.each(SIZES)('every slot of every level at $columns x $rows: no line cut or wider than the terminal; the side panel shows each fact whole', (size) => {
    let sidePanels = 0;
    for (const lv of [...perArch, ...LEVELS]) {
      slotsOf(lv).forEach((site, col) => {
        // the frame ink-testing-library's lastFrame() gives, drawn once (no final frame at unmount)
        const f = renderToString(<BoardView s={stateAt(lv, col, true)} width={size.columns} height={size.rows - 5} />, { columns: size.columns });
        const where = `${lv.id} ${site} at ${size.columns}x${size.rows}`;
        for (const l of f.split('\n')) expect(l.length, `${where}: ${l}`).toBeLessThanOrEqual(size.columns);
        expect(f.split('\n').length, `${where}: frame height`).toBeLessThanOrEqual(size.rows - 5);
        const text = flat(f);
        const facts = siteFactsFor(site, lv.arch);
        if (/│/.test(f)) {
          sidePanels++;
          // the side panel: every fact whole
          // the held locks, the failure and the conditions always; the function and its file
          // on a body of 30 rows and more (on a short one they give way, whole, to those)
          const file = size.rows >= 30 ? [SITES[site].fn, facts.file ?? SITES[site].file] : [];
          // the conditions where the level's kernel offers a choice (5.7: ptep_clear has `any` only)
          const conds = facts.conditions && whensOn(site, lv.kernel).length > 1 ? [facts.conditions] : [];
          if (facts.conditions && !conds.length) expect(text, where).not.toContain('conditions:');
          for (const t of [facts.held, facts.failure, ...conds, ...file]) {
            expect(text, where).toContain(t.replace(/\s+/g, ' '));
          }
        } else {
          // the narrow layout: its lines whole
          expect(text, where).toContain(SITES[site].fn);
        }
        expect(f, where).not.toContain('…');
      });
    }
    // the side panel shows where the board leaves it 30 columns (100x30 on the campaign's levels)
    if (size.columns >= 100) expect(sidePanels).toBeGreaterThan(0);
  });

  it('[R9] ptep_clear on a SEV-SNP level: the panel says what the engine does there, no s390 destroy', () => {
    const lv: Level = { ...LEVELS.find((l) => l.id === 'sev-snp')!, sites: ['ptep_clear', 'writeback'] };
    const text = flat(renderToString(<BoardView s={stateAt(lv, slotsOf(lv).indexOf('ptep_clear'), false)} width={160} height={46} />, { columns: 160 }));
    expect(text).toContain(siteFactsFor('ptep_clear', 'sev-snp').conditions!);
    expect(text).not.toContain('the page is destroyed instead');
  });

  it('the guest lane on SEV-SNP names the kernel order: hva_to_pfn_fast (fast GUP), then on a miss slow GUP down to follow_page_pte, whose lookup and grab come before the gup_slow hook', () => {
    const lv = LEVELS.find((l) => l.id === 'sev-snp')!;
    const guest = lanesOf(lv).find((l) => l.workload === 'kvm_fault')!;
    expect(pathText(guest, [])).toBe('guest: kvm_faultin_pfn → hva_to_pfn_fast (FOLL_GET) → [gup_fast] → on a miss hva_to_pfn_slow → '
      + '__get_user_pages → follow_page_mask → follow_page_pte → [vm_normal_page] → try_grab_page → [gup_slow] → guest CPU');
  });
});
