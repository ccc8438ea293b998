// `npm run target`: starts the reference API, prints its URL, stops cleanly on SIGINT/SIGTERM.
import './quiet-sqlite-warning.js';
import { parseTargetArgs, TARGET_USAGE } from './api-flags.js';
import { listeningLine } from './listening.js';

async function main(): Promise<number> {
  const parsed = parseTargetArgs(process.argv.slice(2), process.env);
  if ('error' in parsed) {
    console.error(`btcw-target: ${parsed.error}`);
    return 2;
  }
  if (parsed.help) {
    console.log(TARGET_USAGE);
    return 0;
  }
  let api: import('./server.js').RunningApi;
  try {
    const { startApi } = await import('./server.js');
    api = await startApi(parsed.options);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      console.error(
        `btcw-target: port ${parsed.options.port} is already in use; stop what runs there or pass --port N`,
      );
    } else {
      console.error(`btcw-target: could not start: ${err.message}`);
    }
    return 2;
  }
  const faults = parsed.options.faults;
  const active = Object.entries(faults).filter(([, value]) => value !== 0 && value !== false && value !== '');
  console.log(listeningLine(api.url));
  const sat = parsed.options.saturation;
  if (sat.maxInflight > 0)
    console.log(
      `saturation: ${sat.maxInflight} in flight, ${sat.serviceMs} ms each ` +
        `(capacity ${(sat.maxInflight * 1000) / sat.serviceMs} req/s)`,
    );
  if (active.length > 0)
    console.log(`faults: ${active.map(([name, value]) => `${name}=${String(value)}`).join(' ')}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // started by a run: stop once every run that used it has left (or died), so a second run on the same
    // machine keeps the API that the first one started
    if (parsed.exitWhenIdle) setInterval(() => api.runs.idle() && stop(), 500).unref();
  });
  await api.close();
  // the run that started it may have ended, and its end of the pipe with it
  process.stdout.on('error', () => {});
  console.log('reference API stopped');
  return 0;
}

process.exitCode = await main();
