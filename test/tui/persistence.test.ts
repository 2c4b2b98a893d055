// The TUI's Persistence port over the real stores of src/io, in temporary folders.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Solution } from '../../src/io/schema.js';
import { hiddenSeeds, levelConfig } from '../../src/sim/score.js';
import { verify } from '../../src/sim/verify.js';
import { lockPathOf } from '../../src/io/atomic.js';
import { GAME_LOCK_WAIT_MS, openPersistence } from '../../src/tui/persistence.js';
import { campaign } from './helpers.js';

const sol = (name: string, hooks: Solution['hooks']): Solution =>
  ({ format: 'pvlab-solution@1', level: 'swap-pressure', name, author: 'ada', hooks });

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'pvlab-tui-store-'));
  const p = openPersistence({ cwd: join(dir, 'config') });
  p.updateSettings({ savesDir: join(dir, 'saves') });
  return { dir, p };
}

describe('persistence adapter (real src/io modules)', () => {
  it('another pvlab\'s lock: the game waits briefly (not the command line\'s 10 s), then says which file to remove; saves too', () => {
    const { dir, p } = fresh();
    expect(GAME_LOCK_WAIT_MS).toBeLessThanOrEqual(1000);
    // the lock of a live process of this host (our parent, started before it): held
    const lock = lockPathOf(join(dir, 'config', 'config.json'));
    writeFileSync(lock, `${process.ppid} ${hostname()} x\n`);
    expect(() => p.updateSettings({ playerName: 'bob' })).toThrow(`settings not saved: locked by process ${process.ppid} on this host; try again, or if no pvlab is running remove ${lock}`);
    expect(p.settings().playerName).toBe('');
    const save = sol('mine', [{ site: 'writeback' }]);
    mkdirSync(join(dir, 'saves'), { recursive: true });
    writeFileSync(lockPathOf(join(dir, 'saves', 'swap-pressure--mine.json')), `${process.ppid} ${hostname()} x\n`);
    const r = p.saveSolution(save, { overwrite: false });
    expect(r).toMatchObject({ ok: false, exists: false });
    expect(!r.ok && r.message).toMatch(/not saved: locked by process \d+ on this host; try again, or if no pvlab is running remove .*\.swap-pressure--mine\.json\.lock$/);
  });

  it('settings and progress: defaults, changes, hints, results, last level', () => {
    const { p } = fresh();
    expect(p.settings()).toMatchObject({ color: 'auto', animation: 'full', playerName: '' });
    expect(p.updateSettings({ playerName: 'ada', color: 'never' })).toMatchObject({ playerName: 'ada', color: 'never' });
    expect(p.recordHint('swap-pressure', 2).levels['swap-pressure'].hints).toBe(2);
    const lv = campaign()[0];
    const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
    const v = verify({ config: levelConfig(lv), hooks, visibleSeeds: lv.seeds.visible, hiddenSeeds: hiddenSeeds(lv), par: lv.par });
    const prog = p.recordResult(lv, hooks, v);
    expect(prog.levels['swap-pressure']).toMatchObject({ solved: true, stars: 3 });
    expect(prog.levels['swap-pressure'].best.cost).toBe(v.metrics.cost);
    p.setLastLevel('swap-pressure');
    expect(p.loadProgress().lastLevel).toBe('swap-pressure');
    expect(p.warnings).toEqual([]);
  });

  it('saves: named files, overwrite protection with a backup, listed per level', () => {
    const { dir, p } = fresh();
    const first = p.saveSolution(sol('unmap export', [{ site: 'ptep_clear', when: 'live' }]), { overwrite: false });
    expect(first.ok).toBe(true);
    const again = p.saveSolution(sol('unmap export', [{ site: 'writeback' }]), { overwrite: false });
    expect(again).toMatchObject({ ok: false, exists: true });
    expect(p.saveSolution(sol('unmap export', [{ site: 'writeback' }]), { overwrite: true }).ok).toBe(true);
    expect(existsSync(join(dir, 'saves', '.backup'))).toBe(true);
    expect(readdirSync(join(dir, 'saves', '.backup'))).toHaveLength(1);
    const list = p.listSolutions('swap-pressure');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'unmap export', level: 'swap-pressure', hooks: [{ site: 'writeback' }] });
    expect(p.listSolutions('other-level')).toEqual([]);
  });

  it('share codes round-trip; a bad code is one line; solutions are fitted to their level', () => {
    const { p } = fresh();
    const s = sol('shared', [{ site: 'ptep_clear', when: 'live' }, { site: 'gup_fast', when: 'pin' }]);
    const code = p.encodeShare(s);
    expect(code).toMatch(/^pvlab1\./);
    expect(p.decodeShare(code)).toEqual(s);
    expect(() => p.decodeShare('hello')).toThrow(/not a pvlab share code/);
    const fit = p.fitSolution(s, campaign()[0]);
    expect(fit.hooks).toEqual([{ site: 'ptep_clear', when: 'live' }]);
    expect(fit.dropped).toHaveLength(1);
    expect(fit.dropped[0]).toMatch(/gup_fast/);
  });
});
