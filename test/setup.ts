// Test isolation: never touch the real config dir, and let React's act() drive Ink.
// Property tests draw from one fixed seed, so every machine sees the same inputs and a
// loaded one cannot fail them at random; FC_SEED=<n> explores others (a failure prints
// the seed and path that replay it).
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-test-config-'));
process.env.XDG_CONFIG_HOME = dir;
process.env.PVLAB_CONFIG_DIR = dir;
// the board's verdict cache (XDG_CACHE_HOME/pvlab) stays in the temp dir too
process.env.XDG_CACHE_HOME = dir;
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 0x9e3779b9) | 0 });
