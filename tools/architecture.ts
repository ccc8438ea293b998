// The structure rules, as functions over a map of source files (path → text): which modules import which,
// the import circles between files, the folders that import each other, the files of one folder reading
// the disk or the environment, and file names shared across folders. test/unit/architecture.test.ts holds
// the repository to them.
import path from 'node:path';

export type Sources = ReadonlyMap<string, string>;

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a source imports or re-exports (static and dynamic). */
export function specifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? '');
}

/** The project files each file imports (relative specifiers only, `.js` resolved to the `.ts` source). */
export function importGraph(sources: Sources): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const targets = specifiers(text)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'),
      )
      .filter((target) => sources.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The import circles: strongly connected groups of more than one file, or a file importing itself. */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, counter);
    lowest.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(next)!));
      } else if (onStack.has(next)) lowest.set(file, Math.min(lowest.get(file)!, index.get(next)!));
    }
    if (lowest.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return circles;
}

/** A file's top-level folder (subfolders such as reference-api/routes belong to theirs). */
export const topFolder = (file: string): string => file.split('/')[0] ?? file;

/** Pairs of top-level folders that import each other, as "a <-> b" (a before b). */
export function foldersImportingBack(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const edges = new Set<string>();
  for (const [file, targets] of graph)
    for (const target of targets)
      if (topFolder(file) !== topFolder(target)) edges.add(`${topFolder(file)}>${topFolder(target)}`);
  const pairs: string[] = [];
  for (const edge of edges) {
    const [from, to] = edge.split('>') as [string, string];
    if (from < to && edges.has(`${to}>${from}`)) pairs.push(`${from} <-> ${to}`);
  }
  return pairs.sort();
}

const IMPURE = [/^node:(fs|child_process|worker_threads|net|http)/, /^(fs|child_process)(\/|$)/];

/** Files that read the disk, start processes or read the environment: what a pure folder must not do. */
export function impureFiles(sources: Sources): string[] {
  return [...sources]
    .filter(
      ([, text]) =>
        specifiers(text).some((spec) => IMPURE.some((rule) => rule.test(spec))) ||
        /\bprocess\.env\b/.test(text),
    )
    .map(([file]) => file)
    .sort();
}

/** File names used in more than one folder, with their paths. */
export function sharedNames(files: readonly string[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of files)
    byName.set(path.posix.basename(file), [...(byName.get(path.posix.basename(file)) ?? []), file]);
  return new Map([...byName].filter(([, paths]) => paths.length > 1));
}

/** Comment lines citing an issue by its number, which a reader of the code cannot follow. */
export function issueNumberComments(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s*(\/\/|\/?\*)/.test(line) && /(issue\s*#?\d+|#\d+\b)/i.test(line))
    .map((line) => line.trim());
}
