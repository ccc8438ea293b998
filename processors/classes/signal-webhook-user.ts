// SignalWebhookUser (signal module): posts FreqTrade signals to this run's newest strategy, without a token
// as FreqTrade does (webhooks add signals that have no delete endpoint, so only this run's strategies; in a
// distributed run, any container's: the newest is most often another container's).
import { ifFound, pause, repeat, request, task, userClass } from '../user-class.js';

const NEWEST = '/strategies/?limit=1';
const WEBHOOK = '/signals/webhook/{{ strategyId }}';
const IN_RUN = { pick: { list: 'strategies', scope: 'wholeRun', first: true } } as const;

/** WH-1 / WH-2: the newest strategy of the run, then one FreqTrade signal to it. */
function signalTask(id: string, weight: number, action: 'buy' | 'sell') {
  return task(
    id,
    weight,
    request('GET /strategies/ [FOR WEBHOOK]', NEWEST, IN_RUN),
    ifFound(
      request(`POST /signals/webhook/{id} [${action.toUpperCase()}]`, WEBHOOK, {
        auth: 'none',
        body: { kind: 'webhookSignal', action },
      }),
    ),
  );
}

export default userClass({
  name: 'SignalWebhookUser',
  module: 'signal',
  comprehensive: true,
  thinkSeconds: [2, 10],
  login: 'POST /auth/token [LOGIN AT START]',
  note: 'FreqTrade posts without a token',
  tasks: [
    signalTask('WH-1', 10, 'buy'),
    signalTask('WH-2', 8, 'sell'),
    task(
      'WH-3',
      2,
      request('GET /strategies/ [FOR RAPID]', NEWEST, IN_RUN),
      ifFound(
        repeat(
          5,
          request('POST /signals/webhook/{id} [RAPID]', WEBHOOK, {
            auth: 'none',
            body: { kind: 'rapidSignal' },
          }),
          pause(100),
        ),
      ),
    ),
  ],
});
