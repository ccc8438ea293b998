// The Node version check that runs before the command line loads anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINIMUM_NODE, nodeVersionProblem } from '../../cli/node-version.js';

describe('node version', () => {
  it('accepts the minimum and anything newer', () => {
    for (const version of [MINIMUM_NODE, '22.18.1', '22.23.3', '23.0.0', '24.1.0', 'v22.19.0'])
      assert.equal(nodeVersionProblem(version), undefined, version);
  });

  it('refuses older versions with one line naming the fix', () => {
    for (const version of ['20.20.2', '22.17.9', '21.99.0', '18.0.0']) {
      const problem = nodeVersionProblem(version);
      assert.ok(problem, version);
      assert.doesNotMatch(problem, /\n/);
      assert.match(problem, new RegExp(`needs Node >= 22\\.18\\.0, this is ${version}`));
      assert.match(problem, /npm run/);
    }
  });
});
