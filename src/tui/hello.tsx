// The yardstick of the game's start-up: a bundled Ink "hello world" (three <Text> lines),
// built with the same esbuild settings as the game (scripts/bundle-tui.mjs). `pvlab bench
// --startup` starts it and the game side by side and reports the ratio of their first
// frames. It writes its first-frame time to PVLAB_PROBE and exits after that frame.
import { Text, render } from 'ink';
import { writeProbe } from '../io/probe.js';

let first: number | null = null;
const loaded = performance.now(); // the bundle is loaded (compiled and run up to here)
const app = render(
  <>
    <Text>hello</Text>
    <Text>from</Text>
    <Text>ink</Text>
  </>,
  {
    onRender: () => {
      if (first !== null) return;
      first = performance.now();
      setImmediate(() => app.unmount());
    },
  },
);
await app.waitUntilExit();
if (process.env.PVLAB_PROBE) writeProbe(process.env.PVLAB_PROBE, { firstFrameMs: first, marks: [['bundle loaded', loaded], ['first frame', first]] });
