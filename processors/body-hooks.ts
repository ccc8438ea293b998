// Request bodies built per request from the user's random stream: `beforeRequest: buildBody` with the
// step's `btcwBody` (a Body in the class definition) saying which one.
import type { Done, RequestParams, VUContext, VUEvents } from './artillery-types.js';
import { rapidSignal, strategyCreate, strategyUpdate, webhookSignal } from './payloads.js';
import { fakerOn } from './random.js';
import type { Body } from './user-class.js';
import { state } from './user-state.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function buildBody(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  const body = req.btcwBody as Body;
  // The worker's one Faker, drawing from this user's stream: used at once (see fakerOn).
  const faker = fakerOn(state(context).random);
  switch (body.kind) {
    case 'strategyCreate':
      req.json = strategyCreate(faker, {
        prefix: body.prefix,
        runTag: String(context.vars.runTag),
        nowSeconds: nowSeconds(),
      });
      break;
    case 'strategyUpdate':
      req.json = strategyUpdate(faker, nowSeconds());
      break;
    case 'webhookSignal':
      req.json = webhookSignal(faker, body.action);
      break;
    case 'rapidSignal':
      req.json = rapidSignal(faker);
      break;
  }
  done();
}
