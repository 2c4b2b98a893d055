// The start-up shortcuts: the build's validated campaign and the settings snapshot are
// used only while the files they were taken from have exactly the same bytes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignDir, loadCampaign } from '../../src/io/files.js';
import { cachedCampaign, writeCampaignCache } from '../../src/io/campaign-cache.js';
import { openPersistence } from '../../src/tui/persistence.js';
import { configFile, readSnapshot, snapshotFile } from '../../src/io/snapshot.js';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true }); });
const temp = () => { const d = mkdtempSync(join(tmpdir(), 'pvlab-startup-')); temps.push(d); return d; };

describe('start-up shortcuts', () => {
  it('rule: the validated campaign is reused only while every level file has the same bytes', () => {
    const dir = temp();
    const levels = join(dir, 'levels');
    cpSync(campaignDir(), levels, { recursive: true });
    const names = loadCampaign(levels).map((e) => e.file.split('/').pop()!);
    const cache = join(dir, 'cache.json');
    writeCampaignCache(levels, loadCampaign(levels).map((e) => ({ name: e.file, level: e.level })), cache);
    expect(readFileSync(cache, 'latin1')).toMatch(/^[\x20-\x7e]*$/); // read as one byte per character
    expect(cachedCampaign(levels, cache)?.map((l) => l.id)).toEqual(loadCampaign(levels).map((e) => e.level.id));
    writeFileSync(join(levels, names[0]!), readFileSync(join(levels, names[0]!), 'utf8').replace('"title"', ' "title"'));
    expect(cachedCampaign(levels, cache)).toBeNull(); // one byte more: the full check
    cpSync(campaignDir(), levels, { recursive: true });
    expect(cachedCampaign(levels, cache)).not.toBeNull();
    const last = join(levels, names[names.length - 1]!);
    writeFileSync(last, readFileSync(last, 'utf8').replace('"title": "', '"title": "X').replace(/ ?\}\s*$/, '}\n'));
    expect(cachedCampaign(levels, cache)).toBeNull(); // other bytes (the size may match): the full check
    cpSync(campaignDir(), levels, { recursive: true });
    writeFileSync(join(levels, 'zz-extra.json'), '{}');
    expect(cachedCampaign(levels, cache)).toBeNull(); // a file more
  });

  it('rule: the settings snapshot is used only while the settings file has the same bytes', () => {
    const dir = temp();
    const env = { PVLAB_CONFIG_DIR: dir };
    const prev = process.env.PVLAB_CONFIG_DIR;
    process.env.PVLAB_CONFIG_DIR = dir;
    try {
      const p = openPersistence({ cwd: dir });
      p.updateSettings({ playerName: 'ada' });
      expect(readSnapshot(configFile(env))).toBeNull(); // none taken yet
      p.saveSnapshot();
      expect(readSnapshot(configFile(env))?.settings.playerName).toBe('ada');
      p.updateSettings({ playerName: 'bob' }); // the store changed the file
      expect(readSnapshot(configFile(env))).toBeNull();
      p.saveSnapshot();
      expect(readSnapshot(configFile(env))?.settings.playerName).toBe('bob');
      expect(snapshotFile(configFile(env))).toBe(join(dir, 'tui-snapshot.json'));
    } finally {
      process.env.PVLAB_CONFIG_DIR = prev;
    }
  });
});
