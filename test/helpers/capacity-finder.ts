// The capacity command as the capacity tests run it: seeded, 4 s of settle per step, think times at a
// quarter, into a temporary folder; with the evaluation document's capacity result and the report's HTML.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CapacityResult } from '../../grading/capacity-grading.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';

export const READ_ONLY = 'StrategyReadUser,SignalReadUser';

export async function finder(port: number, args: string[], report = false) {
  const out = tempDir('btcw-capacity-');
  const ran = await runCli(
    [
      'capacity',
      '--out',
      out,
      '--seed',
      '42',
      '--settle',
      '4',
      '--think-factor',
      '0.25',
      ...(report ? [] : ['--no-report']),
      ...args,
    ],
    { BTCW_API_PORT: String(port) },
  );
  const file = readdirSync(out).find((f) => f.endsWith('.evaluation.json'));
  const doc = file ? JSON.parse(readFileSync(path.join(out, file), 'utf8')) : null;
  const html = readdirSync(out).find((f) => f.endsWith('.html'));
  return {
    ...ran,
    capacity: doc?.capacity as CapacityResult | undefined,
    html: html ? readFileSync(path.join(out, html), 'utf8') : null,
  };
}
