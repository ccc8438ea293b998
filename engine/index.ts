// artillery-engine-btcw: the user classes of processors/classes/ over undici, with Locust's failure
// semantics.
export { BtcwEngine, BtcwEngine as default } from './engine.js';
export { closePools, type Emitter, errorCode, type Outcome, type Outgoing, send } from './request.js';
