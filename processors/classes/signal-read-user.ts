// SignalReadUser (signal module): lists, pages, filters and details signals, and their statistics.
import { ifFound, locust, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'SignalReadUser',
  module: 'signal',
  comprehensive: true,
  thinkSeconds: [1, 4],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('SG-1', 25, request('GET /signals/ [LIST]', '/signals/')),
    task(
      'SG-2',
      15,
      request('GET /signals/ [PAGINATED]', '/signals/?skip={{ q.signalSkip }}&limit={{ q.signalLimit }}'),
    ),
    task('SG-3', 10, request('GET /signals/ [FILTER BY PAIR]', '/signals/?pair={{ q.pair }}')),
    task('SG-4', 8, request('GET /signals/ [FILTER BY ACTION]', '/signals/?action={{ q.action }}')),
    task(
      'SG-5',
      5,
      request('GET /signals/ [FILTER BY STRENGTH]', '/signals/?strength_level={{ q.strengthLevel }}'),
    ),
    task(
      'SG-6',
      8,
      request('GET /signals/ [FOR DETAIL]', '/signals/?limit=10', { pick: { list: 'signals' } }),
      ifFound(request('GET /signals/{id} [DETAIL]', '/signals/{{ signalId }}')),
    ),
    locust(
      '`GET /signals/statistics [STATS]` (422)',
      task('SG-7', 5, request('GET /signals/statistics/summary [STATS]', '/signals/statistics/summary')),
    ),
  ],
});
