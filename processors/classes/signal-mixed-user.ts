// SignalMixedUser (signal module): browses, filters then details, and reads statistics then recent signals.
import { ifFound, locust, pause, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'SignalMixedUser',
  module: 'signal',
  comprehensive: true,
  thinkSeconds: [2, 5],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('SX-1', 20, request('GET /signals/ [BROWSE]', '/signals/?limit=20')),
    task(
      'SX-2',
      10,
      request('GET /signals/ [MIXED FILTER]', '/signals/?pair={{ q.pair }}&limit=10', {
        pick: { list: 'signals', first: true },
      }),
      ifFound(request('GET /signals/{id} [MIXED DETAIL]', '/signals/{{ signalId }}')),
    ),
    locust(
      '`GET /signals/statistics [MIXED STATS]` (422), `GET /signals/ [MIXED RECENT]`',
      task(
        'SX-3',
        5,
        request('GET /signals/statistics/summary [MIXED STATS]', '/signals/statistics/summary'),
        pause(1000),
        request('GET /signals/ [MIXED RECENT]', '/signals/?limit=5'),
      ),
    ),
  ],
});
