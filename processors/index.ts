// The processor module scenarios/flows.yml loads (compiled to build/processors/index.js): every function
// the flows name, by the file that holds it.
export { buildBody } from './body-hooks.js';
export {
  pickId,
  pickManagedStrategy,
  pickOwnedForUpdate,
  rememberCreated,
  rememberMixed,
  takeOldestOwned,
} from './pick-hooks.js';
export { beginRun, endRun } from './run-hooks.js';
export {
  adminLoginForm,
  afterLogin,
  endUser,
  firstLoginDue,
  keepRapidToken,
  loginErrored,
  nextTask,
  reloginDue,
  startUser,
  userErrored,
  userLoginForm,
  watchUnauthorized,
} from './user-hooks.js';
