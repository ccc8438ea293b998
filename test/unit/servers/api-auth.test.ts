import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signJwt } from '../../../reference-api/jwt.js';
import { JWT_SECRET, startTestApi, type TestApi } from '../../helpers/api.js';

describe('reference API: auth', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('logs in with a form and returns token, type and user', async () => {
    const response = await api.call('POST', '/api/v1/auth/token', {
      form: { username: 'testuser', password: 'testpass123' },
      token: null,
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.token_type, 'bearer');
    assert.match(response.body.access_token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(Object.keys(response.body.user).sort(), [
      'created_at',
      'email',
      'id',
      'is_active',
      'is_superuser',
      'last_login',
      'username',
    ]);
    assert.equal(response.body.user.username, 'testuser');
    assert.notEqual(response.body.user.last_login, null);
  });

  it('admin/admin123 is seeded and can log in', async () => {
    const response = await api.call('POST', '/api/v1/auth/token', {
      form: { username: 'admin', password: 'admin123' },
      token: null,
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.user.is_superuser, true);
  });

  it('answers 401 for a wrong password and for an unknown user', async () => {
    for (const form of [
      { username: 'testuser', password: 'nope' },
      { username: 'invaliduser', password: 'wrongpassword' },
    ]) {
      const response = await api.call('POST', '/api/v1/auth/token', { form, token: null });
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { detail: 'Incorrect username or password' });
    }
  });

  it('answers 422 for empty credentials, a JSON body, and a wrong grant_type', async () => {
    const empty = await api.call('POST', '/api/v1/auth/token', {
      form: { username: '', password: '' },
      token: null,
    });
    assert.equal(empty.status, 422);
    assert.deepEqual(
      empty.body.detail.map((d: any) => d.loc),
      [
        ['body', 'username'],
        ['body', 'password'],
      ],
    );
    assert.equal(empty.body.detail[0].type, 'missing');
    const json = await api.call('POST', '/api/v1/auth/token', {
      body: { username: 'testuser', password: 'testpass123' },
      token: null,
    });
    assert.equal(json.status, 422);
    const grant = await api.call('POST', '/api/v1/auth/token', {
      form: { username: 'testuser', password: 'testpass123', grant_type: 'client_credentials' },
      token: null,
    });
    assert.equal(grant.status, 422);
    assert.deepEqual(grant.body.detail[0].loc, ['body', 'grant_type']);
  });

  it('GET /auth/me returns the bare user for a valid token', async () => {
    const response = await api.call('GET', '/api/v1/auth/me');
    assert.equal(response.status, 200);
    assert.equal(response.body.username, 'testuser');
    assert.equal(response.body.access_token, undefined);
  });

  it(
    'GET /auth/me: 401 without a token, with a garbage token, ' +
      'with an expired token, with a foreign signature',
    async () => {
      const none = await api.call('GET', '/api/v1/auth/me', { token: null });
      assert.equal(none.status, 401);
      assert.deepEqual(none.body, { detail: 'Not authenticated' });
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      const garbage = await api.call('GET', '/api/v1/auth/me', { token: 'invalid' });
      assert.equal(garbage.status, 401);
      assert.deepEqual(garbage.body, { detail: 'Could not validate credentials' });
      const expired = signJwt({ sub: 'testuser', exp: Math.floor(Date.now() / 1000) - 1 }, JWT_SECRET);
      assert.equal((await api.call('GET', '/api/v1/auth/me', { token: expired })).status, 401);
      const forged = signJwt({ sub: 'testuser', exp: Math.floor(Date.now() / 1000) + 60 }, 'another-secret');
      assert.equal((await api.call('GET', '/api/v1/auth/me', { token: forged })).status, 401);
      const basic = await api.call('GET', '/api/v1/auth/me', {
        token: null,
        headers: { authorization: 'Basic dGVzdDp0ZXN0' },
      });
      assert.deepEqual(basic.body, { detail: 'Not authenticated' });
    },
  );

  it('registers a user with 201, refuses a duplicate with 400, validates with 422', async () => {
    const body = { username: 'load_user_1', email: 'load1@example.com', password: 'secret123' };
    const response = await api.call('POST', '/api/v1/auth/register', { body, token: null });
    assert.equal(response.status, 201);
    assert.equal(response.body.username, 'load_user_1');
    assert.equal(response.body.is_active, true);
    const dup = await api.call('POST', '/api/v1/auth/register', { body, token: null });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.body, { detail: 'Username already registered' });
    const dupMail = await api.call('POST', '/api/v1/auth/register', {
      body: { ...body, username: 'other_name' },
      token: null,
    });
    assert.deepEqual(dupMail.body, { detail: 'Email already registered' });
    const bad = await api.call('POST', '/api/v1/auth/register', {
      body: { username: 'ab', email: 'nope', password: '123' },
      token: null,
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.detail.map((d: any) => d.loc[1]),
      ['username', 'email', 'password'],
    );
    // The real validator accepts any name containing an underscore, even with other symbols.
    const quirk = await api.call('POST', '/api/v1/auth/register', {
      body: { username: 'a-b_c', email: 'abc@example.com', password: 'secret123' },
      token: null,
    });
    assert.equal(quirk.status, 201);
    const login = await api.call('POST', '/api/v1/auth/token', {
      form: { username: 'load_user_1', password: 'secret123' },
      token: null,
    });
    assert.equal(login.status, 200);
  });

  it('logout needs a Bearer header but does not validate it', async () => {
    assert.equal((await api.call('POST', '/api/v1/auth/logout', { token: 'anything' })).status, 200);
    assert.equal((await api.call('POST', '/api/v1/auth/logout', { token: null })).status, 401);
  });

  it('has no refresh endpoint', async () => {
    assert.equal((await api.call('POST', '/api/v1/auth/refresh')).status, 404);
  });
});

describe('reference API: APIs of one process share the hashing thread', () => {
  const login = (api: TestApi) =>
    api.call('POST', '/api/v1/auth/token', {
      form: { username: 'testuser', password: 'testpass123' },
      token: null,
    });

  it('keeps hashing for one API after another closes, and again after the last one closed', async () => {
    const first = await startTestApi();
    const second = await startTestApi();
    assert.equal((await login(first)).status, 200);
    await first.close();
    assert.equal((await login(second)).status, 200);
    await second.close();
    const third = await startTestApi();
    try {
      assert.equal((await login(third)).status, 200);
    } finally {
      await third.close();
    }
  });
});
