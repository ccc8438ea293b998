// The pack's command line (`btcw`, and the npm scripts). It checks Node's version before anything
// else loads: Artillery 2.0.34 and the pack use Node 22 modules (node:sqlite), which Node 20 cannot even
// link, so a static import would fail with "No such built-in module" before any line of ours ran.

import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  console.error(`btcw: ${problem}`);
  process.exitCode = 2;
} else {
  await import('./dispatch.js');
}
