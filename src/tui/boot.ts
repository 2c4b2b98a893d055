// The start-up worker (dist/tui/boot.js, bundled with zod and conf): reads the campaign
// (the build's validated copy when the files are unchanged), the settings and the
// progress while the main thread loads ink and react, and posts them back. See start.ts.
import { parentPort } from 'node:worker_threads';
import { isInputError } from '../io/errors.js';
import { campaignDir, loadCampaign } from '../io/files.js';
import { cachedCampaign } from '../io/campaign-cache.js';
import { openPersistence } from './persistence.js';
import type { BootData, BootReply } from './start.js';

/** The campaign: the build's validated copy when the files are unchanged, else loadCampaign. */
export function loadCampaignFast(dir = campaignDir()) {
  return cachedCampaign(dir) ?? loadCampaign(dir).map((e) => e.level);
}

export function bootData(): BootData {
  const campaign = loadCampaignFast();
  const ports = openPersistence();
  return { campaign, settings: ports.settings(), progress: ports.loadProgress(), warnings: [...ports.warnings] };
}

function reply(): BootReply {
  try {
    return { ok: true, data: bootData() };
  } catch (err) {
    return { ok: false, input: isInputError(err), message: String((err as Error)?.message ?? err) };
  }
}

parentPort?.postMessage(reply());
