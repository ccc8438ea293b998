// RealWorldUser (locustfile.py): a dashboard user; manages a strategy now and then (start 50 % if stopped,
// stop 30 % if running), only this run's.
import { ifFound, locust, request, task, userClass, when } from '../user-class.js';

const ACCEPTED = { json: {}, expect: 202 } as const;

export default userClass({
  name: 'RealWorldUser',
  module: 'locustfile',
  comprehensive: true,
  thinkSeconds: [3, 10],
  login: 'POST /auth/token [REAL USER LOGIN]',
  tasks: [
    task(
      'RW-1',
      10,
      request('GET /strategies/overview [DASHBOARD]', '/strategies/overview'),
      request('GET /signals/ [DASHBOARD SIGNALS]', '/signals/?limit=10'),
    ),
    locust(
      '`GET /strategies/ [REAL USER]`, `GET /strategies/{id} [REAL USER]` (30 %)',
      task(
        'RW-2',
        8,
        request('GET /strategies/ [REAL USER]', '/strategies/', {
          pick: { list: 'strategies', chance: 0.3 },
        }),
        ifFound(request('GET /strategies/{id} [REAL USER]', '/strategies/{{ strategyId }}')),
      ),
    ),
    task(
      'RW-3',
      8,
      when('heads', request('GET /signals/ [REAL USER]', '/signals/?pair={{ q.realUserPair }}')),
      when('tails', request('GET /signals/ [REAL USER]', '/signals/?limit=20')),
    ),
    task(
      'RW-4',
      3,
      request('GET /strategies/ [FOR MANAGEMENT]', '/strategies/', { after: 'pickManagedStrategy' }),
      when(
        'startIt',
        request('POST /strategies/{id}/start [REAL USER]', '/strategies/{{ strategyId }}/start', ACCEPTED),
      ),
      when(
        'stopIt',
        request('POST /strategies/{id}/stop [REAL USER]', '/strategies/{{ strategyId }}/stop', ACCEPTED),
      ),
    ),
    locust(
      '`GET /signals/statistics [REAL USER]` (422)',
      task('RW-5', 2, request('GET /signals/statistics/summary [REAL USER]', '/signals/statistics/summary')),
    ),
  ],
});
