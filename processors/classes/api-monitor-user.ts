// APIMonitorUser (locustfile.py): health checks of the main lists, rarely.
import { locust, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'APIMonitorUser',
  module: 'locustfile',
  comprehensive: true,
  thinkSeconds: [5, 15],
  login: 'POST /auth/token [MONITOR LOGIN]',
  tasks: [
    locust(
      '`HEALTH CHECK /strategies/` (never recorded)',
      task('MO-1', 10, request('GET /strategies/ [HEALTH CHECK]', '/strategies/')),
    ),
    locust(
      '`HEALTH CHECK /signals/` (never recorded)',
      task('MO-2', 10, request('GET /signals/ [HEALTH CHECK]', '/signals/?limit=1')),
    ),
    locust(
      '`HEALTH CHECK /strategies/overview` (never recorded)',
      task('MO-3', 5, request('GET /strategies/overview [HEALTH CHECK]', '/strategies/overview')),
    ),
  ],
});
