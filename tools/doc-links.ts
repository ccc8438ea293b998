// Finds the relative links of Markdown files that do not resolve: a file or folder that does not exist, a
// path that leaves the repository, or a `#anchor` that matches no heading of the Markdown file it names.
// Pure over a DocTree, so a test can hand it files in memory; anchors follow GitHub's slugs (github-slugger),
// and marked's lexer tells links from code, so an example in backticks or a fence is not taken for a link.
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { Lexer, marked, type Token } from 'marked';

export interface DocTree {
  /** Whether a path relative to the repository ('/'-separated, no leading '/') is a file or a folder. */
  exists(rel: string): boolean;
  /** The text of a Markdown file that exists. */
  read(rel: string): string;
}

/** The text a heading renders to: its words and code spans, without Markdown's markers. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens);
      return token.type === 'text' || token.type === 'codespan' || token.type === 'escape' ? token.text : '';
    })
    .join('');
}

/** The anchors of a Markdown text's headings, as GitHub makes them (a repeated heading gets -1, -2, ...). */
export function anchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  marked.walkTokens(Lexer.lex(markdown), (token) => {
    if (token.type === 'heading') out.add(slugger.slug(plainText(token.tokens ?? [])));
  });
  return out;
}

/** The targets of a Markdown text's links and images (reference links resolved), code excluded. */
export function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  marked.walkTokens(Lexer.lex(markdown), (token) => {
    if (token.type === 'link' || token.type === 'image') out.push(token.href);
  });
  return out;
}

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** The repository path a link's path part names, from the file it is in ('' is the file itself). */
function linkedPath(file: string, pathPart: string): string {
  if (pathPart === '') return file;
  const joined = pathPart.startsWith('/')
    ? pathPart.slice(1)
    : path.posix.join(path.posix.dirname(file), pathPart);
  return path.posix.normalize(joined).replace(/\/$/, '') || '.';
}

/** One line per link of `files` that does not resolve: `file:line: target: why`. */
export function brokenLinks(files: readonly string[], tree: DocTree): string[] {
  const anchorsOf = new Map<string, Set<string>>();
  const headings = (rel: string): Set<string> => {
    const known = anchorsOf.get(rel);
    if (known) return known;
    const found = anchors(tree.read(rel));
    anchorsOf.set(rel, found);
    return found;
  };
  const broken: string[] = [];
  for (const file of files) {
    const text = tree.read(file);
    // Where each link is, for the message: a repeated target is looked for after its previous place.
    const searchFrom = new Map<string, number>();
    for (const href of linkTargets(text)) {
      const from = searchFrom.get(href) ?? 0;
      const inline = text.indexOf(`(${href}`, from);
      const at = inline < 0 ? text.indexOf(href, from) : inline;
      searchFrom.set(href, at + 1);
      if (EXTERNAL.test(href)) continue;
      const where = `${file}:${at < 0 ? '?' : text.slice(0, at).split('\n').length}: ${href}`;
      const hash = href.indexOf('#');
      const rel = linkedPath(file, decodeURI(hash < 0 ? href : href.slice(0, hash)));
      const anchor = hash < 0 ? null : decodeURIComponent(href.slice(hash + 1));
      if (rel === '..' || rel.startsWith('../')) broken.push(`${where}: leaves the repository`);
      else if (!tree.exists(rel)) broken.push(`${where}: ${rel} does not exist`);
      else if (anchor !== null && /\.md$/i.test(rel) && !headings(rel).has(anchor))
        broken.push(`${where}: no heading of ${rel} has the anchor #${anchor}`);
    }
  }
  return broken;
}
