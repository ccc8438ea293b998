import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadTargets } from '../../documents/targets-file.js';
import { TargetsError, validateTargets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';

const base = parse(readFileSync(path.join(ROOT, 'config/targets.yml'), 'utf8')) as Record<string, any>;
const clone = () => structuredClone(base);

function rejects(doc: unknown, re: RegExp): void {
  assert.throws(
    () => validateTargets(doc, 'targets.yml'),
    (e: unknown) => e instanceof TargetsError && re.test(e.message) && !e.message.includes('\n'),
  );
}

describe('targets.yml validation', () => {
  it('accepts the shipped file', () => {
    assert.equal(validateTargets(base).statistic, 'p95');
  });
  it('names an unknown key', () => {
    const doc = clone();
    doc.responseTime.excelent = 100;
    rejects(doc, /unknown key "responseTime\.excelent"/);
    const top = clone();
    top.treshold = 1;
    rejects(top, /unknown key "treshold"/);
  });
  it('names a wrong type or value', () => {
    const doc = clone();
    doc.errorRate.warning = 'five';
    rejects(doc, /"errorRate\.warning"/);
    const badStatistic = clone();
    badStatistic.statistic = 'p90';
    rejects(badStatistic, /"statistic"/);
    const badRate = clone();
    badRate.errorRate.critical = 2;
    rejects(badRate, /"errorRate\.critical"/);
  });
  it('refuses tiers out of order and bad class regexes', () => {
    const doc = clone();
    doc.responseTime.good = 50;
    rejects(doc, /tiers must increase/);
    const badClass = clone();
    badClass.classes[0].path = '(';
    rejects(badClass, /not a valid regular expression/);
  });
  it('reports unreadable and non-YAML files in one line', () => {
    const dir = tempDir('btcw-t-');
    assert.throws(() => loadTargets(path.join(dir, 'none.yml')), /cannot read targets file/);
    writeFileSync(path.join(dir, 'bad.yml'), 'statistic: [p95\n');
    assert.throws(
      () => loadTargets(path.join(dir, 'bad.yml')),
      (error: unknown) =>
        error instanceof TargetsError &&
        /not valid YAML/.test(error.message) &&
        !error.message.includes('\n'),
    );
  });
});
