// False-alarm and detection figures of the regression rule over repeated runs (pure): every ordered pair of
// clean runs is compared (each is the other's baseline), and every run with a fault against every clean run.
// The e2e test (test/e2e/baselines-and-regressions.test.ts) and the benchmark (bench/regression-noise.ts)
// share it.
import type { ArtilleryReport, Evaluation } from '../../grading/evaluation.js';
import { type Snapshot, snapshotOf } from '../../grading/metric-snapshot.js';
import { compareSnapshots, type RegressionCheck, type RegressionRule } from '../../grading/regression.js';

export interface RunDoc {
  evaluation: Evaluation;
  intermediate: ArtilleryReport[];
}

const JUDGED = new Set(['regression', 'ok', 'noise', 'improved']);
const NONE = { name: 'bench', file: null, runTag: null, savedAt: null };

function checksOf(before: Snapshot, after: Snapshot, rule: RegressionRule): RegressionCheck[] {
  return compareSnapshots(before, after, rule, NONE).checks;
}

export interface FalseAlarms {
  /** Ordered pairs compared (n × (n − 1)). */
  pairs: number;
  pairsWithRegression: number;
  /** Checks that could be judged (enough requests and periods), and the regressions among them. */
  judged: number;
  regressions: Array<{ pair: [number, number]; check: RegressionCheck }>;
  /** Checks left at "noise": worse than allowed, but not beyond what the data can show. */
  noise: number;
}

export function falseAlarms(runs: readonly RunDoc[], rule: RegressionRule): FalseAlarms {
  const snaps = runs.map((r) => snapshotOf(r.evaluation, r.intermediate));
  const out: FalseAlarms = { pairs: 0, pairsWithRegression: 0, judged: 0, regressions: [], noise: 0 };
  for (let before = 0; before < snaps.length; before++) {
    for (let after = 0; after < snaps.length; after++) {
      if (before === after) continue;
      out.pairs++;
      const checks = checksOf(snaps[before]!, snaps[after]!, rule);
      const bad = checks.filter((c) => c.status === 'regression');
      out.judged += checks.filter((c) => JUDGED.has(c.status)).length;
      out.noise += checks.filter((c) => c.status === 'noise').length;
      if (bad.length > 0) out.pairsWithRegression++;
      for (const check of bad) out.regressions.push({ pair: [before, after], check });
    }
  }
  return out;
}

export interface Detection {
  comparisons: number;
  /** Latency checks of the slowed route's endpoints that could be judged, and those flagged. */
  routeJudged: number;
  routeFlagged: number;
  /** Endpoints outside the route flagged (false alarms under the fault). */
  otherFlagged: Array<{ comparison: number; check: RegressionCheck }>;
  /** The slowed route's endpoints left too few requests to judge. */
  routeTooFew: number;
}

export function detection(
  clean: readonly RunDoc[],
  faulted: readonly RunDoc[],
  onRoute: (endpoint: string) => boolean,
  rule: RegressionRule,
): Detection {
  const out: Detection = {
    comparisons: 0,
    routeJudged: 0,
    routeFlagged: 0,
    otherFlagged: [],
    routeTooFew: 0,
  };
  for (const faultedRun of faulted) {
    const after = snapshotOf(faultedRun.evaluation, faultedRun.intermediate);
    for (const cleanRun of clean) {
      const checks = checksOf(snapshotOf(cleanRun.evaluation, cleanRun.intermediate), after, rule).filter(
        (x) => x.scope === 'endpoint',
      );
      for (const check of checks) {
        if (onRoute(check.subject) && check.kind === 'latency') {
          if (JUDGED.has(check.status)) out.routeJudged++;
          else if (check.status === 'too-few') out.routeTooFew++;
          if (check.status === 'regression') out.routeFlagged++;
        } else if (check.status === 'regression')
          out.otherFlagged.push({ comparison: out.comparisons, check });
      }
      out.comparisons++;
    }
  }
  return out;
}
