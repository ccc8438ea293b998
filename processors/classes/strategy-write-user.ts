// StrategyWriteUser (strategy module): creates strategies, and updates and deletes only those it created
// itself (a list per user, oldest deleted first), so no user updates what another just deleted.
import { call, ifFound, locust, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'StrategyWriteUser',
  module: 'strategy',
  comprehensive: true,
  thinkSeconds: [2, 5],
  login: 'POST /auth/token [LOGIN AT START]',
  note: 'each user updates and deletes only what it created',
  tasks: [
    locust(
      '`POST /strategies/ [CREATE]` (always 500: required keys missing)',
      task(
        'SW-1',
        10,
        request('POST /strategies/ [CREATE]', '/strategies/', {
          body: { kind: 'strategyCreate', prefix: 'Perf Test Strategy' },
          after: 'rememberCreated',
        }),
      ),
    ),
    locust(
      '`PUT /strategies/{id} [UPDATE]` (never sent)',
      task(
        'SW-2',
        5,
        call('pickOwnedForUpdate'),
        ifFound(
          request('PUT /strategies/{id} [UPDATE]', '/strategies/{{ strategyId }}', {
            body: { kind: 'strategyUpdate' },
          }),
        ),
      ),
    ),
    locust(
      '`DELETE /strategies/{id} [DELETE]` (never sent)',
      task(
        'SW-3',
        3,
        call('takeOldestOwned'),
        ifFound(request('DELETE /strategies/{id} [DELETE]', '/strategies/{{ strategyId }}')),
      ),
    ),
  ],
});
