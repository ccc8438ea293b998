// StrategyReadUser (strategy module): lists, pages, details and the overview of strategies.
import { ifFound, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'StrategyReadUser',
  module: 'strategy',
  comprehensive: true,
  thinkSeconds: [1, 3],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('SR-1', 20, request('GET /strategies/ [LIST]', '/strategies/')),
    task(
      'SR-2',
      10,
      request(
        'GET /strategies/ [PAGINATED]',
        '/strategies/?skip={{ q.strategySkip }}&limit={{ q.strategyLimit }}',
      ),
    ),
    task(
      'SR-3',
      5,
      request('GET /strategies/ [FOR DETAIL]', '/strategies/', { pick: { list: 'strategies' } }),
      ifFound(request('GET /strategies/{id} [DETAIL]', '/strategies/{{ strategyId }}')),
    ),
    task('SR-4', 3, request('GET /strategies/overview [OVERVIEW]', '/strategies/overview')),
  ],
});
