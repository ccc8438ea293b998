// The oldest Node the pack runs on, and the one line a user on an older one sees.

/** Artillery 2.0.34's own `engines` field. */
export const MINIMUM_NODE = '22.18.0';

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** Undefined when `version` (e.g. process.versions.node) is new enough, else the line to print. */
export function nodeVersionProblem(version: string): string | undefined {
  const have = parts(version);
  const need = parts(MINIMUM_NODE);
  for (let index = 0; index < need.length; index += 1) {
    const diff = (have[index] ?? 0) - (need[index] ?? 0);
    if (diff > 0) return undefined;
    if (diff < 0) {
      return (
        `needs Node >= ${MINIMUM_NODE}, this is ${version}: run it through npm run <script> ` +
        '(npm scripts use the Node 22 that npm ci put in node_modules/.bin), or npx btcw'
      );
    }
  }
  return undefined;
}
