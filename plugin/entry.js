// Package entry for Artillery's plugin loader: the plugin is written in TypeScript (plugin/*.ts) and compiled
// with the rest of the project into build/; `npm ci` builds it (the `prepare` script).
export * from '../build/plugin/index.js';
