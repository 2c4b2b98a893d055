// The screens, one entry each: its header title, whether the header names the level, its
// view and the key contexts it shows (their bindings live in keymap.ts). The frame, the
// help overlay and the completeness tests read this record; what a key does on a screen is
// the reducer's (SCREEN_KEYS in state.ts). Both are records over Screen: a screen added to
// SCREEN_IDS and missing here or there is a compile error. Recipe: docs/contributing.md.
import type { ReactElement } from 'react';
import { BoardView } from './board.js';
import type { Context } from './keymap.js';
import { PatchView } from './patch.js';
import { ProjectorView } from './projector-view.js';
import { ResultsView } from './results.js';
import { RunView } from './run.js';
import { Briefing, Import, Levels, Menu, Sandbox, SettingsView, Solutions } from './screens.js';
import type { Screen } from './state.js';
import { StandingsView } from './standings-view.js';
import type { ViewProps } from './view-props.js';
import { WorkshopScreen } from './workshop-view.js';
import { PracticeView } from './practice-view.js';
import { BuilderView } from './builder-view.js';

export interface ScreenDef {
  /** the header: `pvlab · <title>` */
  title: string;
  /** the header names the level (briefing, board, run, ...); lists and settings do not */
  aboutLevel: boolean;
  view: (p: ViewProps) => ReactElement;
  /** the key contexts the screen can be in (keyContext in state.ts), its own first */
  contexts: readonly Context[];
}

export const SCREENS: Readonly<Record<Screen, ScreenDef>> = {
  menu: { title: 'menu', aboutLevel: false, view: Menu, contexts: ['menu'] },
  levels: { title: 'campaign', aboutLevel: false, view: Levels, contexts: ['levels'] },
  briefing: { title: 'briefing', aboutLevel: true, view: Briefing, contexts: ['briefing'] },
  board: { title: 'board', aboutLevel: true, view: BoardView, contexts: ['board'] },
  run: { title: 'run', aboutLevel: true, view: RunView, contexts: ['run'] },
  results: { title: 'results', aboutLevel: true, view: ResultsView, contexts: ['results', 'timeline', 'text'] },
  sandbox: { title: 'sandbox', aboutLevel: true, view: Sandbox, contexts: ['sandbox'] },
  solutions: { title: 'my solutions', aboutLevel: false, view: Solutions, contexts: ['solutions'] },
  import: { title: 'import a share code', aboutLevel: false, view: Import, contexts: ['import', 'text'] },
  settings: { title: 'settings', aboutLevel: false, view: SettingsView, contexts: ['settings', 'text'] },
  workshop: { title: 'workshop board', aboutLevel: false, view: WorkshopScreen, contexts: ['workshop'] },
  patch: { title: 'kernel patch', aboutLevel: true, view: PatchView, contexts: ['patch'] },
  practice: { title: 'practice', aboutLevel: false, view: PracticeView, contexts: ['practice', 'text'] },
  builder: { title: 'save as level', aboutLevel: false, view: BuilderView, contexts: ['builder', 'text'] },
  projector: { title: 'projector', aboutLevel: false, view: ProjectorView, contexts: ['projector'] },
  standings: { title: 'standings', aboutLevel: false, view: StandingsView, contexts: ['standings'] },
};
