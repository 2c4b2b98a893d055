// Who an imported solution belongs to: the importer saves it as theirs and credits the
// sharer ("via ada" on the board), so no file names an author other than the folder it
// is in. One rule for `pvlab import` and the game's import. Pure: no zod, no files (the
// game's bundle imports it).

/** The solution as the importer `me` saves it; without a player name of one's own it stays as shared. */
export function creditedTo<T extends { author?: string | undefined; via?: string | undefined }>(sol: T, me: string): T {
  const self = me.trim();
  const sharer = sol.via || sol.author || '';
  if (!self || !sharer || sharer === self) return sol;
  return { ...sol, author: self, via: sharer };
}
