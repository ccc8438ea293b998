// The structure holds: no import circles between files, no folder importing one that imports it back,
// grading/ pure (no disk, no processes, no environment), no file name shared by two folders, no issue
// numbers in comments. The rules are checked on made-up files first, so that each can be seen to fail.
// processors/ and the flows generator are left out until their rework lands.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../lib/root.js';
import {
  foldersImportingBack,
  importCircles,
  importGraph,
  impureFiles,
  issueNumberComments,
  sharedNames,
} from '../../tools/architecture.js';

const SOURCE_FOLDERS = [
  'bench',
  'cli',
  'commands',
  'config',
  'dashboard',
  'documents',
  'grading',
  'lib',
  'plugin',
  'reference-api',
  'report',
  'runner',
  'tools',
];
const NOT_YET = new Set(['tools/generate-flows.ts', 'tools/flows-yaml.ts']);

function listTs(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) =>
      path.posix.join(path.relative(ROOT, entry.parentPath).split(path.sep).join('/'), entry.name),
    );
}

/** Every source file of the pack but processors/ and the tests (test/ is checked for circles only). */
const sources = new Map(
  SOURCE_FOLDERS.flatMap(listTs)
    .filter((file) => !NOT_YET.has(file))
    .map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')] as const),
);

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
});

describe('the pack', () => {
  const graph = importGraph(sources);

  it('has no import circle between its files', () => {
    assert.ok(sources.size > 100, `only ${sources.size} files read: the folder list is wrong`);
    assert.deepEqual(importCircles(graph), []);
  });

  it('has no folder importing one that imports it back', () => {
    assert.deepEqual(foldersImportingBack(graph), []);
  });

  it('keeps grading/ pure: no disk, processes or environment', () => {
    const grading = new Map([...sources].filter(([file]) => file.startsWith('grading/')));
    assert.ok(grading.size >= 6);
    assert.deepEqual(impureFiles(grading), []);
  });

  it('names no two files alike across folders', () => {
    assert.deepEqual([...sharedNames([...sources.keys()])], []);
  });

  it('cites no issue numbers in comments', () => {
    const found = [...sources].flatMap(([file, text]) =>
      issueNumberComments(text).map((line) => `${file}: ${line}`),
    );
    assert.deepEqual(found, []);
  });
});
