// SignalComplexQueryUser (signal module): combined filters, a date range and the trend aggregation.
import { locust, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'SignalComplexQueryUser',
  module: 'signal',
  comprehensive: false,
  thinkSeconds: [2, 6],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task(
      'CQ-1',
      10,
      request(
        'GET /signals/ [COMPLEX FILTER]',
        '/signals/?pair={{ q.pair }}&action={{ q.action }}&strength_level={{ q.complexStrength }}' +
          '&limit={{ q.complexLimit }}',
      ),
    ),
    locust(
      '`GET /signals/ [DATE RANGE]` (`start_date`, ignored): here `?hours=168`',
      task('CQ-2', 5, request('GET /signals/ [DATE RANGE]', '/signals/?hours=168')),
    ),
    locust(
      '`GET /signals/statistics [AGGREGATION]` (422)',
      task(
        'CQ-3',
        3,
        request('GET /signals/statistics/trend [AGGREGATION]', '/signals/statistics/trend?group_by=pair'),
      ),
    ),
  ],
});
