// The pieces of Artillery 2.0.34 that its distributed engine runs on, loaded from the installed package:
// the bundle builder run-fargate, run-lambda and run-aci upload with, the metric store whose functions
// merge the containers' results, and the YAML parser and merge it reads test scripts with. None is public
// API: the package's "exports" hide them, so they are imported by file path (its lib/*.ts sources cannot be
// loaded from node_modules).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './profiles.js';

const DIST = path.join(ROOT, 'node_modules', 'artillery', 'dist', 'lib');

/** A DDSketch from @artilleryio/sketches-js; only what the merge uses. */
export interface Sketch {
  count: number;
}

/** One period's metrics as Artillery's metric store (core/ssms.js) holds them. */
export interface PeriodData {
  period: number | string;
  counters: Record<string, number>;
  histograms: Record<string, Sketch>;
  rates: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
  firstMetricAt?: number;
  lastMetricAt?: number;
  [key: string]: unknown;
}

export interface Ssms {
  serializeMetrics(pd: PeriodData): string;
  deserializeMetrics(serialized: string): PeriodData;
  mergeBuckets(periods: PeriodData[]): Record<string, PeriodData>;
  pack(periods: PeriodData[]): PeriodData;
  summarizeHistogram(sketch: Sketch): Record<string, number>;
}

/** One file of a test bundle: its local path and its path inside the bundle. */
export interface BomFile {
  orig: string;
  noPrefix: string;
  noPrefixPosix: string;
}

export interface Bom {
  files: BomFile[];
  /** What the workers `npm install` one by one, besides the bundle's package.json. */
  modules: string[];
  pkgDeps: string[];
}

const importDist = (file: string): Promise<Record<string, unknown>> =>
  import(pathToFileURL(path.join(DIST, file)).href);

export async function loadSsms(): Promise<Ssms> {
  return (await importDist('core/ssms.js')).SSMS as Ssms;
}

/** Artillery's own js-yaml and lodash, resolved as Artillery resolves them. */
const fromArtillery = createRequire(path.join(DIST, 'util.js'));

export function parseScriptYaml(text: string): unknown {
  // What util.js parseScript does with every YAML script.
  return (fromArtillery('js-yaml') as { safeLoad(text: string): unknown }).safeLoad(text);
}

export function dumpScriptYaml(value: unknown): string {
  return (fromArtillery('js-yaml') as { safeDump(value: unknown, options: object): string }).safeDump(value, {
    lineWidth: 100,
    noRefs: true,
  });
}

/** lodash's merge: what `artillery run a.yml -i b.yml -i c.yml` does to its input files, in that order. */
export function mergeLikeArtillery(...docs: unknown[]): Record<string, unknown> {
  const _ = fromArtillery('lodash') as {
    merge(target: object, ...sources: unknown[]): Record<string, unknown>;
  };
  return _.merge({}, ...docs);
}

let globalsReady: Promise<void> | null = null;

/** The bundle builder reads `global.artillery` (test run id, logger), which the CLI normally sets up. */
function ensureArtilleryGlobal(): Promise<void> {
  globalsReady ??= (async () => {
    const { updateGlobalObject } = (await importDist('core/update-global-object.js')) as {
      updateGlobalObject(): Promise<void>;
    };
    await updateGlobalObject();
    const globals = globalThis as unknown as { artillery: { testRunId?: string } };
    globals.artillery.testRunId ??= 'btcw-bom';
  })();
  return globalsReady;
}

/**
 * The bundle `artillery run-fargate <script>` (and run-aci) uploads: create-test.js prepareManifest, which
 * calls platform/aws-ecs/legacy/bom.js createBOM with the script, no --config and the CLI's flags.
 */
export async function fargateBundle(script: string, flags: Record<string, unknown> = {}): Promise<Bom> {
  await ensureArtilleryGlobal();
  const { prepareManifest } = (await importDist('platform/aws-ecs/legacy/create-test.js')) as {
    prepareManifest(ctx: object, cb: (err: Error | null, ctx: { manifest: Bom }) => void): void;
  };
  return new Promise((resolve, reject) =>
    prepareManifest(
      { scriptPath: path.resolve(script), flags: { platform: 'aws:ecs', ...flags } },
      (err, ctx) => (err ? reject(err) : resolve(ctx.manifest)),
    ),
  );
}

/**
 * The bundle `artillery run-lambda <script>` uploads: aws-lambda/dependencies.js calls the same createBOM
 * with the script as its scenario path and the CLI's flags (and no --packages: Lambda ignores it).
 */
export async function lambdaBundle(script: string, flags: Record<string, unknown> = {}): Promise<Bom> {
  await ensureArtilleryGlobal();
  const { createBOM } = (await importDist('platform/aws-ecs/legacy/bom.js')) as {
    createBOM(entry: string, extra: string[], opts: object, cb: (err: Error | null, bom: Bom) => void): void;
  };
  const abs = path.resolve(script);
  return new Promise((resolve, reject) =>
    createBOM(abs, [], { scenarioPath: abs, flags: { platform: 'aws:lambda', ...flags } }, (err, bom) =>
      err ? reject(err) : resolve(bom),
    ),
  );
}
