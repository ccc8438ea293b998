// Every request name each user class sends (behaviours.md §2, with the corrected paths), for the end-to-end
// checks that a run sent all of them. Written out by hand on purpose: it is the spec the flows must meet.
export const NAMES_BY_CLASS: Record<string, string[]> = {
  AuthenticationUser: [
    'POST /auth/token [LOGIN]',
    'POST /auth/token [ADMIN LOGIN]',
    'POST /auth/token [INVALID LOGIN]',
    'POST /auth/token [EMPTY CREDENTIALS]',
  ],
  AuthenticatedReadUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /auth/me [CURRENT USER]',
    'GET /strategies/ [TOKEN VERIFY]',
  ],
  HighConcurrencyAuthUser: ['POST /auth/token [RAPID LOGIN]', 'GET /strategies/ [RAPID VERIFY]'],
  StrategyReadUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /strategies/ [LIST]',
    'GET /strategies/ [PAGINATED]',
    'GET /strategies/ [FOR DETAIL]',
    'GET /strategies/{id} [DETAIL]',
    'GET /strategies/overview [OVERVIEW]',
  ],
  StrategyWriteUser: [
    'POST /auth/token [LOGIN AT START]',
    'POST /strategies/ [CREATE]',
    'PUT /strategies/{id} [UPDATE]',
    'DELETE /strategies/{id} [DELETE]',
  ],
  StrategyOperationsUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /strategies/ [FOR START]',
    'POST /strategies/{id}/start [START]',
    'GET /strategies/ [FOR STOP]',
    'POST /strategies/{id}/stop [STOP]',
    'GET /strategies/ [FOR LOGS]',
    'GET /strategies/{id}/logs [LOGS]',
  ],
  StrategyMixedUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /strategies/ [BROWSE]',
    'POST /strategies/ [MIXED CREATE]',
    'GET /strategies/{id} [MIXED DETAIL]',
    'POST /strategies/{id}/start [MIXED START]',
    'POST /strategies/{id}/stop [MIXED STOP]',
    'DELETE /strategies/{id} [MIXED DELETE]',
  ],
  SignalReadUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /signals/ [LIST]',
    'GET /signals/ [PAGINATED]',
    'GET /signals/ [FILTER BY PAIR]',
    'GET /signals/ [FILTER BY ACTION]',
    'GET /signals/ [FILTER BY STRENGTH]',
    'GET /signals/ [FOR DETAIL]',
    'GET /signals/{id} [DETAIL]',
    'GET /signals/statistics/summary [STATS]',
  ],
  SignalWebhookUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /strategies/ [FOR WEBHOOK]',
    'POST /signals/webhook/{id} [BUY]',
    'POST /signals/webhook/{id} [SELL]',
    'GET /strategies/ [FOR RAPID]',
    'POST /signals/webhook/{id} [RAPID]',
  ],
  SignalComplexQueryUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /signals/ [COMPLEX FILTER]',
    'GET /signals/ [DATE RANGE]',
    'GET /signals/statistics/trend [AGGREGATION]',
  ],
  SignalMixedUser: [
    'POST /auth/token [LOGIN AT START]',
    'GET /signals/ [BROWSE]',
    'GET /signals/ [MIXED FILTER]',
    'GET /signals/{id} [MIXED DETAIL]',
    'GET /signals/statistics/summary [MIXED STATS]',
    'GET /signals/ [MIXED RECENT]',
  ],
  RealWorldUser: [
    'POST /auth/token [REAL USER LOGIN]',
    'GET /strategies/overview [DASHBOARD]',
    'GET /signals/ [DASHBOARD SIGNALS]',
    'GET /strategies/ [REAL USER]',
    'GET /strategies/{id} [REAL USER]',
    'GET /signals/ [REAL USER]',
    'GET /strategies/ [FOR MANAGEMENT]',
    'POST /strategies/{id}/start [REAL USER]',
    'POST /strategies/{id}/stop [REAL USER]',
    'GET /signals/statistics/summary [REAL USER]',
  ],
  APIMonitorUser: [
    'POST /auth/token [MONITOR LOGIN]',
    'GET /strategies/ [HEALTH CHECK]',
    'GET /signals/ [HEALTH CHECK]',
    'GET /strategies/overview [HEALTH CHECK]',
  ],
};

/**
 * Names that need a server state a short comprehensive run rarely reaches: RealWorldUser stops a strategy
 * only when its random pick is running and a 30 % draw succeeds. Checked in a RealWorldUser-only run.
 */
export const STATE_DEPENDENT = new Set(['POST /strategies/{id}/stop [REAL USER]']);

/** Classes that log in once at start (all but AuthenticationUser and HighConcurrencyAuthUser). */
export const LOGS_IN_AT_START = new Set(
  Object.keys(NAMES_BY_CLASS).filter((c) => c !== 'AuthenticationUser' && c !== 'HighConcurrencyAuthUser'),
);

export const MIX_CLASSES: Record<string, string[]> = {
  comprehensive: [
    'APIMonitorUser',
    'AuthenticatedReadUser',
    'AuthenticationUser',
    'RealWorldUser',
    'SignalMixedUser',
    'SignalReadUser',
    'SignalWebhookUser',
    'StrategyOperationsUser',
    'StrategyReadUser',
    'StrategyWriteUser',
  ],
  auth: ['AuthenticatedReadUser', 'AuthenticationUser', 'HighConcurrencyAuthUser'],
  strategy: ['StrategyMixedUser', 'StrategyOperationsUser', 'StrategyReadUser', 'StrategyWriteUser'],
  signal: ['SignalComplexQueryUser', 'SignalMixedUser', 'SignalReadUser', 'SignalWebhookUser'],
};
