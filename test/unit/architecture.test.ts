// The structure holds: no import circles between files, no folder importing one that imports it back,
// grading/ pure (no disk, no processes, no environment), no file name shared by two folders, no issue
// numbers in comments, no single-letter names outside short lambdas (a ratchet: see SHORT_NAME_CEILINGS).
// The rules are checked on made-up files first, so that each can be seen to fail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../harness/temp-dir.js';
import { ROOT } from '../../lib/root.js';
import {
  foldersImportingBack,
  importCircles,
  importGraph,
  impureFiles,
  issueNumberComments,
  sharedNames,
} from '../../tools/architecture.js';
import { type ShortName, shortNames, shortNamesOfFiles } from '../../tools/short-names.js';

const SOURCE_FOLDERS = [
  'bench',
  'cli',
  'commands',
  'config',
  'dashboard',
  'documents',
  'engine',
  'grading',
  'harness',
  'lib',
  'plugin',
  'processors',
  'reference-api',
  'report',
  'runner',
  'tools',
];
/** Top-level folders that hold no sources of the pack: installed packages, compiler and run output. */
const NOT_SOURCE = new Set(['node_modules', 'build', 'dist', 'results']);

function listTs(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) =>
      path.posix.join(path.relative(ROOT, entry.parentPath).split(path.sep).join('/'), entry.name),
    );
}

function read(files: string[]): Map<string, string> {
  return new Map(files.map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')] as const));
}

/** Every source file of the pack but the tests (test/ is checked for folders importing back only). */
const sources = read(SOURCE_FOLDERS.flatMap(listTs));

/** Every .ts file of the repository, tests and processors included: for the naming rule. */
const everySource = read(
  readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name))
    .flatMap((entry) => listTs(entry.name)),
);

/**
 * The most single-letter names (outside short lambdas) each folder may hold; test/ counts by subfolder.
 * The goal is 0 everywhere: a folder that has been cleaned is held at 0, and every other one at the count
 * it had when the rule came in, so its count can only go down. Lower a ceiling when you clean a folder;
 * a folder missing here (a new one) is held at 0.
 */
const SHORT_NAME_CEILINGS: Record<string, number> = {
  bench: 0, // cleaned
  cli: 0, // cleaned
  commands: 0, // cleaned
  dashboard: 0, // cleaned
  documents: 0, // cleaned
  engine: 0, // cleaned
  grading: 0, // cleaned
  harness: 0, // cleaned
  lib: 0, // cleaned
  plugin: 0, // cleaned
  processors: 0, // cleaned
  'reference-api': 0, // cleaned
  report: 0, // cleaned
  runner: 0, // cleaned
  'test/bench': 0, // cleaned
  'test/cli': 0, // cleaned
  'test/e2e': 0, // cleaned
  'test/helpers': 0, // cleaned
  'test/timing': 0, // cleaned
  'test/unit': 0, // cleaned
  tools: 0, // cleaned
};

/** `reference-api/db.ts` → `reference-api`; `test/unit/x.test.ts` → `test/unit`. */
function topFolder(file: string): string {
  const parts = file.split('/');
  return parts.slice(0, parts[0] === 'test' && parts.length > 2 ? 2 : 1).join('/');
}

describe('the rules, on made-up files', () => {
  const made = new Map([
    ['a/one.ts', "import { two } from './two.js';"],
    ['a/two.ts', "import type { one } from './one.js';\nimport { b } from '../b/three.js';"],
    ['b/three.ts', "export { x } from '../a/one.js';\nimport { readFileSync } from 'node:fs';"],
    ['b/four.ts', "// see issue #12\nconst home = process.env.HOME;\nconst none = import('./three.js');"],
    ['c/two.ts', 'export const lone = 1;'],
  ]);
  const graph = importGraph(made);

  it('finds a circle, type-only and re-export imports included', () => {
    assert.deepEqual(importCircles(graph), [['a/one.ts', 'a/two.ts', 'b/three.ts']]);
    assert.deepEqual(graph.get('b/four.ts'), ['b/three.ts']);
  });

  it('finds two folders importing each other', () => {
    assert.deepEqual(foldersImportingBack(graph), ['a <-> b']);
  });

  it('finds the disk and the environment', () => {
    assert.deepEqual(impureFiles(made), ['b/four.ts', 'b/three.ts']);
  });

  it('finds a name in two folders and an issue number in a comment', () => {
    assert.deepEqual([...sharedNames([...made.keys()])], [['two.ts', ['a/two.ts', 'c/two.ts']]]);
    assert.deepEqual(issueNumberComments(made.get('b/four.ts')!), ['// see issue #12']);
  });

  it("finds single-letter bindings, but not a one-line lambda's parameter nor a type parameter", () => {
    const text = [
      'const o = 1;',
      'const handle = (e: Error) => {',
      '  return e.message;',
      '};',
      'try { handle(new Error(String(o))); } catch (e) { throw e; }',
      'function f(x: number): number { return x; }',
      'const ys = [1, 2].map((x) => x + 1);',
      'function identity<T>(value: T): T { return value; }',
    ].join('\n');
    const found = shortNames('a/names.ts', text).map(({ line, name }) => `${line} ${name}`);
    assert.deepEqual(found, ['1 o', '2 e', '5 e', '6 f', '6 x']);
  });

  it('keeps the names of an unchanged file in its cache, and parses a changed one again', () => {
    const cacheFile = path.join(tempDir('btcw-names-'), 'cache.json');
    const names = (text: string) =>
      shortNamesOfFiles(new Map([['a/one.ts', text]]), cacheFile).map(({ name }) => name);
    assert.deepEqual(names('const o = 1;'), ['o']);
    // The cache answers for the same text: a name planted in it comes back.
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    cache.files['a/one.ts'].found.push({ file: 'a/one.ts', line: 1, name: 'q' });
    writeFileSync(cacheFile, JSON.stringify(cache));
    assert.deepEqual(names('const o = 1;'), ['o', 'q']);
    assert.deepEqual(names('const one = 1;'), [], 'a changed file is parsed again');
    writeFileSync(cacheFile, '{ not json');
    assert.deepEqual(names('const o = 1;'), ['o'], 'an unreadable cache is parsed past');
  });
});

describe('the pack', () => {
  const graph = importGraph(sources);

  it('has no import circle between its files', () => {
    assert.ok(sources.size > 100, `only ${sources.size} files read: the folder list is wrong`);
    assert.deepEqual(importCircles(graph), []);
  });

  it('has no folder importing one that imports it back, the tests included', () => {
    const tests = new Map([...everySource].filter(([file]) => file.startsWith('test/')));
    assert.ok(tests.size > 50, `only ${tests.size} test files read`);
    assert.deepEqual(foldersImportingBack(importGraph(new Map([...sources, ...tests]))), []);
  });

  it('keeps grading/ pure: no disk, processes or environment', () => {
    const grading = new Map([...sources].filter(([file]) => file.startsWith('grading/')));
    assert.ok(grading.size >= 6);
    assert.deepEqual(impureFiles(grading), []);
  });

  it('names no two files alike across folders, but for the index.ts entry points', () => {
    const shared = [...sharedNames([...sources.keys()])].filter(([name]) => name !== 'index.ts');
    assert.deepEqual(shared, []);
  });

  it('cites no issue numbers in comments', () => {
    const found = [...sources].flatMap(([file, text]) =>
      issueNumberComments(text).map((line) => `${file}: ${line}`),
    );
    assert.deepEqual(found, []);
  });

  it('uses no single-letter names outside short lambdas', () => {
    const byFolder = new Map<string, ShortName[]>();
    for (const found of shortNamesOfFiles(everySource, path.join(ROOT, 'build', '.short-names-cache.json'))) {
      const folder = topFolder(found.file);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), found]);
    }
    assert.ok(everySource.size > sources.size + 50, `only ${everySource.size} files read: tests missing?`);
    const scanned = new Set([...everySource.keys()].map(topFolder));
    const stale = Object.keys(SHORT_NAME_CEILINGS).filter((folder) => !scanned.has(folder));
    assert.deepEqual(stale, [], 'folders in SHORT_NAME_CEILINGS that hold no .ts file: renamed or gone?');
    const over = [...byFolder]
      .filter(([folder, found]) => found.length > (SHORT_NAME_CEILINGS[folder] ?? 0))
      .map(([folder, found]) => {
        const offenders = found.slice(0, 20).map(({ file, line, name }) => `  ${file}:${line} ${name}`);
        const ceiling = SHORT_NAME_CEILINGS[folder] ?? 0;
        return `${folder}: ${found.length} single-letter names, at most ${ceiling}:\n${offenders.join('\n')}`;
      });
    assert.ok(over.length === 0, `name what these hold (short lambdas may keep theirs):\n${over.join('\n')}`);
  });
});
