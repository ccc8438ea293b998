// The evaluation document's one owner (documents/evaluation-document.ts): build, validate, read version 1;
// and re-grading as the run graded: the profile and the targets file from the results file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildDocument,
  DOCUMENT_KIND,
  DOCUMENT_VERSION,
  DocumentError,
  parseDocument,
} from '../../documents/evaluation-document.js';
import { recordedProfile } from '../../documents/results-file.js';
import { type Evaluation, UNRECORDED } from '../../grading/evaluation.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { renderHtml } from '../../report/render-html.js';
import { ADMIN, CREATE, fixtureDocument, fixtureResults, INVALID } from '../helpers/report-fixture.js';

/** A version 1 document, as the plugin wrote them before version 2. */
function v1(doc = fixtureDocument()): Record<string, unknown> {
  const evaluation = JSON.parse(JSON.stringify(doc.evaluation)) as Evaluation & Record<string, unknown>;
  for (const endpoint of evaluation.endpoints) delete (endpoint as Partial<typeof endpoint>).failures;
  delete (evaluation.overall as Partial<typeof evaluation.overall>).failures;
  evaluation.reasons = evaluation.reasons.map(({ verdict, message }) => ({ verdict, message })) as never;
  return { kind: DOCUMENT_KIND, version: 1, meta: doc.meta, evaluation, intermediate: doc.intermediate };
}

describe('evaluation document', () => {
  it('is built with its kind and version, and read back as it was', () => {
    const doc = fixtureDocument();
    assert.equal(doc.kind, 'btcw-evaluation');
    assert.equal(doc.version, DOCUMENT_VERSION);
    assert.deepEqual(
      parseDocument(JSON.parse(JSON.stringify(doc)), 'x.json'),
      JSON.parse(JSON.stringify(doc)),
    );
  });

  it('reads version 1: reasons get their kinds, failures their codes as far as the file tells them', () => {
    const doc = fixtureDocument();
    const old = v1(doc);
    const endpoints = (old.evaluation as Evaluation).endpoints;
    // A version 1 endpoint whose failed count Locust's rule does not explain (an unexpected 200)
    const admin = endpoints.find((x) => x.name === ADMIN)!;
    const up = parseDocument(old, 'old.evaluation.json');
    assert.equal(up.version, DOCUMENT_VERSION);
    assert.deepEqual(
      up.evaluation.reasons.map((r) => [r.kind, r.subject]),
      doc.evaluation.reasons.map((r) => [r.kind, r.subject]),
    );
    const get = (name: string) => up.evaluation.endpoints.find((x) => x.name === name)!;
    assert.deepEqual(get(CREATE).failures, { codes: { 500: 70 }, errors: {} });
    assert.deepEqual(get(ADMIN).failures, { codes: {}, errors: { [UNRECORDED]: admin.failed } });
    assert.deepEqual(get(INVALID).failures, { codes: {}, errors: {} });
    assert.match(renderHtml(up), /status not recorded \(older results\)/);
  });

  it('refuses a bad file with one line naming the place', () => {
    const bad = v1();
    (bad.evaluation as { endpoints: unknown[] }).endpoints[1] = { name: 'x', requests: 'many' };
    assert.throws(() => parseDocument(bad, 'bad.json'), {
      name: 'Error',
      message: /^bad\.json is not a readable evaluation: "evaluation\.endpoints\.1\.class": /,
    });
    assert.throws(
      () => parseDocument({ ...fixtureDocument(), version: 9 }, 'new.json'),
      (error: unknown) =>
        error instanceof DocumentError &&
        /version 9, written by a newer pack: this one reads up to/.test(error.message),
    );
  });

  it('npm run report: a bad or missing file is one line and exit 2', async () => {
    const dir = tempDir('btcw-doc-');
    const bad = path.join(dir, 'bad.evaluation.json');
    writeFileSync(bad, JSON.stringify({ kind: 'btcw-evaluation', evaluation: { verdict: 'MAYBE' } }));
    const result = await runCli(['report', bad]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^btcw: .*bad\.evaluation\.json is not a readable evaluation: "evaluation\.verdict"/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
    const gone = await runCli(['report', path.join(dir, 'nope.json')]);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /^btcw: cannot read .*nope\.json: no such file\n$/);
  });

  it('evaluate and report treat a bad document the same: one line, exit 2, no "error:"', async () => {
    const dir = tempDir('btcw-doc-');
    const cut = path.join(dir, 'cut.json');
    writeFileSync(cut, '{"aggregate": {');
    const neither = path.join(dir, 'neither.json');
    writeFileSync(neither, '{"something": 1}');
    for (const file of [cut, neither, path.join(dir, 'nope.json')]) {
      const [evaluated, reported] = await Promise.all([runCli(['evaluate', file]), runCli(['report', file])]);
      for (const result of [evaluated, reported]) {
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
        assert.match(result.stderr, /^btcw: (?!error:)/);
        assert.ok(result.stderr.includes(path.basename(file)), result.stderr);
      }
      if (file !== neither) assert.equal(evaluated.stderr, reported.stderr);
    }
  });
});

describe('re-grading as the run graded', () => {
  /** Results with 7 % failures: the base targets fail them (>= 5 %), stress's warn (5 % to 10 %). */
  function stressResults(marker: boolean): Record<string, unknown> {
    const results = fixtureResults({ errorEvery: 14 });
    if (marker) results.aggregate.counters!['plugins.btcw-targets.run_profile.stress'] = 1;
    return results as unknown as Record<string, unknown>;
  }

  it('finds the profile the run recorded in its counters', async () => {
    assert.equal(recordedProfile(stressResults(true) as never), 'stress');
    assert.equal(recordedProfile(stressResults(false) as never), undefined);
    const dir = tempDir('btcw-regrade-');
    const file = path.join(dir, 'stress-x.json');
    writeFileSync(file, JSON.stringify(stressResults(true)));
    const result = await runCli(['evaluate', file]);
    assert.match(result.stdout, /^evaluate: profile stress \(recorded by the run\)$/m);
    // stress's levels: 7 % warns; the base levels (what --profile smoke gives) call it high
    assert.match(result.stdout, /WARN error rate 7\.02 % is above acceptable \(>= 5\.00 %\)/);
    const base = await runCli(['evaluate', file, '--profile', 'smoke']);
    assert.match(base.stdout, /FAIL error rate 7\.02 % is above the warning level \(>= 5\.00 %\)/);

    const report = await runCli(['report', file]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /btcw: report: profile stress \(recorded by the run\)/);
    assert.match(
      readFileSync(path.join(dir, 'stress-x.html'), 'utf8'),
      /<title>BTC Watcher load test: \w+ \(stress\)/,
    );
  });

  it('reads meta.profile and the targets file of the evaluation beside the results', async () => {
    const dir = tempDir('btcw-regrade-');
    const file = path.join(dir, 'run.json');
    writeFileSync(file, JSON.stringify(stressResults(false)));
    // The run graded with a targets file of its own, whose stress profile tolerates 50 % failures
    const targets = path.join(dir, 'targets.yml');
    const text = readFileSync(path.join(process.cwd(), 'config/targets.yml'), 'utf8').replace(
      'errorRate: { acceptable: 0.05, warning: 0.10, critical: 0.20 }',
      'errorRate: { acceptable: 0.5, warning: 0.6, critical: 0.7, brokenEndpoint: 1 }',
    );
    writeFileSync(targets, text);
    const beside = buildDocument(fixtureDocument().evaluation, { profile: 'stress', targetsFile: targets });
    writeFileSync(path.join(dir, 'run.evaluation.json'), JSON.stringify(beside));
    const result = await runCli(['evaluate', file], { BTCW_TARGETS_FILE: '' });
    assert.match(result.stdout, /^evaluate: profile stress \(meta\.profile of run\.evaluation\.json\)$/m);
    assert.match(
      result.stdout,
      new RegExp(`^evaluate: targets ${targets.replace(/[.\\/]/g, '\\$&')} \\(the run's\\)$`, 'm'),
    );
    assert.doesNotMatch(result.stdout, /error rate/);
  });
});
