// scenarios/flows.yml, the mapping table of docs/locust-mapping.md and the targets' login list come from the
// class definitions: they must be up to date, and the definitions must say what the flows do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CLASS_DEFINITIONS } from '../../processors/catalogue.js';
import { request, requestNames, task, userClass } from '../../processors/user-class.js';
import { classFiles, flowsYaml, passwordLoginNames, RELOGIN } from '../../tools/flows-yaml.js';
import { CLASS_INDEX, generated } from '../../tools/generate-flows.js';

describe('generated from processors/classes', () => {
  it('flows.yml, the mapping table and the targets login list are up to date (npm run build)', () => {
    for (const [file, text] of generated()) {
      assert.ok(readFileSync(file, 'utf8') === text, `${file} is out of date: run npm run build`);
    }
  });

  it('flows.yml is valid YAML with one block per class and every request name of its definition', () => {
    const files = classFiles(readFileSync(CLASS_INDEX, 'utf8'));
    const doc = parse(flowsYaml(CLASS_DEFINITIONS, files)) as { scenarios: Array<{ flow: unknown[] }> };
    const flow = doc.scenarios[0]!.flow;
    const names = (node: unknown, out: Set<string>): Set<string> => {
      if (Array.isArray(node)) for (const item of node) names(item, out);
      else if (node && typeof node === 'object') {
        const object = node as Record<string, unknown>;
        if (typeof object.name === 'string' && typeof object.url === 'string') out.add(object.name);
        for (const value of Object.values(object)) names(value, out);
      }
      return out;
    };
    for (const cls of CLASS_DEFINITIONS) {
      const block = flow.find((s) => (s as { over?: string }).over === `cls.${cls.name}`);
      assert.ok(block, `no block for ${cls.name}`);
      const sent = names(block, new Set());
      const expected = new Set(requestNames(cls));
      if (cls.login !== null) expected.add(RELOGIN);
      assert.deepEqual([...sent].sort(), [...expected].sort(), cls.name);
    }
  });

  it("names each class's own file in its flows.yml comment, as classes/index.ts exports it", () => {
    const files = classFiles("export { default as APIMonitorUser } from './monitor.js';\n");
    assert.deepEqual([...files], [['APIMonitorUser', 'monitor.ts']]);
    const yaml = flowsYaml(
      CLASS_DEFINITIONS.filter((c) => c.name === 'APIMonitorUser'),
      files,
    );
    assert.match(yaml, /# ---- APIMonitorUser \(processors\/classes\/monitor\.ts\)/);
    assert.throws(() => flowsYaml(CLASS_DEFINITIONS, files), /StrategyReadUser|has no export line/);
  });

  it('gives every request that sends the password the login target, and no other', () => {
    assert.deepEqual(passwordLoginNames(CLASS_DEFINITIONS), [
      'POST /auth/token [ADMIN LOGIN]',
      'POST /auth/token [LOGIN AT START]',
      'POST /auth/token [LOGIN]',
      'POST /auth/token [MONITOR LOGIN]',
      'POST /auth/token [RAPID LOGIN]',
      'POST /auth/token [REAL USER LOGIN]',
      'POST /auth/token [RELOGIN]',
    ]);
  });

  it('refuses definitions flows.yml cannot express', () => {
    assert.throws(
      () => request('POST /x [A]', '/x', { form: 'user', body: { kind: 'rapidSignal' } }),
      /login form and a body/,
    );
    assert.throws(
      () => request('GET /x [A]', '/x', { pick: { list: 'signals' }, after: 'rememberCreated' }),
      /pick and after/,
    );
    assert.throws(
      () =>
        userClass({
          name: 'NoLoginUser',
          module: 'auth',
          comprehensive: false,
          thinkSeconds: [1, 2],
          login: null,
          tasks: [task('X-1', 1, request('GET /auth/me [ME]', '/auth/me'))],
        }),
      /no login, but "GET \/auth\/me \[ME\]" sends its token/,
    );
  });

  it('refuses a request name that does not follow "METHOD /path [LABEL]"', () => {
    assert.throws(() => request('GET strategies [LIST]', '/strategies/'), /METHOD \/path \[LABEL\]/);
    assert.throws(() => request('FETCH /strategies/ [LIST]', '/strategies/'), /METHOD/);
    assert.equal(request('DELETE /strategies/{id} [DELETE]', '/strategies/1').method, 'DELETE');
  });
});
