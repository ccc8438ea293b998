// Single-letter names outside short lambdas: `runStep(run, o, …)` makes a reader look up what `o` is.
// A binding (variable, parameter, function, catch or loop variable, destructured name) of one letter
// is allowed only as a parameter of an arrow function that fits on one line, where its meaning is
// beside it. Type parameters (`T`) are a convention and stay allowed.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type ts from 'typescript';

const require = createRequire(import.meta.url);
let loaded: typeof ts | undefined;
// Loaded with require, and only when a file needs parsing: an ESM import of this 9 MB CommonJS file makes
// Node scan all of it for its export names and module syntax first (0.55 s against 0.3 s).
const tsApi = (): typeof ts => {
  loaded ??= require('typescript') as typeof ts;
  return loaded;
};

export interface ShortName {
  file: string;
  line: number;
  name: string;
}

function isShortLambdaParameter(node: ts.Node, source: ts.SourceFile): boolean {
  const typescript = tsApi();
  const parameter = node.parent;
  if (!typescript.isParameter(parameter)) return false;
  const lambda = parameter.parent;
  if (!typescript.isArrowFunction(lambda)) return false;
  const start = source.getLineAndCharacterOfPosition(lambda.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(lambda.getEnd()).line;
  return start === end;
}

/** Every single-letter binding of one file that is not a short lambda's parameter. */
export function shortNames(file: string, text: string): ShortName[] {
  const typescript = tsApi();
  const source = typescript.createSourceFile(file, text, typescript.ScriptTarget.Latest, true);
  const found: ShortName[] = [];
  const visit = (node: ts.Node): void => {
    if (
      typescript.isIdentifier(node) &&
      node.text.length === 1 &&
      node.text !== '_' &&
      isBindingName(node) &&
      !isShortLambdaParameter(node, source)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ file, line, name: node.text });
    }
    typescript.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isBindingName(node: ts.Identifier): boolean {
  const typescript = tsApi();
  const parent = node.parent;
  if (
    typescript.isVariableDeclaration(parent) ||
    typescript.isParameter(parent) ||
    typescript.isFunctionDeclaration(parent) ||
    typescript.isClassDeclaration(parent)
  )
    return parent.name === node;
  // `{ a, b: c }` and `[a, b]`: the bound name, not the property read.
  if (typescript.isBindingElement(parent)) return parent.name === node;
  return false;
}

type Cache = { rules: string; files: Record<string, { hash: string; found: ShortName[] }> };

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * shortNames of every file, with each unchanged file's answer taken from `cacheFile` (by its text's hash,
 * under a key of these rules and the parser's version), as linters keep theirs: parsing the whole pack
 * costs about 1.2 CPU-s, most of it the parser warming up.
 */
export function shortNamesOfFiles(files: ReadonlyMap<string, string>, cacheFile: string): ShortName[] {
  const rules = sha1(
    readFileSync(fileURLToPath(import.meta.url), 'utf8') + require('typescript/package.json').version,
  );
  let cache: Cache = { rules, files: {} };
  try {
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cache;
    if (stored.rules === rules) cache = stored;
  } catch {
    // no cache yet, or an unreadable one: every file is parsed
  }
  const next: Cache = { rules, files: {} };
  const found: ShortName[] = [];
  for (const [file, text] of files) {
    const hash = sha1(text);
    const kept = cache.files[file];
    const names = kept?.hash === hash ? kept.found : shortNames(file, text);
    next.files[file] = { hash, found: names };
    found.push(...names);
  }
  writeFileSync(cacheFile, JSON.stringify(next));
  return found;
}
