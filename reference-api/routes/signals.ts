// /api/v1/signals: list with filters, detail, statistics (summary, trend) and the FreqTrade webhook
// (api-contract §4).
// Deliberate differences: a Bearer token on every route except the webhook, and 422 (not 500) for a bad
// webhook body.
import type { SignalRow } from '../db.js';
import type { Ctx, Reply, Router } from '../router.js';
import type { ApiState } from '../state.js';
import { DEFAULT_SIGNAL_STRENGTH, strengthLevel } from '../strength.js';
import {
  asFloat,
  detail,
  type ErrorItem,
  errors,
  isPlainObject,
  parseIntParam,
  queryInt,
  queryOptionalInt,
  queryPage,
  unprocessable,
} from '../validation.js';
import { authenticate } from './auth.js';
import { parseJsonBody } from './body.js';

const BASE = '/api/v1/signals';
const HOUR_MS = 3_600_000;

function listItem(signal: SignalRow): Record<string, unknown> {
  return {
    id: signal.id,
    strategy_id: signal.strategy_id,
    pair: signal.pair,
    action: signal.action,
    signal_strength: signal.signal_strength,
    strength_level: signal.strength_level,
    current_rate: signal.current_rate,
    profit_ratio: signal.profit_ratio,
    created_at: signal.created_at,
  };
}

function detailJson(signal: SignalRow): Record<string, unknown> {
  return {
    id: signal.id,
    strategy_id: signal.strategy_id,
    pair: signal.pair,
    action: signal.action,
    signal_strength: signal.signal_strength,
    strength_level: signal.strength_level,
    current_rate: signal.current_rate,
    entry_price: signal.entry_price,
    exit_price: signal.exit_price,
    profit_ratio: signal.profit_ratio,
    profit_abs: signal.profit_abs,
    trade_duration: signal.trade_duration,
    indicators: signal.indicators === null ? null : (JSON.parse(signal.indicators) as unknown),
    metadata: null, // the real webhook drops metadata, so detail always shows null
    notes: null,
    freqtrade_trade_id: signal.freqtrade_trade_id,
    open_date: signal.open_date,
    close_date: signal.close_date,
    created_at: signal.created_at,
  };
}

/** Zero or empty filters are ignored, as the real handler's `if value:` checks do. */
function nonEmpty(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function list(state: ApiState, ctx: Ctx): Reply {
  const query = ctx.query;
  const { skip, limit } = queryPage(query);
  const strategyId = queryOptionalInt(query, 'strategy_id');
  const hours = queryOptionalInt(query, 'hours');
  const rows = state.faults.emptyLists
    ? []
    : state.store.listSignals({
        skip,
        limit,
        strategyId: strategyId ? strategyId : undefined,
        pair: nonEmpty(query, 'pair'),
        action: nonEmpty(query, 'action'),
        strengthLevel: nonEmpty(query, 'strength_level'),
        sinceMs: hours ? Date.now() - hours * HOUR_MS : undefined,
      });
  return { status: 200, body: { total: rows.length, skip, limit, signals: rows.map(listItem) } };
}

function summary(state: ApiState, ctx: Ctx): Reply {
  const hours = queryInt(ctx.query, 'hours', 24);
  const strategyId = queryOptionalInt(ctx.query, 'strategy_id');
  const st = state.store.signalStats(Date.now() - hours * HOUR_MS, strategyId);
  return {
    status: 200,
    body: {
      period_hours: hours,
      total_signals: st.total,
      buy_signals: st.buy,
      sell_signals: st.sell,
      strong_signals: st.strong,
      medium_signals: st.medium,
      weak_signals: st.weak,
      average_strength: st.avgStrength === null ? 0 : Math.round(st.avgStrength * 1000) / 1000,
      strategy_id: strategyId ?? null,
    },
  };
}

function trend(state: ApiState, ctx: Ctx): Reply {
  const hours = queryInt(ctx.query, 'hours', 24);
  const groupBy = ctx.query.get('group_by') ?? 'all';
  const strategyId = queryOptionalInt(ctx.query, 'strategy_id');
  const intervalMinutes = hours <= 24 ? 60 : hours <= 72 ? 180 : 360;
  const body = {
    period_hours: hours,
    group_by: groupBy,
    interval_minutes: intervalMinutes,
    data_points: [] as unknown[],
  };
  if (!['all', 'pair', 'strategy'].includes(groupBy)) return { status: 200, body };
  const now = Date.now();
  const start = now - hours * HOUR_MS;
  const step = intervalMinutes * 60_000;
  const buckets = Math.max(1, Math.ceil((now - start) / step));
  const points = Array.from({ length: buckets }, (_, index) => ({
    timestamp: new Date(start + index * step).toISOString(),
    strong_signals: 0,
    medium_signals: 0,
    weak_signals: 0,
    total_signals: 0,
  }));
  for (const row of state.store.signalLevelsSince(start, strategyId)) {
    const point = points[Math.min(buckets - 1, Math.floor((row.created_ms - start) / step))]!;
    point.total_signals++;
    if (row.strength_level === 'strong') point.strong_signals++;
    else if (row.strength_level === 'medium') point.medium_signals++;
    else if (row.strength_level === 'weak') point.weak_signals++;
  }
  body.data_points = points;
  return { status: 200, body };
}

function optionalNumber(
  body: Record<string, unknown>,
  key: string,
  problems: ErrorItem[],
  integer = false,
): number | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  const parsed = asFloat(value);
  if (parsed === undefined || (integer && !Number.isInteger(parsed))) {
    problems.push(integer ? errors.intType(['body', key], value) : errors.floatType(['body', key], value));
    return null;
  }
  return parsed;
}

function optionalDate(body: Record<string, unknown>, key: string, problems: ErrorItem[]): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    problems.push(errors.valueError(['body', key], value, 'Invalid isoformat string'));
    return null;
  }
  return value;
}

function webhook(state: ApiState, ctx: Ctx): Reply {
  const id = parseIntParam(ctx.params.strategy_id!, ['path', 'strategy_id']);
  const body = parseJsonBody(ctx);
  if (!isPlainObject(body)) throw unprocessable(errors.dictType(['body'], body));
  const strategy = state.store.strategy(id); // no status or is_active check, as in the real backend
  if (!strategy) throw detail(404, 'Strategy not found');

  const problems: ErrorItem[] = [];
  const pair = body.pair;
  if (pair === undefined || pair === null) problems.push(errors.missing(['body', 'pair']));
  else if (typeof pair !== 'string') problems.push(errors.stringType(['body', 'pair'], pair));
  else if (pair.length > 20) problems.push(errors.tooLong(['body', 'pair'], pair, 20));
  const action = body.action ?? 'hold';
  if (typeof action !== 'string') problems.push(errors.stringType(['body', 'action'], action));
  else if (action.length > 10) problems.push(errors.tooLong(['body', 'action'], action, 10));
  const currentRate = optionalNumber(body, 'current_rate', problems);
  if (body.current_rate === undefined || body.current_rate === null)
    problems.push(errors.missing(['body', 'current_rate']));
  let indicators: Record<string, unknown> | null = null;
  let strength = DEFAULT_SIGNAL_STRENGTH;
  if (body.indicators !== undefined) {
    if (!isPlainObject(body.indicators))
      problems.push(errors.dictType(['body', 'indicators'], body.indicators));
    else {
      indicators = body.indicators;
      if (indicators.signal_strength !== undefined) {
        const givenStrength = asFloat(indicators.signal_strength);
        if (givenStrength === undefined)
          problems.push(
            errors.floatType(['body', 'indicators', 'signal_strength'], indicators.signal_strength),
          );
        else strength = givenStrength;
      }
    }
  }
  const entryPrice = optionalNumber(body, 'entry_price', problems);
  const exitPrice = optionalNumber(body, 'exit_price', problems);
  const profitRatio = optionalNumber(body, 'profit_ratio', problems);
  const profitAbs = optionalNumber(body, 'profit_abs', problems);
  const tradeDuration = optionalNumber(body, 'trade_duration', problems, true);
  const tradeId = optionalNumber(body, 'trade_id', problems, true);
  const openDate = optionalDate(body, 'open_date', problems);
  const closeDate = optionalDate(body, 'close_date', problems);
  if (problems.length > 0) throw unprocessable(...problems);

  let thresholds: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(strategy.signal_thresholds) as unknown;
    if (isPlainObject(parsed)) thresholds = parsed;
  } catch {
    // stored thresholds are validated on create; fall back to the defaults
  }
  const level = strengthLevel(strength, thresholds);
  const signalId = state.store.insertSignal({
    strategyId: id,
    pair: pair as string,
    action: action as string,
    signalStrength: strength,
    strengthLevel: level,
    currentRate: currentRate!,
    entryPrice,
    exitPrice,
    profitRatio,
    profitAbs,
    tradeDuration,
    indicators,
    tradeId,
    openDate,
    closeDate,
    nowMs: Date.now(),
  });
  return { status: 200, body: { status: 'success', signal_id: signalId, strength_level: level } };
}

export function signalRoutes(router: Router, state: ApiState): void {
  const authed = (fn: (ctx: Ctx) => Reply) => (ctx: Ctx) => {
    authenticate(state, ctx);
    return fn(ctx);
  };
  router
    .add(
      'GET',
      `${BASE}/`,
      authed((ctx) => list(state, ctx)),
    )
    .add(
      'GET',
      `${BASE}/statistics/summary`,
      authed((ctx) => summary(state, ctx)),
    )
    .add(
      'GET',
      `${BASE}/statistics/trend`,
      authed((ctx) => trend(state, ctx)),
    )
    .add('POST', `${BASE}/webhook/{strategy_id}`, (ctx) => webhook(state, ctx))
    .add(
      'GET',
      `${BASE}/{signal_id}`,
      authed((ctx) => {
        const signal = state.store.signal(parseIntParam(ctx.params.signal_id!, ['path', 'signal_id']));
        if (!signal) throw detail(404, 'Signal not found');
        return { status: 200, body: detailJson(signal) };
      }),
    );
}
