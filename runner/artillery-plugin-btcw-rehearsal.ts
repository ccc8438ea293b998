// The rehearsal's stand-in for the reporter Artillery injects into its cloud workers
// (platform/aws-ecs/legacy/plugins/artillery-plugin-sqs-reporter): like it, it serializes each 10 s
// period's metrics, sketches included, with Artillery's own SSMS.serializeMetrics; it appends them to the
// file named by BTCW_REHEARSAL_METRICS instead of sending them to SQS. The collector merges those, since
// an `-o` JSON keeps only summaries, and percentiles of percentiles are not percentiles.
// Loaded through ARTILLERY_PLUGINS and ARTILLERY_PLUGIN_PATH, the way the workers load the SQS reporter;
// Artillery finds it by this file's name.
import { appendFileSync } from 'node:fs';

interface Emitter {
  on(event: 'stats', fn: (stats: object) => void): void;
}

declare const global: typeof globalThis & {
  artillery?: { __SSMS?: { serializeMetrics(stats: object): string } };
};

export const LEGACY_METRICS_FORMAT = false;

export class Plugin {
  constructor(_script: unknown, events: Emitter) {
    const file = process.env.BTCW_REHEARSAL_METRICS;
    // Worker threads get no stats; the main process gets each period merged across them.
    if (process.env.LOCAL_WORKER_ID !== undefined || !file) return;
    events.on('stats', (stats) => {
      const ssms = global.artillery?.__SSMS;
      if (ssms) appendFileSync(file, `${ssms.serializeMetrics(stats)}\n`);
    });
  }
}
