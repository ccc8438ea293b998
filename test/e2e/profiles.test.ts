// Every profile and module end to end on one Artillery worker thread (see test/helpers/profile-runs.ts).
import { describeProfileRuns } from '../helpers/profile-runs.js';

describeProfileRuns(1);
