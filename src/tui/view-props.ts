// What every screen's view is given: the state and the body's size (the frame around it,
// title, message and key hints, is the app's). Its own module so that views and the
// reducer do not import each other.
import type { State } from './state.js';

export interface ViewProps {
  s: State;
  width: number;
  height: number;
}
