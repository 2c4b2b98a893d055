// The import graph of src/: every static `import ... from './x.js'` and `export ... from`
// between the project's files that loads a module. Left out: `import type` / `export type`
// (erased by tsc: a screen's module takes `State` as a type from state.ts, which imports
// the screen's key handler) and import() (loaded later, on purpose). `node scripts/import-cycles.mjs`
// prints each cycle and exits 1 if there is one; `npm test` runs the same check
// (test/tooling/import-cycles.test.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT = /^\s*(?:import|export)\b(?!\s+type\b)[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** `./x.js` as the source file it names (x.ts or x.tsx). */
function target(from, spec) {
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  return ['.ts', '.tsx'].map((x) => base + x).find((p) => existsSync(p));
}

/** The project's import graph: file -> the files it imports (paths relative to root). */
export function importGraph(root) {
  const graph = new Map();
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const deps = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const t = target(file, m[1] ?? m[2]);
      if (t) deps.add(relative(root, t));
    }
    graph.set(relative(root, file), [...deps].sort());
  }
  return graph;
}

/** Every cycle of the graph (one per strongly connected component of more than one file, or a file importing itself). */
export function importCycles(root) {
  const graph = importGraph(root);
  // Tarjan's strongly connected components
  let n = 0;
  const index = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    index.set(v, n); low.set(v, n); n++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cycles = importCycles(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  for (const c of cycles) console.log(`import cycle: ${c.join(' <-> ')}`);
  if (!cycles.length) console.log('no import cycle in src/');
  process.exit(cycles.length ? 1 : 0);
}
