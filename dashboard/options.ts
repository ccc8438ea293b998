import type { FlagTable } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
// `--dashboard [PORT]`, `--dashboard-host HOST` and their environment variables, checked before any load
// (pure over argv and env; bad input is an UsageError, one line with the fix).

export const DEFAULT_DASHBOARD_PORT = 8089; // Locust's web UI
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

export interface DashboardOptions {
  host: string;
  /** 0: any free port (the runner prints the one it got). */
  port: number;
  /** BTCW_DASHBOARD_TOKEN, else a random one when the host is not loopback. */
  token: string | undefined;
}

export const DASHBOARD_FLAGS = [
  {
    name: 'dashboard',
    env: 'BTCW_DASHBOARD',
    type: 'string',
    value: '[PORT]',
    help:
      'a live dashboard in the browser during the run (default port 8089,\n' +
      'env BTCW_DASHBOARD=PORT or on); the runner prints its URL',
  },
  {
    name: 'dashboard-host',
    env: 'BTCW_DASHBOARD_HOST',
    type: 'string',
    value: 'HOST',
    help:
      'serve it on HOST instead of 127.0.0.1 (env BTCW_DASHBOARD_HOST): a random\n' +
      'token in the URL is then required (or BTCW_DASHBOARD_TOKEN)',
  },
] as const satisfies FlagTable;

/**
 * parseArgs has no optional values: a bare `--dashboard` (next argument not a port) becomes
 * `--dashboard=`, and `--dashboard 9000` becomes `--dashboard=9000`.
 */
export function normalizeDashboardArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      out.push(...argv.slice(index));
      break;
    }
    if (arg !== '--dashboard') out.push(arg);
    else if (/^\d+$/.test(argv[index + 1] ?? '')) out.push(`--dashboard=${argv[++index]}`);
    else out.push('--dashboard=');
  }
  return out;
}

function port(raw: string, from: string): number {
  const value = Number(raw);
  if (!/^\d{1,5}$/.test(raw) || value > 65535)
    throw new UsageError(`${from} must be a port from 0 to 65535 (0: any free port), got "${raw}"`);
  return value;
}

export function dashboardOptions(
  flag: string | undefined,
  hostFlag: string | undefined,
  vars: NodeJS.ProcessEnv,
): DashboardOptions | null {
  let chosenPort: number | null = null;
  if (flag !== undefined) chosenPort = flag === '' ? DEFAULT_DASHBOARD_PORT : port(flag, '--dashboard');
  else {
    const env = (vars.BTCW_DASHBOARD ?? '').trim().toLowerCase();
    if (env === 'on' || env === 'true') chosenPort = DEFAULT_DASHBOARD_PORT;
    else if (env !== '' && env !== 'off' && env !== 'false')
      chosenPort = port(env, 'BTCW_DASHBOARD (a port, on or off)');
  }
  const host = hostFlag ?? (vars.BTCW_DASHBOARD_HOST || undefined);
  if (chosenPort === null) {
    if (hostFlag !== undefined)
      throw new UsageError(
        '--dashboard-host needs --dashboard: add --dashboard [PORT] to serve the dashboard',
      );
    return null;
  }
  if (host !== undefined && !/^(\[[0-9a-fA-F:]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:]*|[A-Za-z0-9.-]+)$/.test(host))
    throw new UsageError(
      `--dashboard-host must be a host name or address (e.g. 0.0.0.0 or 192.168.1.5), got "${host}"`,
    );
  const token = vars.BTCW_DASHBOARD_TOKEN || undefined;
  if (token !== undefined && !/^[A-Za-z0-9_-]{16,}$/.test(token))
    throw new UsageError(
      'BTCW_DASHBOARD_TOKEN must be at least 16 letters, digits, "-" or "_": ' +
        'unset it to get a random token',
    );
  return { host: host?.replace(/^\[(.*)\]$/, '$1') ?? DEFAULT_DASHBOARD_HOST, port: chosenPort, token };
}
