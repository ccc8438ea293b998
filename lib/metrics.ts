// Names of the pack's own metrics, shared by the processors that emit them and the plugin and report that
// read them. Counters only where a figure must add up across worker threads and containers.

/** Counter per class: `btcw.users_started.<Class>`. */
export const USERS_STARTED = 'btcw.users_started.';
/** Counter: users that finished (deadline reached, stopped, or ended by a network error). */
export const USERS_ENDED = 'btcw.users_ended';
/** Counter per reason: `btcw.users_stopped.<reason>`. */
export const USERS_STOPPED = 'btcw.users_stopped.';
