// artillery-engine-btcw: the engine's building blocks (the user loop over the class model comes on top).
export { defaultEngine, ENGINES, EngineChoiceError, type EngineName, resolveEngine } from './choice.js';
export { BtcwEngine, BtcwEngine as default, type PlainScenario, type PlainStep } from './engine.js';
export { type LoginResult, login } from './login.js';
export { closePools, type Emitter, errorCode, type Outcome, type Outgoing, send } from './request.js';
