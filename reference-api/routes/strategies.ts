// /api/v1/strategies: list, overview, detail, create, update, soft delete, start, stop, logs
// (api-contract §3).
// Deliberate differences from the real backend: a Bearer token on every route, and 422 (not 500) for a create
// body missing a required key or with a wrong type or length.
import type { SQLInputValue } from 'node:sqlite';
import type { StrategyListRow, StrategyRow } from '../db.js';
import type { Ctx, Reply, Router } from '../router.js';
import { type ApiState, FIRST_PORT, LAST_PORT, MAX_STRATEGIES } from '../state.js';
import {
  asFloat,
  detail,
  type ErrorItem,
  errors,
  isPlainObject,
  parseIntParam,
  queryInt,
  queryPage,
  unprocessable,
} from '../validation.js';
import { authenticate } from './auth.js';
import { parseJsonBody } from './body.js';

const BASE = '/api/v1/strategies';

function parseJsonColumn<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function listItem(strategy: StrategyListRow): Record<string, unknown> {
  return {
    id: strategy.id,
    name: strategy.name,
    strategy_class: strategy.strategy_class,
    exchange: strategy.exchange,
    status: strategy.status,
    port: strategy.port,
    process_id: strategy.process_id,
    created_at: strategy.created_at,
    started_at: strategy.started_at,
  };
}

function detailJson(strategy: StrategyRow): Record<string, unknown> {
  return {
    id: strategy.id,
    user_id: strategy.user_id,
    name: strategy.name,
    description: strategy.description,
    strategy_class: strategy.strategy_class,
    version: strategy.version,
    exchange: strategy.exchange,
    timeframe: strategy.timeframe,
    pair_whitelist: parseJsonColumn(strategy.pair_whitelist, []),
    pair_blacklist: parseJsonColumn(strategy.pair_blacklist, []),
    dry_run: strategy.dry_run === 1,
    dry_run_wallet: strategy.dry_run_wallet,
    stake_amount: strategy.stake_amount,
    max_open_trades: strategy.max_open_trades,
    signal_thresholds: parseJsonColumn(strategy.signal_thresholds, {}),
    proxy_id: strategy.proxy_id,
    status: strategy.status,
    is_active: strategy.is_active === 1,
    port: strategy.port,
    process_id: strategy.process_id,
    created_at: strategy.created_at,
    updated_at: strategy.updated_at,
    started_at: strategy.started_at,
    stopped_at: strategy.stopped_at,
  };
}

function strategyId(ctx: Ctx): number {
  return parseIntParam(ctx.params.strategy_id!, ['path', 'strategy_id']);
}

function existing(state: ApiState, ctx: Ctx): StrategyRow {
  const strategy = state.store.strategy(strategyId(ctx));
  if (!strategy) throw detail(404, 'Strategy not found');
  return strategy;
}

function list(state: ApiState, ctx: Ctx): Reply {
  const { skip, limit } = queryPage(ctx.query);
  const status = ctx.query.get('status') ?? undefined;
  if (state.faults.emptyLists) return { status: 200, body: { total: 0, skip, limit, strategies: [] } };
  // Read-heavy runs list the same pages over and over: serve the serialized page until a strategy changes.
  const json = state.pageCache.get(
    state.store.strategyVersion,
    `list|${skip}|${limit}|${status ?? ''}`,
    () => {
      const rows = state.store.listStrategies(skip, limit, status);
      return JSON.stringify({ total: rows.length, skip, limit, strategies: rows.map(listItem) });
    },
  );
  return { status: 200, body: undefined, json };
}

function overview(state: ApiState): Reply {
  const rows = state.faults.emptyLists ? [] : state.store.activeStrategies();
  const running = rows.filter((s) => s.status === 'running').length;
  const portPool = LAST_PORT - FIRST_PORT + 1;
  const freePorts = portPool - state.usedPorts.size;
  const utilization = Math.round((running / MAX_STRATEGIES) * 10000) / 100;
  return {
    status: 200,
    body: {
      summary: {
        total_strategies: rows.length,
        running_strategies: running,
        stopped_strategies: rows.filter((s) => s.status === 'stopped').length,
        capacity_utilization: utilization,
        available_slots: freePorts,
      },
      capacity: {
        max_strategies: MAX_STRATEGIES,
        running_strategies: state.usedPorts.size,
        available_slots: freePorts,
        utilization_percent: utilization,
        port_range: `${FIRST_PORT}-${LAST_PORT}`,
        can_start_more: freePorts > 0,
        architecture: 'multi_instance_reverse_proxy',
      },
      strategies: rows.map((strategy) => ({
        id: strategy.id,
        name: strategy.name,
        status: strategy.status,
        exchange: strategy.exchange,
        port: strategy.port,
        started_at: strategy.started_at,
      })),
    },
  };
}

const REQUIRED_STRINGS: Array<[string, number]> = [
  ['name', 100],
  ['strategy_class', 100],
  ['exchange', 50],
  ['timeframe', 10],
];

function validateCreate(body: Record<string, unknown>): ErrorItem[] {
  const problems: ErrorItem[] = [];
  for (const [key, max] of REQUIRED_STRINGS) {
    const value = body[key];
    if (value === undefined) problems.push(errors.missing(['body', key]));
    else if (typeof value !== 'string') problems.push(errors.stringType(['body', key], value));
    else if (value.length > max) problems.push(errors.tooLong(['body', key], value, max));
  }
  if (body.pair_whitelist === undefined) problems.push(errors.missing(['body', 'pair_whitelist']));
  else if (!Array.isArray(body.pair_whitelist))
    problems.push(errors.listType(['body', 'pair_whitelist'], body.pair_whitelist));
  if (body.signal_thresholds === undefined) problems.push(errors.missing(['body', 'signal_thresholds']));
  else if (!isPlainObject(body.signal_thresholds))
    problems.push(errors.dictType(['body', 'signal_thresholds'], body.signal_thresholds));
  if (body.version !== undefined && (typeof body.version !== 'string' || body.version.length > 20)) {
    problems.push(
      typeof body.version === 'string'
        ? errors.tooLong(['body', 'version'], body.version, 20)
        : errors.stringType(['body', 'version'], body.version),
    );
  }
  return problems;
}

function optionalNumber(body: Record<string, unknown>, key: string, dflt: number | null): number | null {
  const value = body[key];
  if (value === undefined || value === null) return dflt;
  const parsed = asFloat(value);
  if (parsed === undefined) throw unprocessable(errors.floatType(['body', key], value));
  return parsed;
}

function create(state: ApiState, ctx: Ctx): Reply {
  const user = authenticate(state, ctx);
  const body = parseJsonBody(ctx);
  if (!isPlainObject(body)) throw unprocessable(errors.dictType(['body'], body));
  const problems = validateCreate(body);
  if (problems.length > 0) throw unprocessable(...problems);
  const proxy = optionalNumber(body, 'proxy_id', null);
  const row = state.store.insertStrategy(
    {
      userId: user.id,
      name: body.name as string,
      description: typeof body.description === 'string' ? body.description : null,
      strategyClass: body.strategy_class as string,
      version: typeof body.version === 'string' ? body.version : 'v1.0',
      exchange: body.exchange as string,
      timeframe: body.timeframe as string,
      pairWhitelist: body.pair_whitelist as unknown[],
      pairBlacklist: Array.isArray(body.pair_blacklist) ? body.pair_blacklist : [],
      dryRun: body.dry_run === undefined ? true : Boolean(body.dry_run),
      dryRunWallet: optionalNumber(body, 'dry_run_wallet', 1000)!,
      stakeAmount: optionalNumber(body, 'stake_amount', null),
      maxOpenTrades: Math.trunc(optionalNumber(body, 'max_open_trades', 3)!),
      signalThresholds: body.signal_thresholds as Record<string, unknown>,
      proxyId: proxy === null ? null : Math.trunc(proxy),
    },
    state.now(),
  );
  return {
    status: 200,
    body: { id: row.id, name: row.name, status: row.status, message: 'Strategy created successfully' },
  };
}

type FieldKind = 'str' | 'strList' | 'float' | 'int' | 'object';
const UPDATABLE: Array<[string, FieldKind]> = [
  ['name', 'str'],
  ['description', 'str'],
  ['pair_whitelist', 'strList'],
  ['pair_blacklist', 'strList'],
  ['dry_run_wallet', 'float'],
  ['stake_amount', 'float'],
  ['max_open_trades', 'int'],
  ['signal_thresholds', 'object'],
  ['proxy_id', 'int'],
];

/** Validates one typed update field; returns the column value to store (JSON text for lists and objects). */
function updateValue(key: string, kind: FieldKind, value: unknown): SQLInputValue {
  const loc = ['body', key];
  switch (kind) {
    case 'str':
      if (typeof value !== 'string') throw unprocessable(errors.stringType(loc, value));
      return value;
    case 'strList':
      if (!Array.isArray(value)) throw unprocessable(errors.listType(loc, value));
      value.forEach((item, index) => {
        if (typeof item !== 'string') throw unprocessable(errors.stringType([...loc, index], item));
      });
      return JSON.stringify(value);
    case 'float': {
      const parsed = asFloat(value);
      if (parsed === undefined) throw unprocessable(errors.floatType(loc, value));
      return parsed;
    }
    case 'int': {
      const parsed = asFloat(value);
      if (parsed === undefined || !Number.isInteger(parsed)) throw unprocessable(errors.intType(loc, value));
      return parsed;
    }
    case 'object':
      if (!isPlainObject(value)) throw unprocessable(errors.dictType(loc, value));
      return JSON.stringify(value);
  }
}

function update(state: ApiState, ctx: Ctx): Reply {
  authenticate(state, ctx);
  const id = strategyId(ctx);
  const body = parseJsonBody(ctx);
  if (!isPlainObject(body)) throw unprocessable(errors.dictType(['body'], body));
  const strategy = state.store.strategy(id);
  if (strategy?.is_active !== 1) throw detail(404, 'Strategy not found');
  const changes: Record<string, SQLInputValue> = {};
  for (const [key, kind] of UPDATABLE) {
    const value = body[key];
    if (value === undefined || value === null) continue; // null means unchanged; unknown keys are ignored
    const stored = updateValue(key, kind, value);
    if (stored !== (strategy as unknown as Record<string, unknown>)[key]) changes[key] = stored;
  }
  if (Object.keys(changes).length === 0) return { status: 200, body: { id, message: 'No changes detected' } };
  state.store.updateStrategy(id, changes, state.now());
  return {
    status: 200,
    body: {
      id,
      name: (changes.name as string | undefined) ?? strategy.name,
      updated_fields: Object.keys(changes),
      requires_restart: strategy.status === 'running',
      message: 'Strategy updated successfully',
    },
  };
}

function remove(state: ApiState, ctx: Ctx): Reply {
  authenticate(state, ctx);
  const strategy = existing(state, ctx);
  state.cancelTransition(strategy.id);
  state.releasePort(strategy.port);
  state.store.softDelete(strategy.id, state.now());
  return { status: 200, body: { id: strategy.id, message: 'Strategy deleted successfully' } };
}

function start(state: ApiState, ctx: Ctx): Reply {
  authenticate(state, ctx);
  // no is_active guard: the real API starts soft-deleted strategies too
  const strategy = existing(state, ctx);
  if (strategy.status === 'running')
    return { status: 202, body: { message: 'Strategy is already running', status: 'running' } };
  if (strategy.status === 'starting')
    return { status: 202, body: { message: 'Strategy is already starting', status: 'starting' } };
  state.beginStart(strategy.id);
  return {
    status: 202,
    body: {
      id: strategy.id,
      name: strategy.name,
      status: 'starting',
      message: 'Strategy start request accepted, executing in background',
    },
  };
}

function stop(state: ApiState, ctx: Ctx): Reply {
  authenticate(state, ctx);
  const strategy = existing(state, ctx);
  if (strategy.status === 'stopped')
    return { status: 202, body: { message: 'Strategy is already stopped', status: 'stopped' } };
  if (strategy.status === 'stopping')
    return { status: 202, body: { message: 'Strategy is already stopping', status: 'stopping' } };
  state.beginStop(strategy.id, strategy.port);
  return {
    status: 202,
    body: {
      id: strategy.id,
      name: strategy.name,
      status: 'stopping',
      message: 'Strategy stop request accepted, executing in background',
    },
  };
}

function logs(state: ApiState, ctx: Ctx): Reply {
  authenticate(state, ctx);
  const strategy = existing(state, ctx);
  const lines = queryInt(ctx.query, 'lines', 100);
  const all = state.logs.get(strategy.id);
  if (!all) {
    return {
      status: 200,
      body: {
        strategy_id: strategy.id,
        strategy_name: strategy.name,
        logs: [],
        total_returned: 0,
        message: 'Log file not found - strategy may not have been started yet',
      },
    };
  }
  const picked = lines > 0 ? all.slice(-lines) : all.slice();
  return {
    status: 200,
    body: {
      strategy_id: strategy.id,
      strategy_name: strategy.name,
      logs: picked,
      total_returned: picked.length,
    },
  };
}

export function strategyRoutes(router: Router, state: ApiState): void {
  router
    .add('GET', `${BASE}/`, (ctx) => {
      authenticate(state, ctx);
      return list(state, ctx);
    })
    .add('POST', `${BASE}/`, (ctx) => create(state, ctx))
    // Declared before /{strategy_id}, as at the real backend's HEAD (the 2025-10-14 baseline had it
    // after: 422).
    .add('GET', `${BASE}/overview`, (ctx) => {
      authenticate(state, ctx);
      return overview(state);
    })
    .add('GET', `${BASE}/{strategy_id}`, (ctx) => {
      authenticate(state, ctx);
      return { status: 200, body: detailJson(existing(state, ctx)) };
    })
    .add('PUT', `${BASE}/{strategy_id}`, (ctx) => update(state, ctx))
    .add('DELETE', `${BASE}/{strategy_id}`, (ctx) => remove(state, ctx))
    .add('POST', `${BASE}/{strategy_id}/start`, (ctx) => start(state, ctx))
    .add('POST', `${BASE}/{strategy_id}/stop`, (ctx) => stop(state, ctx))
    .add('GET', `${BASE}/{strategy_id}/logs`, (ctx) => logs(state, ctx));
}
