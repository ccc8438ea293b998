// StrategyOperationsUser (strategy module): starts stopped strategies, stops running ones, reads logs. Start
// and stop touch only this run's strategies: on the real backend a start launches a FreqTrade bot.
import { ifFound, request, task, userClass } from '../user-class.js';

const START = { json: {}, expect: 202 } as const;

export default userClass({
  name: 'StrategyOperationsUser',
  module: 'strategy',
  comprehensive: true,
  thinkSeconds: [3, 8],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task(
      'SO-1',
      10,
      request('GET /strategies/ [FOR START]', '/strategies/', {
        pick: { list: 'strategies', scope: 'run', status: 'stopped' },
      }),
      ifFound(request('POST /strategies/{id}/start [START]', '/strategies/{{ strategyId }}/start', START)),
    ),
    task(
      'SO-2',
      8,
      request('GET /strategies/ [FOR STOP]', '/strategies/', {
        pick: { list: 'strategies', scope: 'run', status: 'running' },
      }),
      ifFound(request('POST /strategies/{id}/stop [STOP]', '/strategies/{{ strategyId }}/stop', START)),
    ),
    task(
      'SO-3',
      2,
      request('GET /strategies/ [FOR LOGS]', '/strategies/', { pick: { list: 'strategies' } }),
      ifFound(request('GET /strategies/{id}/logs [LOGS]', '/strategies/{{ strategyId }}/logs')),
    ),
  ],
});
