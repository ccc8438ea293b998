// Ids taken from the API's wrapped list responses and from what a user created, for the steps that need
// one (`loop: over: when.found`). A step that needs an id and finds none is skipped and counted.

import { SKIPPED } from '../lib/metrics.js';
import { tagOf, tagSuffix } from '../lib/tagged-cleanup.js';
import type { Done, RequestParams, Response, VUContext, VUEvents } from './artillery-types.js';
import { decide } from './task-vars.js';
import type { Pick } from './user-class.js';
import { inScope, jsonObject, type ListItem, listItems } from './user-decisions.js';
import { state } from './user-state.js';

/** A strategy of this run, made by this process or another container of it (`<tag>` or `<tag>-w<hex>`). */
function inWholeRun(name: string | undefined, shared: string): boolean {
  const tag = typeof name === 'string' ? tagOf(name) : null;
  if (tag === null || !tag.startsWith(shared)) return false;
  return tag === shared || /^-w[0-9a-f]{6}$/.test(tag.slice(shared.length));
}

function skipped(context: VUContext, events: VUEvents): void {
  events.emit('counter', `${SKIPPED}${String(context.vars.taskId)}`, 1);
}

/** The candidates a Pick allows: its list, this run's strategies only unless the run says any, a status. */
function candidates(context: VUContext, res: Response, pick: Pick): ListItem[] {
  let items = listItems(res.body, pick.list);
  if (pick.scope !== undefined && context.vars.strategyScope !== 'any') {
    if (pick.scope === 'run') items = inScope(items, 'run', tagSuffix(String(context.vars.runTag)));
    else items = items.filter((i) => inWholeRun(i.name, String(context.vars.sharedRunTag)));
  }
  if (pick.status !== undefined) items = items.filter((i) => i.status === pick.status);
  return items;
}

/**
 * afterResponse of a list request whose step says what to pick (`btcwPick` in flows.yml, a Pick in the
 * class definition): sets strategyId or signalId and the `found` flag, or counts the skip.
 */
export function pickId(
  req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const pick = req.btcwPick as Pick;
  const user = state(context);
  if (pick.chance !== undefined && user.random.next() >= pick.chance) {
    decide(context.vars, 'found', false);
    done();
    return;
  }
  const items = candidates(context, res, pick);
  const item = pick.first ? items[0] : user.random.pick(items);
  if (item === undefined) skipped(context, events);
  else context.vars[pick.list === 'signals' ? 'signalId' : 'strategyId'] = item.id;
  decide(context.vars, 'found', item !== undefined);
  done();
}

/** RW-4: a random strategy of this run; start it if stopped (50 %), stop it if running (30 %). */
export function pickManagedStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const user = state(context);
  const item = user.random.pick(candidates(context, res, { list: 'strategies', scope: 'run' }));
  if (item === undefined) {
    skipped(context, events);
    done();
    return;
  }
  const roll = user.random.next();
  context.vars.strategyId = item.id;
  decide(context.vars, 'startIt', item.status === 'stopped' && roll < 0.5);
  decide(context.vars, 'stopIt', item.status === 'running' && roll < 0.3);
  done();
}

// ---- strategies this user created -------------------------------------------------------------------------

function createdId(res: Response): number | null {
  const id = res.statusCode === 200 ? jsonObject(res.body)?.id : undefined;
  return Number.isInteger(id) ? (id as number) : null;
}

/** SW-1: the user's own strategies, for its updates and deletes. */
export function rememberCreated(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  _events: VUEvents,
  done: Done,
): void {
  const id = createdId(res);
  if (id !== null) state(context).owned.push(id);
  done();
}

/** SM-2 keeps its own strategy for the detail/start/stop/delete that follow. */
export function rememberMixed(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  setFound(context, events, createdId(res) ?? undefined);
  done();
}

/** A strategy id for the steps that need one (`found`), or the task's skip counted. */
function setFound(context: VUContext, events: VUEvents, id: number | undefined): void {
  if (id === undefined) skipped(context, events);
  else context.vars.strategyId = id;
  decide(context.vars, 'found', id !== undefined);
}

/** SW-2: one of the user's own strategies, at random. */
export function pickOwnedForUpdate(context: VUContext, events: VUEvents, done: Done): void {
  const user = state(context);
  setFound(context, events, user.random.pick(user.owned));
  done();
}

/** SW-3: the user's oldest strategy, no longer its own once deleted. */
export function takeOldestOwned(context: VUContext, events: VUEvents, done: Done): void {
  setFound(context, events, state(context).owned.shift());
  done();
}
