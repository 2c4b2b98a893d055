// Who a save is from: the game asks for the player's name before the first save (kept in
// the settings; skipped when `pvlab workshop join` set it), the save box starts empty, and
// a placement loaded from a colleague's share code is saved as the player's, crediting the
// sharer ("via bob"), never as a file whose author names someone else than its folder.
import { describe, expect, it } from 'vitest';
import { initialState, playerNameProblem, reduce, type Msg, type State } from '../../src/tui/state.js';
import { creditedTo } from '../../src/io/credit.js';
import { scoreLevel } from '../../src/sim/score.js';
import { campaign, defaultSettings } from './helpers.js';

const keys = (s: State, ...names: string[]) => names.reduce((acc, n) => reduce(acc, { type: 'input', name: n, text: n.length === 1 ? n : '' }), s);
const send = (s: State, ...msgs: Msg[]) => msgs.reduce(reduce, s);
const taken = (s: State) => reduce(s, { type: 'effectsTaken', count: s.effects.length });
const paste = (s: State, text: string) => reduce(s, { type: 'input', name: text, text });

/** A passing result of the first level, on its results screen. */
function passed(s: State): State {
  s = keys(s, 'enter', 'enter'); // briefing, board
  const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
  s = keys(taken({ ...s, board: { ...s.board, hooks } }), 'r');
  return taken(send(taken(s), { type: 'verified', runId: s.run!.id, result: scoreLevel(s.level!, hooks), hooks }));
}

describe('identity', () => {
  it('rule: without a player name the first save asks for it (stored in the settings), then for the save name in an empty box', () => {
    let s = passed(initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), playerName: '' } }));
    expect(s.screen).toBe('results');
    s = keys(s, 's');
    expect(s.text).toEqual({ purpose: 'firstName', value: '' });
    s = keys(paste(s, 'a/b'), 'enter');
    expect(s.message).toMatch(/can be a folder name/);
    expect(s.text?.purpose).toBe('firstName');
    s = keys(s, 'backspace', 'backspace', 'backspace');
    s = keys(paste(s, 'carol'), 'enter');
    expect(s.effects).toEqual([{ kind: 'settings', patch: { playerName: 'carol' } }]);
    expect(s.settings.playerName).toBe('carol');
    expect(s.text).toEqual({ purpose: 'saveName', value: '' });
    s = keys(paste(taken(s), 'unmap'), 'enter');
    expect(s.effects[0]).toMatchObject({ kind: 'save', solution: { name: 'unmap', author: 'carol' } });
    expect(s.effects[0]).not.toHaveProperty('solution.via');
    // a second save does not ask again
    s = keys(send(taken(s), { type: 'saved', name: 'unmap', file: '/x.json' }), 's');
    expect(s.text).toEqual({ purpose: 'saveName', value: '' });
  });

  it('rule: a name set by `workshop join` (the settings) is not asked for; typing never appends to a prefill', () => {
    let s = passed(initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), playerName: 'ada' } }));
    s = keys(s, 's');
    expect(s.text).toEqual({ purpose: 'saveName', value: '' });
    s = keys(s, 'u', 'n', 'm', 'a', 'p');
    expect(s.text?.value).toBe('unmap');
  });

  it("rule: a colleague's share code is saved as the player's, crediting the sharer (via)", () => {
    let s = initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), playerName: 'ada' } });
    const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
    s = send(s, { type: 'fitted', loaded: { solution: { level: 'swap-pressure', name: 'unmap', author: 'bob', hooks }, hooks, dropped: [] }, level: s.campaign[0]! });
    expect(s.screen).toBe('board');
    expect(s.board.from).toEqual({ author: 'bob' });
    expect(s.message).toContain('(via bob)');
    s = keys(taken(s), 'r');
    s = taken(send(taken(s), { type: 'verified', runId: s.run!.id, result: scoreLevel(s.level!, hooks), hooks }));
    s = keys(paste(keys(s, 's'), 'from bob'), 'enter');
    expect(s.effects[0]).toMatchObject({ kind: 'save', solution: { name: 'from bob', author: 'ada', via: 'bob' } });
    // the player's own code: no credit to give
    s = initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), playerName: 'ada' } });
    s = send(s, { type: 'fitted', loaded: { solution: { level: 'swap-pressure', name: 'mine', author: 'ada', hooks }, hooks, dropped: [] }, level: s.campaign[0]! });
    expect(s.message).toBe("loaded 'mine'");
  });

  it('rule: the game credits a loaded placement by the rule of `pvlab import` (creditedTo), with a name of its own or without', () => {
    const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
    const codes = [{ author: 'bob' }, { author: 'bob', via: 'carol' }, { author: 'ada' }, { author: 'ada', via: 'bob' }, { author: '' }];
    // who the share code of the placement is from, once it ran (no name asked for: any name, none included)
    const sharedAs = (me: string, code: { author: string; via?: string }) => {
      let s = initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), playerName: me } });
      s = send(s, { type: 'fitted', loaded: { solution: { level: 'swap-pressure', name: 'x', ...code, hooks }, hooks, dropped: [] }, level: s.campaign[0]! });
      s = keys(taken(s), 'r');
      s = taken(send(taken(s), { type: 'verified', runId: s.run!.id, result: scoreLevel(s.level!, hooks), hooks }));
      const share = keys(s, 'c').effects.find((e) => e.kind === 'share');
      return { board: s.board.from, message: s.message, shared: share && share.kind === 'share' ? share.solution : null };
    };
    for (const me of ['ada', '', '  ']) {
      for (const code of codes) {
        const { shared } = sharedAs(me, code);
        const cli = creditedTo({ level: 'swap-pressure', name: 'x', ...code, hooks }, me);
        expect({ author: shared?.author, via: shared?.via }, `${JSON.stringify(me)} ${JSON.stringify(code)}`).toEqual({ author: cli.author, via: cli.via });
      }
    }
    // without a name it stays as shared (bob's), no credit line; with one, the player's, via bob
    expect(sharedAs('', { author: 'bob' }).shared).toMatchObject({ author: 'bob' });
    expect(sharedAs('', { author: 'bob' }).shared).not.toHaveProperty('via');
    expect(sharedAs('ada', { author: 'bob' }).shared).toMatchObject({ author: 'ada', via: 'bob' });
  });

  it('rule: a player name is a folder name without controls (the rule of workshop join)', () => {
    expect(playerNameProblem('ada')).toBeNull();
    expect(playerNameProblem('Ada Lovelace')).toBeNull();
    expect(playerNameProblem('a\u200bda')).toMatch(/invisible/);
    expect(playerNameProblem('x'.repeat(41))).toMatch(/40/);
    expect(playerNameProblem('.hidden')).toMatch(/folder name/);
  });
});
