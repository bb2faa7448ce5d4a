import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser, type FinalResults } from 'tap-parser';
import type { RunReport } from '../../src/report/model.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/reports', import.meta.url));
const JUNIT_XSD = fileURLToPath(new URL('../../../test/fixtures/junit.xsd', import.meta.url));

/** Validates a JUnit file against the JUnit schema with xmllint; returns its text. */
export function checkJunit(path: string): string {
  const check = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, path], { encoding: 'utf8' });
  assert.equal(check.status, 0, `${path} is not valid JUnit XML:\n${check.stderr}`);
  return readFileSync(path, 'utf8');
}

/** Parses the JSON report; every scenario's messages carry a time. */
export function readJsonReport(path: string): RunReport {
  const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
  assert.equal(report.format, 'janus-scenarios/report@1');
  for (const s of report.scenarios) for (const m of s.messages) assert.equal(typeof m.atMs, 'number', `${s.id}: a message without a time`);
  return report;
}

/** Parses TAP with a real TAP parser; the result must be free of parse errors. */
export function parseTap(text: string): FinalResults {
  let results: FinalResults | undefined;
  const parser = new Parser((r) => (results = r));
  parser.end(text);
  assert.ok(results, 'the TAP parser did not finish');
  assert.deepEqual(results.failures.filter((f) => f.tapError), [], 'TAP parse errors');
  assert.ok(results.plan.end !== undefined && results.plan.end === results.count, `TAP plan ${JSON.stringify(results.plan)} against ${results.count} tests`);
  return results;
}
