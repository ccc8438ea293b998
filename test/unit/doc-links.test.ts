// Every relative link of the README, BENCHMARKS.md and the guides in docs/ resolves: the file or folder
// exists inside the repository, and a #anchor names a heading of the Markdown file it points at.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../lib/root.js';
import { anchors, brokenLinks, type DocTree, linkTargets } from '../../tools/doc-links.js';

const repoTree: DocTree = {
  exists: (rel) => existsSync(path.join(ROOT, rel)),
  read: (rel) => readFileSync(path.join(ROOT, rel), 'utf8'),
};

const memoryTree = (files: Record<string, string>, folders: string[] = []): DocTree => ({
  exists: (rel) => rel in files || folders.includes(rel),
  read: (rel) => files[rel] ?? '',
});

/** The Markdown files whose links are checked: the front page, the benchmarks and every guide. */
function docFiles(): string[] {
  const guides = readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f.split(path.sep).join('/')}`);
  return ['README.md', 'BENCHMARKS.md', ...guides.sort()];
}

describe('links in the documentation', () => {
  it('every relative link and anchor of README.md, BENCHMARKS.md and docs/**/*.md resolves', () => {
    const files = docFiles();
    assert.ok(files.length > 3, `only ${files.join(', ')}: the guides in docs/ were not found`);
    assert.deepEqual(brokenLinks(files, repoTree), []);
  });

  it('the README links every guide in docs/', () => {
    const linked = new Set(linkTargets(repoTree.read('README.md')).map((href) => href.split('#')[0]));
    const unlinked = docFiles().filter((f) => f.startsWith('docs/') && !linked.has(f));
    assert.deepEqual(unlinked, [], 'guides the front page does not link');
  });

  it('reports a missing file, a missing anchor and a path out of the repository, with its line', () => {
    const tree = memoryTree({
      'README.md': [
        '# Front',
        '',
        '[a](docs/run.md)',
        '[b](docs/gone.md)',
        '[c](docs/run.md#options)',
        '[d](../x.md)',
        '[b again](docs/gone.md)',
      ].join('\n'),
      'docs/run.md': '# Running\n\n## Flags\n\n[back](../README.md#front) [e](#nowhere)\n',
    });
    assert.deepEqual(brokenLinks(['README.md', 'docs/run.md'], tree), [
      'README.md:4: docs/gone.md: docs/gone.md does not exist',
      'README.md:5: docs/run.md#options: no heading of docs/run.md has the anchor #options',
      'README.md:6: ../x.md: leaves the repository',
      'README.md:7: docs/gone.md: docs/gone.md does not exist',
      'docs/run.md:5: #nowhere: no heading of docs/run.md has the anchor #nowhere',
    ]);
  });

  it('takes folders, images, reference links and encoded paths; skips URLs and code', () => {
    const tree = memoryTree(
      {
        'README.md': [
          '# Pack',
          '[ci](docs/ci/) ![shot](docs/shot%201.png) [ref][r] [web](https://example.com/x.md)',
          '[mail](mailto:a@example.com) `[code](nope.md)`',
          '```md',
          '[fenced](nope.md)',
          '```',
          '[r]: docs/guide.md#the-rule',
        ].join('\n'),
        'docs/shot 1.png': '',
        'docs/guide.md': '## The rule\n',
      },
      ['docs/ci'],
    );
    assert.deepEqual(brokenLinks(['README.md'], tree), []);
    const withBadRef = memoryTree({ 'README.md': '[ref][r]\n\n[r]: docs/guide.md\n' });
    assert.deepEqual(brokenLinks(['README.md'], withBadRef), [
      'README.md:3: docs/guide.md: docs/guide.md does not exist',
    ]);
  });

  it("makes anchors as GitHub does: lower case, no punctuation, code's text kept, repeats numbered", () => {
    const md = [
      '# Locust → Artillery mapping',
      '## What a run does, and what it leaves behind',
      '## The `evaluate` command',
      '## Worker threads',
      '## Worker threads',
      '## [Linked](x.md) and **bold**',
      '```',
      '# not a heading',
      '```',
    ].join('\n');
    assert.deepEqual(
      [...anchors(md)],
      [
        'locust--artillery-mapping',
        'what-a-run-does-and-what-it-leaves-behind',
        'the-evaluate-command',
        'worker-threads',
        'worker-threads-1',
        'linked-and-bold',
      ],
    );
  });
});
