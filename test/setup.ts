// Test isolation: never touch the real config or cache dir, and let React's act() drive Ink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-test-config-'));
process.env.XDG_CONFIG_HOME = dir;
process.env.PVLAB_CONFIG_DIR = dir;
// the board's verdict cache (XDG_CACHE_HOME/pvlab) stays in the temp dir too
process.env.XDG_CACHE_HOME = dir;
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
