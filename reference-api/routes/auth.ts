// /api/v1/auth: login (OAuth2 password form), me, register, logout.
import type { UserRow } from '../db.js';
import { DATABASE_LOCKED, loginErrors } from '../faults.js';
import { signJwt, verifyJwt } from '../jwt.js';
import type { Ctx, Reply, Router } from '../router.js';
import type { ApiState } from '../state.js';
import { detail, type ErrorItem, errors, HttpError, isPlainObject, unprocessable } from '../validation.js';
import { parseJsonBody } from './body.js';

const BEARER = { 'WWW-Authenticate': 'Bearer' };
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The OAuth2PasswordBearer dependency plus get_current_active_user. */
export function authenticate(state: ApiState, ctx: Ctx): UserRow {
  const header = ctx.req.headers.authorization;
  const space = header ? header.indexOf(' ') : -1;
  if (!header || space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') {
    throw detail(401, 'Not authenticated', BEARER);
  }
  const claims = verifyJwt(header.slice(space + 1).trim(), state.jwtSecret, Math.floor(Date.now() / 1000));
  const user = claims ? state.store.userByName(claims.sub) : undefined;
  if (!user) throw detail(401, 'Could not validate credentials', BEARER);
  if (user.is_active !== 1) throw detail(400, 'Inactive user');
  return user;
}

function formFields(ctx: Ctx): URLSearchParams {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // FastAPI's Form() reads only form bodies: a JSON body leaves every field missing.
  return type === 'application/x-www-form-urlencoded'
    ? new URLSearchParams(ctx.body.toString('utf8'))
    : new URLSearchParams();
}

async function login(state: ApiState, ctx: Ctx): Promise<Reply> {
  const form = formFields(ctx);
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const grantType = form.get('grant_type');
  const problems: ErrorItem[] = [];
  if (grantType !== null && grantType !== 'password') {
    problems.push({
      type: 'string_pattern_mismatch',
      loc: ['body', 'grant_type'],
      msg: "String should match pattern '^password$'",
      input: grantType,
      ctx: { pattern: '^password$' },
    });
  }
  // FastAPI 0.104 (api-contract §2) treats empty form values as missing: 422. From 0.114 on they pass as
  // "" and the login answers 401 (seen on a 0.115 deployment); the pack's AU-4 accepts both.
  if (username === '') problems.push(errors.missing(['body', 'username']));
  if (password === '') problems.push(errors.missing(['body', 'password']));
  if (problems.length > 0) throw unprocessable(...problems);

  const user = state.store.userByName(username);
  // Unknown users skip bcrypt, as in the real backend (so a bad username answers faster), and its queue.
  if (user) await state.loginTurn();
  if (!user || !(await state.hasher.verify(password, user.password_hash)) || state.loginFails()) {
    throw detail(401, 'Incorrect username or password', BEARER);
  }
  // The real backend fails here, after bcrypt, when SQLite refuses the last_login update.
  if (loginErrors(state.faults, Math.random())) throw new HttpError(500, DATABASE_LOCKED);
  state.loginsSinceFaults++;
  if (user.is_active !== 1) throw detail(400, 'Inactive user');
  const now = state.now();
  state.store.touchLogin(user.id, now);
  const token = signJwt(
    { sub: user.username, exp: Math.floor(Date.now() / 1000) + state.tokenTtl() },
    state.jwtSecret,
  );
  return {
    status: 200,
    body: { access_token: token, token_type: 'bearer', user: state.userJson({ ...user, last_login: now }) },
  };
}

function validateRegistration(body: Record<string, unknown>): ErrorItem[] {
  const problems: ErrorItem[] = [];
  const { username, email, password } = body;
  if (username === undefined) problems.push(errors.missing(['body', 'username']));
  else if (typeof username !== 'string') problems.push(errors.stringType(['body', 'username'], username));
  else if (username.length < 3) problems.push(errors.tooShort(['body', 'username'], username, 3));
  else if (username.length > 50) problems.push(errors.tooLong(['body', 'username'], username, 50));
  // The real validator's quirk: alphanumeric, or containing any underscore.
  else if (!/^[A-Za-z0-9]+$/.test(username) && !username.includes('_')) {
    problems.push(errors.valueError(['body', 'username'], username, 'Username must be alphanumeric'));
  }
  if (email === undefined) problems.push(errors.missing(['body', 'email']));
  else if (typeof email !== 'string' || !EMAIL_RE.test(email)) {
    problems.push(errors.valueError(['body', 'email'], email, 'value is not a valid email address'));
  }
  if (password === undefined) problems.push(errors.missing(['body', 'password']));
  else if (typeof password !== 'string') problems.push(errors.stringType(['body', 'password'], password));
  else if (password.length < 6) problems.push(errors.tooShort(['body', 'password'], password, 6));
  else if (password.length > 128) problems.push(errors.tooLong(['body', 'password'], password, 128));
  return problems;
}

async function register(state: ApiState, ctx: Ctx): Promise<Reply> {
  const body = parseJsonBody(ctx);
  if (!isPlainObject(body)) throw unprocessable(errors.dictType(['body'], body));
  const problems = validateRegistration(body);
  if (problems.length > 0) throw unprocessable(...problems);
  const username = body.username as string;
  const email = body.email as string;
  if (state.store.userByName(username)) throw detail(400, 'Username already registered');
  if (state.store.userByEmail(email)) throw detail(400, 'Email already registered');
  const passwordHash = await state.hasher.hash(body.password as string);
  // Re-check after the await: a concurrent registration of the same name may have won.
  if (state.store.userByName(username)) throw detail(400, 'Username already registered');
  if (state.store.userByEmail(email)) throw detail(400, 'Email already registered');
  const user = state.store.insertUser({ username, email, passwordHash, now: state.now() });
  return { status: 201, body: state.userJson(user) };
}

function logout(ctx: Ctx): Reply {
  // The real route needs a Bearer header but does not validate the token.
  const header = ctx.req.headers.authorization ?? '';
  if (!/^bearer\s+\S/i.test(header)) throw detail(401, 'Not authenticated', BEARER);
  return { status: 200, body: { message: 'Logged out successfully' } };
}

export function authRoutes(router: Router, state: ApiState): void {
  router
    .add('POST', '/api/v1/auth/token', (ctx) => login(state, ctx))
    .add('GET', '/api/v1/auth/me', (ctx) => ({ status: 200, body: state.userJson(authenticate(state, ctx)) }))
    .add('POST', '/api/v1/auth/register', (ctx) => register(state, ctx))
    .add('POST', '/api/v1/auth/logout', (ctx) => logout(ctx));
}
