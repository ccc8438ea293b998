// StrategyMixedUser (strategy module): browses, or runs one strategy's whole life with Locust's pauses.
import { ifFound, locust, pause, request, task, userClass } from '../user-class.js';

const ID = '/strategies/{{ strategyId }}';
const ACCEPTED = { json: {}, expect: 202 } as const;

export default userClass({
  name: 'StrategyMixedUser',
  module: 'strategy',
  comprehensive: false,
  thinkSeconds: [2, 6],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('SM-1', 15, request('GET /strategies/ [BROWSE]', '/strategies/')),
    locust(
      '`[MIXED CREATE]`, `[MIXED DETAIL]`, `[MIXED START]`, `[MIXED STOP]`, `[MIXED DELETE]`',
      task(
        'SM-2',
        5,
        request('POST /strategies/ [MIXED CREATE]', '/strategies/', {
          body: { kind: 'strategyCreate', prefix: 'Mixed User Strategy' },
          after: 'rememberMixed',
        }),
        ifFound(
          pause(2000),
          request('GET /strategies/{id} [MIXED DETAIL]', ID),
          pause(1000),
          request('POST /strategies/{id}/start [MIXED START]', `${ID}/start`, ACCEPTED),
          pause(3000),
          request('POST /strategies/{id}/stop [MIXED STOP]', `${ID}/stop`, ACCEPTED),
          pause(1000),
          request('DELETE /strategies/{id} [MIXED DELETE]', ID),
        ),
      ),
    ),
  ],
});
