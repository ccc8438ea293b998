// The shapes of Artillery's hook arguments that the processors use (Artillery's own types leave them open).
import type { VUContext, VUEvents } from 'artillery';

export type { VUContext, VUEvents };
export type Done = (err?: Error) => void;
// biome-ignore lint/suspicious/noExplicitAny: Artillery's request params are untyped; hooks set form/json.
export type RequestParams = Record<string, any>;
export type Response = { statusCode: number; body?: unknown };

/**
 * A flag the YAML branches on with `loop: over:`: a one-element array runs the block once; anything else
 * (undefined, an empty map's missing key) skips it.
 */
export const ONCE: readonly number[] = Object.freeze([1]);
