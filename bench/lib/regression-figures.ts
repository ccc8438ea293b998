// False-alarm and detection figures of the regression rule over repeated runs (pure): every ordered pair of
// clean runs is compared (each is the other's baseline), and every run with a fault against every clean run.
// The e2e test (test/timing/regression.test.ts) and the benchmark (bench/regression-noise.ts) share it.
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
  for (let i = 0; i < snaps.length; i++) {
    for (let j = 0; j < snaps.length; j++) {
      if (i === j) continue;
      out.pairs++;
      const checks = checksOf(snaps[i]!, snaps[j]!, rule);
      const bad = checks.filter((c) => c.status === 'regression');
      out.judged += checks.filter((c) => JUDGED.has(c.status)).length;
      out.noise += checks.filter((c) => c.status === 'noise').length;
      if (bad.length > 0) out.pairsWithRegression++;
      for (const c of bad) out.regressions.push({ pair: [i, j], check: c });
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
  for (const f of faulted) {
    const after = snapshotOf(f.evaluation, f.intermediate);
    for (const c of clean) {
      const checks = checksOf(snapshotOf(c.evaluation, c.intermediate), after, rule).filter(
        (x) => x.scope === 'endpoint',
      );
      for (const x of checks) {
        if (onRoute(x.subject) && x.kind === 'latency') {
          if (JUDGED.has(x.status)) out.routeJudged++;
          else if (x.status === 'too-few') out.routeTooFew++;
          if (x.status === 'regression') out.routeFlagged++;
        } else if (x.status === 'regression')
          out.otherFlagged.push({ comparison: out.comparisons, check: x });
      }
      out.comparisons++;
    }
  }
  return out;
}
