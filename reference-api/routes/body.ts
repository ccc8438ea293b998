// JSON body reading with FastAPI's rules: no content type or a JSON one is parsed as JSON; any other content
// type (a form, say) reaches the handler as raw bytes and fails dict validation.
import type { Ctx } from '../router.js';
import { errors, unprocessable } from '../validation.js';

export function parseJsonBody(ctx: Ctx): unknown {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = type === '' || type === 'application/json' || type.endsWith('+json');
  if (ctx.body.length === 0) throw unprocessable(errors.missing(['body']));
  const text = ctx.body.toString('utf8');
  if (!isJson) throw unprocessable(errors.dictType(['body'], text));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw unprocessable(errors.jsonInvalid(error instanceof Error ? error.message : 'Expecting value'));
  }
}
