// Types of scripts/import-cycles.mjs (for its test).
export function importGraph(root: string): Map<string, string[]>;
export function importCycles(root: string): string[][];
