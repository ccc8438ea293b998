// Every function name scenarios/flows.yml hands to Artillery (function steps, whileTrue, beforeRequest,
// afterResponse, onError) and every one the btcw engine looks up must exist in the processor module that
// flows.yml loads, or a run fails only when a user reaches that step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { compilePrograms } from '../../engine/program.js';
import { ROOT } from '../../lib/root.js';
import { CLASS_DEFINITIONS } from '../../processors/catalogue.js';

const FLOWS = path.join(ROOT, 'scenarios', 'flows.yml');
const HOOK_KEYS = new Set(['function', 'whileTrue', 'beforeRequest', 'afterResponse', 'onError']);

function hookNames(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) hookNames(item, out);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (!HOOK_KEYS.has(key)) hookNames(value, out);
      else for (const name of [value].flat()) if (typeof name === 'string') out.add(name);
    }
  return out;
}

test('every hook name in flows.yml is a function of the processor module it loads', async () => {
  const doc = parse(readFileSync(FLOWS, 'utf8')) as { config: { processor: string } };
  const processor = (await import(
    pathToFileURL(path.resolve(path.dirname(FLOWS), doc.config.processor)).href
  )) as Record<string, unknown>;
  const names = hookNames(doc, new Set());
  assert.ok(names.size >= 15, `found the flows' hooks: ${[...names].join(', ')}`);
  const missing = [...names].filter((n) => typeof processor[n] !== 'function');
  assert.deepEqual(missing, [], 'named in flows.yml but not exported by processors/index.ts');
  // The engine's own names (plans, call steps, loginErrored) resolve in the same module.
  assert.doesNotThrow(() =>
    compilePrograms(CLASS_DEFINITIONS, processor, {
      beforeRequest: [],
      afterResponse: ['watchUnauthorized'],
      onError: [],
    }),
  );
  assert.throws(
    () =>
      compilePrograms(
        CLASS_DEFINITIONS,
        { ...processor, pickId: undefined },
        {
          beforeRequest: [],
          afterResponse: [],
          onError: [],
        },
      ),
    /the processor module has no function "pickId"/,
  );
});
