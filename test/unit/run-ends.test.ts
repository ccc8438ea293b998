// How a run that ended early, or whose outputs cannot be written, is told: the verdict INTERRUPTED or
// KILLED with the exit code the process returns, in the console, the HTML header, the JUnit file and the
// step summary; the periods so far as an Artillery -o JSON that grades again as the run ended; the outputs
// of a finished run in a temporary folder when --out fails, the verdict untouched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { evaluationPath } from '../../documents/evaluation-document.js';
import {
  appendPartialPeriod,
  partialResultsPath,
  promotePartialResults,
  readPartialPeriods,
} from '../../documents/partial-results.js';
import { gradeResults, readResults } from '../../documents/results-file.js';
import { EXIT } from '../../grading/exit-codes.js';
import { artilleryKilled, interruption, shownVerdict, withStop } from '../../grading/run-stop.js';
import { tempDir } from '../../harness/temp-dir.js';
import { formatSummary } from '../../report/console-verdict.js';
import { junitXml } from '../../report/junit.js';
import { renderHtml } from '../../report/render-html.js';
import { stepSummary } from '../../report/step-summary.js';
import { finishArtillery } from '../../runner/finish-run.js';
import { TARGETS_FILE } from '../../runner/profiles.js';
import { writeRunOutputs } from '../../runner/run-outputs.js';
import { SafeOutputs } from '../../runner/safe-outputs.js';
import { fixtureDocument, fixtureResults } from '../helpers/report-fixture.js';

const grading = { targetsFile: TARGETS_FILE, knownProfiles: ['smoke'], print: false };

describe('a run that ended early', () => {
  it('shows INTERRUPTED with the exit code the process returns, and is never green in JUnit', () => {
    const doc = fixtureDocument();
    const graded = doc.evaluation.exitCode;
    assert.notEqual(graded, EXIT.INTERRUPTED_SIGTERM);
    const stopped = withStop(doc.evaluation, interruption('SIGTERM'));
    assert.equal(stopped.exitCode, EXIT.INTERRUPTED_SIGTERM);
    assert.equal(shownVerdict(stopped), 'INTERRUPTED');
    const console = formatSummary(stopped);
    assert.match(console, /performance targets: INTERRUPTED \(graded so far: \w+\)/);
    assert.match(console, /^ {2}exit code 143$/m);
    const junit = junitXml(stopped, 'btcw.smoke', ['FAIL'], 'btcw');
    assert.match(
      junit,
      /<failure message="interrupted by SIGTERM[^"]*\(exit code 143\)" type="INTERRUPTED">/,
    );
    assert.doesNotMatch(junit, /<testsuites [^>]*failures="0"/);
    assert.match(
      stepSummary(stopped, 'run'),
      /^### ❌ run: INTERRUPTED \(graded so far: \w+\) \(exit code 143\)/,
    );
    const html = renderHtml({ ...doc, evaluation: stopped });
    assert.match(html, /<h1>BTC Watcher load test: INTERRUPTED \([^)]*graded so far: \w+, partial results\)/);
    assert.match(html, /class="banner INTERRUPTED"/);
    assert.match(html, /exit code 143/);
    assert.doesNotMatch(html, new RegExp(`exit code ${graded}\\b`));
  });

  it('names a kill: KILLED, exit 137, "Artillery ended by SIGKILL (out of memory?)"', () => {
    const stop = artilleryKilled('SIGKILL');
    assert.equal(stop.line, 'Artillery ended by SIGKILL (out of memory?)');
    assert.equal(stop.exitCode, EXIT.ARTILLERY_KILLED);
    assert.equal(artilleryKilled('SIGSEGV').line, 'Artillery ended by SIGSEGV');
  });

  it('keeps the periods so far as an -o JSON that regrades as the run ended, a cut line dropped', () => {
    const dir = tempDir('btcw-partial-');
    const results = path.join(dir, 'smoke-x.json');
    const full = fixtureResults();
    const periods = full.intermediate ?? [];
    assert.ok(periods.length >= 2);
    for (const period of periods) appendPartialPeriod(partialResultsPath(results), period, full.aggregate);
    writeFileSync(partialResultsPath(results), '{"period": {"coun', { flag: 'a' }); // cut by the kill
    assert.equal(readPartialPeriods(partialResultsPath(results))?.intermediate.length, periods.length);
    assert.ok(promotePartialResults(results, artilleryKilled('SIGKILL')));
    assert.ok(!existsSync(partialResultsPath(results)));
    const written = JSON.parse(readFileSync(results, 'utf8'));
    assert.ok(written.aggregate.histograms, 'Artillery -o files repeat the summaries as histograms');
    const graded = gradeResults(results, readResults(results), { defaultTargets: TARGETS_FILE });
    assert.equal(graded.document.evaluation.stop?.kind, 'KILLED');
    assert.equal(graded.document.evaluation.exitCode, 137);
    assert.equal(graded.document.meta.interrupted, true);
    assert.equal(
      graded.document.evaluation.overall.requests,
      gradeResults(results, full, {
        defaultTargets: TARGETS_FILE,
      }).document.evaluation.overall.requests,
    );
  });

  it("grades a killed Artillery's periods itself and gives the stop's exit code", () => {
    const dir = tempDir('btcw-killed-');
    const results = path.join(dir, 'smoke-x.json');
    const full = fixtureResults();
    appendPartialPeriod(partialResultsPath(results), full.intermediate![0]!, full.aggregate);
    const lines: string[] = [];
    const finished = finishArtillery(
      results,
      { code: null, stop: artilleryKilled('SIGKILL') },
      grading,
      (line) => lines.push(line),
    );
    assert.equal(finished.code, 137);
    assert.equal(finished.doc?.evaluation.stop?.kind, 'KILLED');
    assert.ok(existsSync(evaluationPath(results)), 'the evaluation is written for the report and evaluate');
    assert.deepEqual(lines, ['Artillery ended by SIGKILL (out of memory?)']);
  });

  it('reads a step evaluation with the validating reader: a bad one is one line, not a cast', () => {
    const dir = tempDir('btcw-step-');
    const results = path.join(dir, 'step-01-10u.json');
    writeFileSync(evaluationPath(results), JSON.stringify({ evaluation: { verdict: 'MAYBE' } }));
    const lines: string[] = [];
    const finished = finishArtillery(results, { code: 0, stop: null }, grading, (line) => lines.push(line));
    assert.equal(finished.doc, null);
    assert.equal(finished.code, EXIT.NOTHING_GRADED);
    assert.match(lines[0]!, /cannot be graded: .*is not a readable evaluation: "evaluation\.verdict"/);
    // a good one is read as the document it is, the step's own grade kept for the finder
    const step = { users: 10, periods: 3 };
    writeFileSync(evaluationPath(results), JSON.stringify({ ...fixtureDocument(), capacityStep: step }));
    const good = finishArtillery(results, { code: 0, stop: null }, grading, () => {});
    assert.equal(good.code, good.doc?.evaluation.exitCode);
    assert.deepEqual(good.doc?.capacityStep, step);
    // the plugin's own exit 2 (bad targets, before any load) stays bad input
    const none = path.join(dir, 'none.json');
    assert.equal(finishArtillery(none, { code: 2, stop: null }, grading, () => {}).code, EXIT.BAD_INPUT);
  });
});

describe('outputs after the work is done', () => {
  it('a folder that fails at the end moves the files to a temporary one, named in one line', () => {
    // A path inside a file fails for every user, root included (as a folder made read-only would).
    const file = path.join(tempDir('btcw-outputs-'), 'a-file');
    writeFileSync(file, '');
    assertMoved(path.join(file, 'inside'));
  });
});

function assertMoved(outDir: string): void {
  const lines: string[] = [];
  const outputs = new SafeOutputs(outDir, (line) => lines.push(line));
  const doc = fixtureDocument();
  const files = writeRunOutputs(doc, 'smoke-x', outputs, { report: true, failOn: ['FAIL'] }, (line) =>
    lines.push(line),
  );
  const moved = outputs.movedTo;
  assert.ok(moved !== null, lines.join('\n'));
  assert.equal(lines.filter((line) => line.startsWith('cannot write')).length, 1, lines.join('\n'));
  assert.match(lines[0]!, new RegExp(`files go to ${moved.replace(/[.\\/]/g, '\\$&')} instead$`));
  assert.ok(files.length === 4 && files.every((file) => file.startsWith(moved)));
  assert.ok(readdirSync(moved).includes('smoke-x.junit.xml'));
}
