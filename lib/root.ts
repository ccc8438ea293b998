// The pack's folder, for files found relative to it (scenarios, config, node_modules). Built from a file
// URL with fileURLToPath, so a checkout path with spaces or non-ASCII characters works.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Compiled to build/lib/root.js: two levels below the pack's folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
