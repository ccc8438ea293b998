// FastAPI/pydantic v2 shaped validation errors: `{"detail": [{type, loc, msg, input}, ...]}` with status 422.

export interface ErrorItem {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(
      typeof body === 'object' && body !== null && 'detail' in body
        ? String((body as { detail: unknown }).detail)
        : `HTTP ${status}`,
    );
  }
}

export function detail(status: number, text: string, headers?: Record<string, string>): HttpError {
  return new HttpError(status, { detail: text }, headers);
}

export function unprocessable(...items: ErrorItem[]): HttpError {
  return new HttpError(422, { detail: items });
}

export const errors = {
  missing: (loc: ErrorItem['loc'], input: unknown = null): ErrorItem => ({
    type: 'missing',
    loc,
    msg: 'Field required',
    input,
  }),
  intParsing: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'int_parsing',
    loc,
    msg: 'Input should be a valid integer, unable to parse string as an integer',
    input,
  }),
  intType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'int_type',
    loc,
    msg: 'Input should be a valid integer',
    input,
  }),
  floatType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'float_type',
    loc,
    msg: 'Input should be a valid number',
    input,
  }),
  stringType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'string_type',
    loc,
    msg: 'Input should be a valid string',
    input,
  }),
  boolType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'bool_type',
    loc,
    msg: 'Input should be a valid boolean',
    input,
  }),
  listType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'list_type',
    loc,
    msg: 'Input should be a valid list',
    input,
  }),
  dictType: (loc: ErrorItem['loc'], input: unknown): ErrorItem => ({
    type: 'dict_type',
    loc,
    msg: 'Input should be a valid dictionary',
    input,
  }),
  tooShort: (loc: ErrorItem['loc'], input: unknown, min: number): ErrorItem => ({
    type: 'string_too_short',
    loc,
    msg: `String should have at least ${min} characters`,
    input,
    ctx: { min_length: min },
  }),
  tooLong: (loc: ErrorItem['loc'], input: unknown, max: number): ErrorItem => ({
    type: 'string_too_long',
    loc,
    msg: `String should have at most ${max} characters`,
    input,
    ctx: { max_length: max },
  }),
  valueError: (loc: ErrorItem['loc'], input: unknown, msg: string): ErrorItem => ({
    type: 'value_error',
    loc,
    msg: `Value error, ${msg}`,
    input,
  }),
  jsonInvalid: (error: string): ErrorItem => ({
    type: 'json_invalid',
    loc: ['body', 0],
    msg: 'JSON decode error',
    input: {},
    ctx: { error },
  }),
};

const INT_RE = /^\s*[+-]?\d+\s*$/;

/** Parses a path or query integer as pydantic does for `int` (strings of digits only). */
export function parseIntParam(raw: string, loc: ErrorItem['loc']): number {
  if (!INT_RE.test(raw)) throw unprocessable(errors.intParsing(loc, raw));
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw unprocessable(errors.intParsing(loc, raw));
  return value;
}

/** A query integer with a default when the parameter is absent. */
export function queryInt(query: URLSearchParams, name: string, dflt: number): number {
  const raw = query.get(name);
  return raw === null ? dflt : parseIntParam(raw, ['query', name]);
}

/**
 * `skip` (default 0) and `limit` (default 100). The real backend passes negatives to SQL (a 500 on
 * Postgres); the reference API rejects them with a 422 instead.
 */
export function queryPage(query: URLSearchParams): { skip: number; limit: number } {
  const skip = queryInt(query, 'skip', 0);
  const limit = queryInt(query, 'limit', 100);
  for (const [name, value] of [
    ['skip', skip],
    ['limit', limit],
  ] as const) {
    if (value < 0) {
      throw unprocessable({
        type: 'greater_than_equal',
        loc: ['query', name],
        msg: 'Input should be greater than or equal to 0',
        input: String(value),
        ctx: { ge: 0 },
      });
    }
  }
  return { skip, limit };
}

/** An optional query integer; absent gives undefined. */
export function queryOptionalInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  return raw === null ? undefined : parseIntParam(raw, ['query', name]);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** pydantic's lax float: numbers, and numeric strings; not booleans. */
export function asFloat(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
