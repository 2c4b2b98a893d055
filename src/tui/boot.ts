// The start-up worker (dist/tui/boot.js, bundled with zod and conf): reads the campaign
// (the build's validated copy when the files are unchanged), the settings and the
// progress while the main thread loads ink and react, and posts them back. See start.ts.
import { parentPort } from 'node:worker_threads';
import { isInputError } from '../io/errors.js';
import { campaignDir, loadCampaign, loadLevelFile } from '../io/files.js';
import { cachedCampaign } from '../io/campaign-cache.js';
import { openPersistence } from './persistence.js';
import type { Level } from '../io/schema.js';
import { workshopLevelsDir, type BootData, type BootReply } from './start.js';

/** The campaign: the build's validated copy when the files are unchanged, else loadCampaign. */
export function loadCampaignFast(dir = campaignDir()) {
  return cachedCampaign(dir) ?? loadCampaign(dir).map((e) => e.level);
}

/** A level file given to `pvlab play <file>`, checked (an InputError names the file and the field). */
export function levelFile(path: string): Level {
  return loadLevelFile(path);
}

export function bootData(): BootData {
  const campaign = loadCampaignFast();
  const ports = openPersistence();
  const settings = ports.settings();
  const warnings = [...ports.warnings];
  // the workshop's own levels: a level that does not load is a warning, not the end of the game
  const custom: Level[] = [];
  const dir = workshopLevelsDir(settings.workshopDir);
  if (dir) {
    try {
      custom.push(...loadCampaign(dir).map((e) => e.level));
    } catch (err) {
      warnings.push(`workshop levels not loaded: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
    }
  }
  return { campaign, settings, progress: ports.loadProgress(), warnings, ...(custom.length ? { custom } : {}) };
}

function reply(): BootReply {
  try {
    return { ok: true, data: bootData() };
  } catch (err) {
    return { ok: false, input: isInputError(err), message: String((err as Error)?.message ?? err) };
  }
}

parentPort?.postMessage(reply());
