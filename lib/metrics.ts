// Names of the metrics that the processors emit and the plugin and report read, in one place: the pack's own
// (btcw.*), this plugin's worker half (plugins.btcw-targets.*), and the ones of Artillery and
// metrics-by-endpoint that the verdict reads. Counters only where a figure must add up across worker threads
// and containers.

// ---- the processors' metrics -----------------------------------------------------------------------------
/** Counter per class: `btcw.users_started.<Class>`. */
export const USERS_STARTED = 'btcw.users_started.';
/** Counter: users that finished (deadline reached, stopped, or ended by a network error). */
export const USERS_ENDED = 'btcw.users_ended';
/** Counter per class: `btcw.users_ended.<Class>`, the same ends by class (users per class over time). */
export const USERS_ENDED_BY_CLASS = 'btcw.users_ended.';
/** Counter per reason: `btcw.users_stopped.<reason>`. */
export const USERS_STOPPED = 'btcw.users_stopped.';
/** Stop reasons of the load generator's own errors (the btcw engine's): a hook that failed, an engine bug. */
export const HOOK_FAILED = 'hook_failed';
export const ENGINE_ERROR = 'engine_error';
/** Counter: first logins of users. */
export const LOGINS = 'btcw.logins';
/**
 * Histogram: when each first login ended, in ms since its worker thread's first user started. Its max is
 * when the login wave ended, where the counter above only tells the 10 s period; worker threads are
 * released together, so their zeros differ by about one arrival interval (user-state.ts).
 */
export const FIRST_LOGIN_AT = 'btcw.first_login_at';
/** Counter: logins that renewed a token. */
export const RELOGINS = 'btcw.relogins';
/** Counter: first logins tried again after a 5xx, 408, 429, timeout or network error. */
export const LOGIN_RETRIES = 'btcw.login_retries';
/** Counter: 401s on a user's own token. */
export const UNEXPECTED_401 = 'btcw.unexpected_401';
/** Histogram (the btcw engine's): how long requests that got no answer took to fail, in ms. */
export const ERROR_TIME = 'btcw.error_time';
/** Counter per task: `btcw.skipped.<task>`, steps skipped for want of an id. */
export const SKIPPED = 'btcw.skipped.';

// ---- Artillery's and metrics-by-endpoint's ----------------------------------------------------------------
export const HTTP_REQUESTS = 'http.requests';
export const HTTP_RESPONSE_TIME = 'http.response_time';
/** metrics-by-endpoint: `<name>.codes.<status>`, `<name>.errors.<code>`, `response_time.<name>`. */
export const BY_ENDPOINT = 'plugins.metrics-by-endpoint.';

// ---- this plugin's worker half (plugin/index.ts) ----------------------------------------------------------
export const TARGETS_PLUGIN = 'plugins.btcw-targets.';
/** Counter: responses the worker half judged (its presence says failures were judged by expectation). */
export const JUDGED_RESPONSES = `${TARGETS_PLUGIN}responses`;
/**
 * Counters of the requests the verdict calls failed: `failed.<name>.codes.<status>` (a status the request's
 * expectation does not list) and `failed.<name>.errors.<code>` (a network error or timeout). Results from
 * before version 2 hold one `failed.<name>` total per request name instead.
 */
export const FAILED = `${TARGETS_PLUGIN}failed.`;
/**
 * Counters `slower.<bound>ms.<name>`: responses of a request name whose time to first byte reached one of
 * the run's tier bounds for it. Each key is created at 0 on a name's first response in a worker thread, so
 * a present key is an exact count, where the sketch's percentiles only bound it (grading/evidence.ts).
 */
export const SLOWER = `${TARGETS_PLUGIN}slower.`;
export const slowerKey = (boundMs: number, name: string) => `${SLOWER}${boundMs}ms.${name}`;
/** Histogram per operation class: `response_time.<class>` (time to first byte). */
export const CLASS_RESPONSE_TIME = `${TARGETS_PLUGIN}response_time.`;
/** Histogram: the client's time minus the server's own (Server-Timing), per response. */
export const GENERATOR_ADDED_MS = `${TARGETS_PLUGIN}generator_added_ms`;
/**
 * Histograms of the server's own time (Server-Timing `total`), per request name (`server_time.<name>`) and
 * per operation class (`server_time_class.<class>`): what a busy load generator cannot inflate, so the
 * regression rule judges on them when both runs have them (grading/regression.ts).
 */
export const SERVER_TIME = `${TARGETS_PLUGIN}server_time.`;
export const SERVER_TIME_CLASS = `${TARGETS_PLUGIN}server_time_class.`;
/** Counter `run_profile.<profile>`, once per worker thread: the profile a results file was run with. */
export const RUN_PROFILE = `${TARGETS_PLUGIN}run_profile.`;

export const failedCode = (name: string, status: number | string) => `${FAILED}${name}.codes.${status}`;
export const failedError = (name: string, code: string) => `${FAILED}${name}.errors.${code}`;
