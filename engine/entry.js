// Package entry for Artillery's engine loader: the engine is written in TypeScript (engine/*.ts) and
// compiled with the rest of the project into build/; `npm ci` builds it (the `prepare` script).
export * from '../build/engine/index.js';
// loadEngines constructs `ns.default ?? ns`: `export *` leaves the default out.
export { default } from '../build/engine/index.js';
