/**
 * Folder-level import cycles: `import-x/no-cycle` sees files, but two folders can depend on each
 * other through different files without any file cycle. This builds the graph of the folders
 * directly under each app's `src/` (an edge for every relative import from one into another) and
 * reports every cycle. Imports are read with TypeScript's own `preProcessFile`; the graph walk is
 * a few lines of Tarjan's algorithm (dependency-cruiser would do it too, at the cost of a new
 * dependency for one check).
 *
 * `npm run lint` runs it (`tsx tools/lint/folder-cycles.ts`); `folder-cycles.spec.ts` proves it fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Folder pairs known to depend on each other today, each with the issue that removes it. */
export const KNOWN_CYCLES: { folders: string[]; reason: string }[] = [];

/** Every `.ts` file below `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder under `<app>/src/` that holds `file`, or `null` for a file directly in `src/` (the app's wiring). */
function folderOf(srcDir: string, file: string): string | null {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? join(srcDir, parts[0]) : null;
}

/** folder → the folders it imports from, for the folders under each `apps/*\/src`. */
export function folderGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const app of readdirSync(join(root, 'apps'))) {
    const srcDir = join(root, 'apps', app, 'src');
    for (const file of sourceFiles(srcDir)) {
      const from = folderOf(srcDir, file);
      if (!from) continue;
      const edges = graph.get(from) ?? graph.set(from, new Set()).get(from)!;
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue; // packages and @app/common: not folders of an app
        const to = folderOf(srcDir, resolve(dirname(file), fileName));
        if (to && to !== from && !relative(srcDir, to).startsWith('..')) edges.add(to);
      }
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder: each is a set of folders that import each other. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The folder cycles of the tree at `root` once the imports between each {@link KNOWN_CYCLES} pair
 * are set aside, as readable lines (empty: none); and the known pairs that no longer import each other.
 */
export function folderCycleReport(root: string, known = KNOWN_CYCLES): { problems: string[]; stale: string[] } {
  const graph = folderGraph(root);
  const rel = (folder: string) => relative(root, folder).split(sep).join('/');
  const abs = (folder: string) => resolve(root, folder);
  const stale: string[] = [];
  for (const { folders: [a, b] } of known) {
    if (!(graph.get(abs(a))?.has(abs(b)) && graph.get(abs(b))?.has(abs(a)))) stale.push(`${a} <-> ${b}`);
    graph.get(abs(a))?.delete(abs(b));
    graph.get(abs(b))?.delete(abs(a));
  }
  const problems = cycles(graph).map((component) => {
    const members = new Set(component);
    const edges = component.flatMap((from) => [...(graph.get(from) ?? [])].filter((to) => members.has(to)).map((to) => `${rel(from)} -> ${rel(to)}`));
    return `folders that import each other: ${edges.join(', ')}`;
  });
  return { problems, stale };
}

if (require.main === module) {
  const { problems, stale } = folderCycleReport(resolve(__dirname, '../..'));
  for (const pair of stale) console.log(`folder cycles: the known cycle ${pair} is gone, drop it from KNOWN_CYCLES`);
  for (const problem of problems) console.error(problem);
  if (problems.length) {
    console.error(`${problems.length} folder cycle(s): move the shared piece into a folder both may import`);
    process.exit(1);
  }
  console.log(`folder cycles: none${KNOWN_CYCLES.length ? ` beyond the ${KNOWN_CYCLES.length} known one(s)` : ''}`);
}
