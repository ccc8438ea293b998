// AuthenticatedReadUser (auth module): reads with the token it got at start.
import { request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'AuthenticatedReadUser',
  module: 'auth',
  comprehensive: true,
  thinkSeconds: [1, 3],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('AR-1', 10, request('GET /auth/me [CURRENT USER]', '/auth/me')),
    task('AR-2', 5, request('GET /strategies/ [TOKEN VERIFY]', '/strategies/')),
  ],
});
