// The four profiles end to end on three Artillery worker threads, as on a 4-core machine: the class split,
// the user count and the users line must not depend on the worker count (the module runs: one worker).
import { describeProfileRuns } from '../helpers/profile-runs.js';

describeProfileRuns(3, ['smoke', 'load', 'stress', 'spike']);
