// --dashboard [PORT], --dashboard-host and their environment variables; bad values are one-line UsageErrors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dashboardOptions, normalizeDashboardArgs } from '../../dashboard/options.js';
import { UsageError } from '../../lib/usage-error.js';
import { parseRunArgs } from '../../runner/run-options.js';

const ENV = {};

describe('dashboard options', () => {
  it('takes an optional port after --dashboard', () => {
    assert.deepEqual(normalizeDashboardArgs(['--dashboard', 'smoke']), ['--dashboard=', 'smoke']);
    assert.deepEqual(normalizeDashboardArgs(['smoke', '--dashboard', '9000']), ['smoke', '--dashboard=9000']);
    assert.deepEqual(normalizeDashboardArgs(['smoke', '--dashboard']), ['smoke', '--dashboard=']);
    assert.deepEqual(normalizeDashboardArgs(['--dashboard=0', 'smoke']), ['--dashboard=0', 'smoke']);
    const run = (args: string[], env: NodeJS.ProcessEnv = ENV) => {
      const parsed = parseRunArgs(args, env);
      assert.ok(parsed !== 'help');
      return parsed.dashboard;
    };
    assert.deepEqual(run(['smoke', '--dashboard']), { host: '127.0.0.1', port: 8089, token: undefined });
    assert.deepEqual(run(['--dashboard', '9001', 'smoke']), {
      host: '127.0.0.1',
      port: 9001,
      token: undefined,
    });
    assert.equal(run(['smoke']), null);
    assert.equal(run(['smoke'], { BTCW_DASHBOARD: 'off' }), null);
    assert.equal(run(['smoke'], { BTCW_DASHBOARD: 'on' })?.port, 8089);
    assert.equal(run(['smoke'], { BTCW_DASHBOARD: '0' })?.port, 0);
    assert.deepEqual(run(['smoke', '--dashboard', '--dashboard-host', '0.0.0.0']), {
      host: '0.0.0.0',
      port: 8089,
      token: undefined,
    });
    assert.equal(run(['smoke', '--dashboard', '--dashboard-host', '[::]'])?.host, '::');
  });

  it('refuses bad ports, hosts and tokens with one line naming the fix', () => {
    const bad: Array<[string | undefined, string | undefined, NodeJS.ProcessEnv, RegExp]> = [
      ['70000', undefined, ENV, /--dashboard must be a port from 0 to 65535/],
      ['80a', undefined, ENV, /--dashboard must be a port/],
      [undefined, undefined, { BTCW_DASHBOARD: 'yes please' }, /BTCW_DASHBOARD \(a port, on or off\)/],
      [undefined, '0.0.0.0', ENV, /--dashboard-host needs --dashboard/],
      ['', 'http://x/', ENV, /--dashboard-host must be a host name or address/],
      ['', undefined, { BTCW_DASHBOARD_TOKEN: 'short' }, /BTCW_DASHBOARD_TOKEN must be at least 16/],
    ];
    for (const [flag, host, env, message] of bad) {
      assert.throws(
        () => dashboardOptions(flag, host, env),
        (e: Error) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'),
        `${flag} ${host} ${JSON.stringify(env)}`,
      );
    }
  });
});
