// What `artillery run-fargate` / `run-lambda` would upload for each profile, listed by
// Artillery's own createBOM called as those commands call it, holds the compiled processors, the plugin
// package and the targets, asks the workers to install no dev-only module, and loads on its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { importClosure, stageBundle } from '../../commands/bundle.js';
import { CLI, ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { type Bom, fargateBundle, lambdaBundle, parseScriptYaml } from '../../runner/artillery-internals.js';
import { profileNames } from '../../runner/profiles.js';

const rootPkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const yamlOf = (file: string) => parseScriptYaml(readFileSync(file, 'utf8')) as Record<string, any>;
const PLUGIN = 'artillery-plugin-btcw-targets';
const ENGINE = 'artillery-engine-btcw';
/** What the containers may install: the code's run-time imports, the plugin and the engine, nothing else. */
const ALLOWED_MODULES = ['@faker-js/faker', ENGINE, PLUGIN, 'undici', 'yaml', 'zod'];

function bundleCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'bundle', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
  });
}

describe('the cloud bundle (npm run bundle) as run-fargate and run-lambda upload it', () => {
  let dir: string;
  const fargate = new Map<string, Bom>();

  before(async () => {
    dir = path.join(tempDir('btcw-bundle-'), 'cloud');
    const result = bundleCli(['--out', dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /bundle written to/);
    for (const profile of profileNames())
      fargate.set(profile, await fargateBundle(path.join(dir, `${profile}.yml`)));
  });

  it('each profile’s bundle: the entry, the processors and all they import, the plugin, the targets', () => {
    const closure = importClosure(['processors/index.js', 'plugin/index.js', 'engine/index.js']).files;
    assert.ok(closure.includes('engine/engine.js'), 'the engine package is in the bundle');
    assert.ok(closure.includes('processors/index.js') && closure.includes('lib/btcw-client.js'));
    for (const [profile, bom] of fargate) {
      const files = bom.files.map((f) => f.noPrefixPosix).sort();
      const expected = [
        `${profile}.yml`,
        ...closure,
        'plugin/package.json',
        'engine/package.json',
        'config/targets.yml',
        'package.json',
      ];
      assert.deepEqual(files, expected.sort(), profile);
      // The bundle's root is its own folder: nothing from the rest of the repo, no other profile.
      for (const file of bom.files) assert.equal(file.orig, path.join(dir, file.noPrefix));
    }
  });

  it('the workers install only run-time dependencies, at the pack’s versions: no dev-only module', () => {
    const dev = Object.keys(rootPkg.devDependencies);
    for (const [profile, bom] of fargate) {
      assert.deepEqual([...bom.modules].sort(), ALLOWED_MODULES, profile);
      assert.deepEqual(
        bom.modules.filter((m) => dev.includes(m) || m === 'node' || m === 'bcryptjs'),
        [],
      );
    }
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies, undefined);
    for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>)) {
      if (name === PLUGIN) assert.equal(version, 'file:plugin', 'npm links the uploaded plugin folder');
      else if (name === ENGINE) assert.equal(version, 'file:engine', 'npm links the uploaded engine folder');
      else assert.equal(version, rootPkg.dependencies[name], name);
    }
  });

  it('run-lambda lists the same bundle; its --dotenv file must sit inside the bundle folder', async () => {
    const smoke = path.join(dir, 'smoke.yml');
    const lambda = await lambdaBundle(smoke);
    const names = (b: Bom) => b.files.map((f) => f.noPrefixPosix).sort();
    assert.deepEqual(names(lambda), names(fargate.get('smoke')!));
    assert.deepEqual([...lambda.modules].sort(), ALLOWED_MODULES);

    // run-lambda uploads the dotenv file and passes its base name to the workers: inside the folder it
    // lands at the bundle's root; outside, the common folder of all files becomes the root, and the
    // bundle's package.json is no longer the one uploaded.
    const inside = path.join(dir, 'staging.env');
    writeFileSync(inside, 'BTCW_TARGET=https://staging.example.com\n');
    const withEnv = await lambdaBundle(smoke, { dotenv: inside });
    assert.ok(names(withEnv).includes('staging.env'));
    assert.ok(names(withEnv).includes('package.json') && names(withEnv).includes('smoke.yml'));

    const elsewhere = path.join(path.dirname(dir), 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(path.join(elsewhere, 'staging.env'), 'BTCW_TARGET=https://staging.example.com\n');
    const moved = await lambdaBundle(smoke, { dotenv: path.join(elsewhere, 'staging.env') });
    assert.ok(names(moved).includes('cloud/smoke.yml'), names(moved).join(' '));
    assert.ok(!names(moved).includes('package.json'), 'the workers would install from no package.json');

    // run-fargate passes the dotenv values as container variables instead of uploading the file.
    const fargateEnv = await fargateBundle(smoke, { dotenv: inside });
    assert.deepEqual(names(fargateEnv), names(fargate.get('smoke')!));
  });

  it('each entry is its profile, the flows and the environments as `artillery run -i` merges them', () => {
    const flows = yamlOf(path.join(ROOT, 'scenarios', 'flows.yml'));
    const envs = yamlOf(path.join(ROOT, 'config', 'environments.yml'));
    for (const profile of fargate.keys()) {
      const entry = yamlOf(path.join(dir, `${profile}.yml`));
      const own = yamlOf(path.join(ROOT, 'scenarios', `${profile}.yml`));
      assert.deepEqual(entry.scenarios, flows.scenarios, profile);
      assert.deepEqual(entry.before, flows.before);
      assert.deepEqual(entry.after, flows.after);
      assert.deepEqual(entry.config.phases, own.config.phases);
      assert.deepEqual(entry.config.environments, envs.config.environments);
      // the profile's own engine, with no run plan in a container
      const engineWeights = ['load', 'stress', 'spike', 'capacity'].includes(profile)
        ? { http: 0, btcw: 1 }
        : { http: 1, btcw: 0 };
      assert.deepEqual(entry.config.variables, {
        ...own.config.variables,
        ...flows.config.variables,
        engineWeights,
      });
      assert.equal(entry.config.processor, './processors/index.js');
      assert.equal(entry.config.plugins['btcw-targets'].targets, 'config/targets.yml');
    }
  });

  it('the uploaded files load on their own: the plugin package and the processors', async () => {
    const testData = tempDir('btcw-test-data-');
    stageBundle(fargate.get('smoke')!, testData);
    // Resolved as Artillery's plugin loader resolves it through the workers' NODE_PATH.
    const resolved = createRequire(path.join(testData, 'x.js')).resolve(PLUGIN);
    assert.equal(realpathSync(resolved), realpathSync(path.join(testData, 'plugin', 'index.js')));
    const plugin = await import(pathToFileURL(resolved).href);
    assert.equal(typeof plugin.Plugin, 'function');
    assert.equal(plugin.LEGACY_METRICS_FORMAT, false);
    const processors = await import(pathToFileURL(path.join(testData, 'processors', 'index.js')).href);
    for (const fn of ['beginRun', 'endRun', 'startUser', 'nextTask'])
      assert.equal(typeof processors[fn], 'function', fn);
    assert.ok(readFileSync(path.join(testData, 'config', 'targets.yml'), 'utf8').length > 0);
  });

  it('bad input gets one line and exit 2', () => {
    const unknown = bundleCli(['nosuch', '--out', path.join(tempDir('btcw-bundle-bad-'), 'b')]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^btcw: unknown profile "nosuch": use one of .*\n$/);
    const notABundle = tempDir('btcw-bundle-bad-');
    writeFileSync(path.join(notABundle, 'keep.txt'), 'mine');
    const refused = bundleCli(['--out', notABundle]);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /^btcw: .* is not a bundle written by npm run bundle: choose another --out\n$/,
    );
    assert.equal(readFileSync(path.join(notABundle, 'keep.txt'), 'utf8'), 'mine');
  });
});
