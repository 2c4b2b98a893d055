// Levels beside the campaign in the game: a level file given to `pvlab play <file>` and the
// levels of the settings' workshop (its levels/ folder). They form a chapter of their own
// after the campaign's last, are open from the start (a workshop's own level does not wait
// for the campaign) and are never where "continue" goes. Pure.
import type { Level } from '../io/schema.js';

export const CUSTOM_CHAPTER_TITLE = 'Custom levels';

/** The campaign with the custom levels as its last chapter, and their ids; a custom level may not reuse a campaign id (null: which one does). */
export function withCustomChapter(campaign: readonly Level[], custom: readonly Level[]): { campaign: Level[]; customIds: string[] } | { clash: string } {
  const ids = new Set(campaign.map((l) => l.id));
  const clash = custom.find((l) => ids.has(l.id));
  if (clash) return { clash: clash.id };
  const seen = new Set<string>();
  const extra = custom.filter((l) => (seen.has(l.id) ? false : (seen.add(l.id), true)));
  const chapter = Math.min(99, Math.max(0, ...campaign.map((l) => l.chapter)) + 1);
  return {
    campaign: [...campaign, ...extra.map((l, i) => ({ ...l, chapter, chapterTitle: CUSTOM_CHAPTER_TITLE, order: i, optional: true }))],
    customIds: extra.map((l) => l.id),
  };
}
