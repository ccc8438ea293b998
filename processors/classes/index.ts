// Every user class of the pack, one line each. Adding a class: a new file beside this one, and its line here.
// Mixes follow from each class's module and `comprehensive` flag (processors/catalogue.ts).
export { default as APIMonitorUser } from './api-monitor-user.js';
export { default as AuthenticatedReadUser } from './authenticated-read-user.js';
export { default as AuthenticationUser } from './authentication-user.js';
export { default as HighConcurrencyAuthUser } from './high-concurrency-auth-user.js';
export { default as RealWorldUser } from './real-world-user.js';
export { default as SignalComplexQueryUser } from './signal-complex-query-user.js';
export { default as SignalMixedUser } from './signal-mixed-user.js';
export { default as SignalReadUser } from './signal-read-user.js';
export { default as SignalWebhookUser } from './signal-webhook-user.js';
export { default as StrategyMixedUser } from './strategy-mixed-user.js';
export { default as StrategyOperationsUser } from './strategy-operations-user.js';
export { default as StrategyReadUser } from './strategy-read-user.js';
export { default as StrategyWriteUser } from './strategy-write-user.js';
