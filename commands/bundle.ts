// `npm run bundle`: writes build/cloud/, the folder `artillery run-fargate`, `run-lambda` and `run-aci`
// upload. Artillery's distributed engine hands each container one script (plus one --config file) and
// uploads the files its bundle builder (createBOM) finds, with the package.json of their common folder.
// The pack's three files (profile, flows, environments) and its repo-wide package.json (dev tools, the
// `node` binary) do not fit that, so the bundle is a folder of its own:
//   <profile>.yml      profile + flows + environments merged as `artillery run -i` merges them, with
//                      config.includeFiles naming the rest of the folder
//   processors/ lib/   the compiled processors and what they import
//   plugin/            artillery-plugin-btcw-targets as a package: its compiled JS and package.json
//   engine/            artillery-engine-btcw as a package, the same way
//   config/targets.yml the targets the plugin's worker half classifies requests with
//   package.json       only what that code imports (plugin and engine as file:), from the pack's
//                      dependencies at the same versions; no devDependencies

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { loadTargets } from '../documents/targets-file.js';
import { type FlagTable, HELP_FLAG, optionLines, parseFlags } from '../lib/flag-table.js';
import { engineVariables, resolveEngine } from '../lib/run-plan.js';
import { UsageError } from '../lib/usage-error.js';
import {
  type Bom,
  dumpScriptYaml,
  mergeLikeArtillery,
  parseScriptYaml,
} from '../runner/artillery-internals.js';
import {
  ENVIRONMENTS_FILE,
  FLOWS_FILE,
  loadProfile,
  profileNames,
  ROOT,
  TARGETS_FILE,
} from '../runner/profiles.js';

export const BUNDLE_DIR = path.join(ROOT, 'build', 'cloud');
const BUILD = path.join(ROOT, 'build');
const BUNDLE_NAME = 'btcw-cloud-bundle';
const PLUGIN_PACKAGE = 'artillery-plugin-btcw-targets';
const ENGINE_PACKAGE = 'artillery-engine-btcw';
/** What Artillery loads at run time: the flows' processor, the plugin and the engine. Paths in build/. */
const ENTRY_POINTS = ['processors/index.js', 'plugin/index.js', 'engine/index.js'];
/** Folders and files each entry's includeFiles names (createBOM expands folders). */
const INCLUDE = [
  'processors/',
  'lib/',
  'plugin/',
  'engine/',
  'grading/',
  'documents/',
  'report/console-verdict.js',
  'config/targets.yml',
];
/** Pre-installed in Artillery's worker images, and not imported at run time (types only). */
const PROVIDED = new Set(['artillery']);

export interface Bundle {
  dir: string;
  /** Profile name → entry file. */
  entries: Record<string, string>;
  /** Package name → version, as in the bundle's package.json (the plugin aside). */
  dependencies: Record<string, string>;
}

const SPECIFIER =
  /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s*['"]([^'"]+)['"]/g;

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The compiled files the entry points import, transitively, and the npm packages they import. */
export function importClosure(entries: string[]): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (rel: string, from: string) => {
    if (files.has(rel)) return;
    const abs = path.join(BUILD, rel);
    if (!existsSync(abs))
      throw new UsageError(`${from} imports build/${rel}, which does not exist: run "npm run build" first`);
    files.add(rel);
    for (const match of readFileSync(abs, 'utf8').matchAll(SPECIFIER)) {
      const spec = (match[1] ?? match[2] ?? match[3])!;
      if (spec.startsWith('.')) {
        const target = path.relative(BUILD, path.resolve(path.dirname(abs), spec));
        if (target.startsWith('..'))
          throw new UsageError(`build/${rel} imports ${spec}, outside build/: the bundle cannot hold it`);
        visit(target, `build/${rel}`);
      } else if (!spec.startsWith('node:')) packages.add(packageName(spec));
    }
  };
  for (const entry of entries) visit(entry, 'the bundle');
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Versions for the packages the bundle's code imports: run-time dependencies of the pack only. */
function bundleDependencies(packages: string[]): Record<string, string> {
  const pkg = readJson(path.join(ROOT, 'package.json'));
  const deps = (pkg.dependencies ?? {}) as Record<string, string>;
  const dev = (pkg.devDependencies ?? {}) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const name of packages) {
    if (PROVIDED.has(name)) continue;
    const version = deps[name];
    if (version === undefined) {
      const where = name in dev ? 'only under devDependencies' : 'nowhere';
      throw new UsageError(
        `the bundle's code imports ${name}, which package.json lists ${where}: make it a dependency`,
      );
    }
    out[name] = version;
  }
  return out;
}

function readScript(file: string): unknown {
  try {
    return parseScriptYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${path.relative(ROOT, file)} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

/** One profile as a single script: what the containers run. */
export function entryScript(profile: string): Record<string, unknown> {
  const file = loadProfile(profile).file;
  const merged = mergeLikeArtillery(readScript(file), readScript(FLOWS_FILE), readScript(ENVIRONMENTS_FILE));
  const config = merged.config as Record<string, unknown>;
  // Paths relative to the entry, inside the bundle.
  config.processor = `./${ENTRY_POINTS[0]}`;
  config.includeFiles = INCLUDE;
  const plugins = (config.plugins ?? {}) as Record<string, Record<string, unknown> | null>;
  plugins['btcw-targets'] = { ...plugins['btcw-targets'], targets: 'config/targets.yml' };
  config.plugins = plugins;
  // No run plan in a container: the profile's own engine (lib/run-plan.ts), as `npm run <profile>` has it.
  config.variables = { ...(config.variables as object), ...engineVariables(resolveEngine(profile)) };
  return merged;
}

/** Refuses to empty a folder that is not an earlier bundle: --out may be mistyped. */
function clearBundleDir(dir: string): void {
  if (!existsSync(dir)) return;
  const pkg = path.join(dir, 'package.json');
  const earlier = existsSync(pkg) && readJson(pkg).name === BUNDLE_NAME;
  if (!earlier && readdirSync(dir).length > 0)
    throw new UsageError(`${dir} exists and is not a bundle written by npm run bundle: choose another --out`);
  rmSync(dir, { recursive: true, force: true });
}

export function writeBundle(dir: string, profiles: string[]): Bundle {
  loadTargets(TARGETS_FILE); // a bad targets file stops here, not in the cloud
  const { files, packages } = importClosure(ENTRY_POINTS);
  const dependencies = bundleDependencies(packages);
  const scripts = Object.fromEntries(profiles.map((p) => [p, entryScript(p)]));
  clearBundleDir(dir);
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(path.join(BUILD, rel), path.join(dir, rel));
  }
  // The plugin and the engine as published-style packages: each package.json points at the compiled JS
  // beside it.
  for (const folder of ['plugin', 'engine']) {
    const { types: _types, ...own } = readJson(path.join(ROOT, folder, 'package.json'));
    writeFileSync(
      path.join(dir, folder, 'package.json'),
      `${JSON.stringify({ ...own, main: 'index.js' }, null, 2)}\n`,
    );
  }
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  copyFileSync(TARGETS_FILE, path.join(dir, 'config', 'targets.yml'));
  const pkg = {
    name: BUNDLE_NAME,
    private: true,
    description: 'BTC Watcher load-test pack, as Artillery uploads it to its cloud workers (npm run bundle)',
    type: 'module',
    dependencies: { ...dependencies, [PLUGIN_PACKAGE]: 'file:plugin', [ENGINE_PACKAGE]: 'file:engine' },
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const entries: Record<string, string> = {};
  for (const [name, script] of Object.entries(scripts)) {
    entries[name] = path.join(dir, `${name}.yml`);
    const header = [
      `# Generated by npm run bundle from scenarios/${name}.yml, scenarios/flows.yml and`,
      '# config/environments.yml, merged as `artillery run -i` merges them. Edit those and bundle again.',
    ].join('\n');
    writeFileSync(entries[name], `${header}\n${dumpScriptYaml(script)}`);
  }
  return { dir, entries, dependencies };
}

/**
 * What a container's test_data holds once it has synced and installed the bundle (the rehearsal runs from
 * it): the bundle's files at their bundle paths, and node_modules as `npm install` makes it from the
 * bundle's package.json (file: dependencies linked to their folder, the others to the pack's installed
 * copies: no registry needed).
 */
export function stageBundle(bom: Bom, dir: string): void {
  for (const file of bom.files) {
    const to = path.join(dir, file.noPrefixPosix);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(file.orig, to);
  }
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const deps = { ...Object.fromEntries(bom.modules.map((m) => [m, '*'])), ...pkg.dependencies };
  for (const [name, spec] of Object.entries(deps)) {
    const link = path.join(dir, 'node_modules', name);
    const target = spec.startsWith('file:')
      ? path.join(dir, spec.slice('file:'.length))
      : path.join(ROOT, 'node_modules', name);
    if (!existsSync(target))
      throw new Error(`the bundle needs ${name}, which is not installed (${target}): run npm ci`);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.relative(path.dirname(link), target), link);
  }
}

const BUNDLE_SYNOPSIS =
  'Usage: npm run bundle -- [profile ...] [--out DIR]   (default: every profile, build/cloud)';

export const BUNDLE_FLAGS = [
  {
    name: 'out',
    type: 'string',
    value: 'DIR',
    help: 'where the bundle goes (default build/cloud); emptied first if it holds an earlier bundle',
  },
  HELP_FLAG,
] as const satisfies FlagTable;

export const BUNDLE_USAGE = `${BUNDLE_SYNOPSIS}\n${optionLines(BUNDLE_FLAGS)}`;

export function bundleCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(BUNDLE_FLAGS, argv, { suffix: ` (${BUNDLE_SYNOPSIS})` });
  if (values.help) {
    console.log(BUNDLE_USAGE);
    return 0;
  }
  const dir = path.resolve(values.out ?? BUNDLE_DIR);
  const bundle = writeBundle(dir, positionals.length > 0 ? positionals : profileNames());
  const rel = path.relative(process.cwd(), dir) || '.';
  console.log(
    `btcw: bundle written to ${rel}: ${Object.keys(bundle.entries)
      .map((p) => `${p}.yml`)
      .join(', ')}; packages ${Object.entries(bundle.dependencies)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}`,
  );
  return 0;
}
