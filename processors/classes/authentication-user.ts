// AuthenticationUser (auth module): logins only, with no login at start. Expected rejections are successes.
import { locust, request, task, userClass } from '../user-class.js';

const TOKEN = '/auth/token';

export default userClass({
  name: 'AuthenticationUser',
  module: 'auth',
  comprehensive: true,
  thinkSeconds: [2, 5],
  login: null,
  tasks: [
    task('AU-1', 10, request('POST /auth/token [LOGIN]', TOKEN, { form: 'user' })),
    // 401 on a stock backend, whose seeded admin hash differs; 200 when admin credentials are given.
    task(
      'AU-2',
      5,
      request('POST /auth/token [ADMIN LOGIN]', TOKEN, { form: 'admin', expect: '{{ adminLoginStatus }}' }),
    ),
    locust(
      '`POST /auth/token [INVALID LOGIN]` (never recorded)',
      task(
        'AU-3',
        3,
        request('POST /auth/token [INVALID LOGIN]', TOKEN, {
          form: { username: 'invaliduser', password: 'wrongpassword' },
          expect: [400, 401, 422],
        }),
      ),
    ),
    locust(
      '`POST /auth/token [EMPTY CREDENTIALS]` (never recorded)',
      task(
        'AU-4',
        2,
        request('POST /auth/token [EMPTY CREDENTIALS]', TOKEN, {
          form: { username: '', password: '' },
          expect: [400, 401, 422],
        }),
      ),
    ),
  ],
});
