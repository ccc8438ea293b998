// HighConcurrencyAuthUser (auth module): a fresh login per task, then a request with that new token.
import { ifFound, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'HighConcurrencyAuthUser',
  module: 'auth',
  comprehensive: false,
  thinkSeconds: [0.5, 2],
  login: null,
  tasks: [
    task(
      'HC-1',
      1,
      request('POST /auth/token [RAPID LOGIN]', '/auth/token', { form: 'user', after: 'keepRapidToken' }),
      ifFound(request('GET /strategies/ [RAPID VERIFY]', '/strategies/', { auth: 'rapidToken' })),
    ),
  ],
});
