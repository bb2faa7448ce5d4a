import type Mocha from 'mocha';
import { oneLinePrintable } from '../core/printable.js';
import { failureText } from '../report/failure-text.js';
import { environmentSecrets, Redactor } from '../report/redact.js';
import { attachScenario, type ScenarioTestData } from './from-runner.js';
import type { DescribeOptions, PlannedScenario, ScenarioPlanner } from './planner.js';
import { libraryPlanner } from './library-planner.js';
import { ScenarioFailure } from './scenario-failure.js';

export type { DescribeOptions, PlannedScenario, ScenarioPlanner, SuitePlan } from './planner.js';

/** The planner used when the options name none: the library's own planning. */
let defaultPlanner: ScenarioPlanner = libraryPlanner;
export function setDefaultPlanner(planner: ScenarioPlanner): void {
  defaultPlanner = planner;
}

type MochaGlobals = {
  describe: Mocha.SuiteFunction;
  it: Mocha.TestFunction;
  before: Mocha.HookFunction;
  after: Mocha.HookFunction;
};

/**
 * The suite inside a user's own mocha, in a spec file:
 *
 *     import { describeScenarios } from 'janus-scenarios/mocha';
 *     await describeScenarios(['scenarios/'], { transports: ['http', 'ws'] });
 *
 * A `describe` per file, an `it` per scenario and transport, the CLI's skips (pending tests
 * that say why), a managed Janus started before the tests and stopped after them (or `urls`),
 * failures with the CLI's failure text, secrets redacted. The tests carry their results, so the
 * reporters at dist/reporters/*.js report them in full.
 */
export async function describeScenarios(inputs: string[], options: DescribeOptions = {}): Promise<void> {
  const planner = options.planner ?? defaultPlanner;
  const plan = await planner.plan(inputs, options);
  const { describe, it, before, after } = globalThis as unknown as MochaGlobals;
  const secrets = options.secrets ?? {};
  const redactor = new Redactor([...environmentSecrets(process.env), secrets.apisecret, secrets.token, secrets.admin_secret]);
  before(async function () {
    this.timeout(0);
    await plan.start();
  });
  after(async function () {
    this.timeout(0);
    await plan.close();
  });
  for (const [file, tests] of byFile(plan.tests)) {
    describe(oneLinePrintable(file), function () {
      for (const test of tests) addTest(it, test, redactor, options.retries ?? 0);
    });
  }
}

function addTest(it: Mocha.TestFunction, test: PlannedScenario, redactor: Redactor, retries: number): void {
  const data: ScenarioTestData = { info: test.info };
  const { info } = test;
  if (info.skipReason) {
    attachScenario(it(oneLinePrintable(`${info.title} (skipped: ${info.skipReason})`)), data);
    return;
  }
  const mochaTest = it(oneLinePrintable(info.title), async function () {
    const result = await test.run();
    data.result = result;
    const version = test.serverVersion?.();
    if (version) data.serverVersion = version;
    redactor.add(result.secretValues);
    if (result.status === 'skipped') this.skip();
    if (result.status === 'failed') throw new ScenarioFailure(redactor.text(failureText(result)));
  });
  // The scenario's own time limits apply, not mocha's 2 s.
  mochaTest.timeout(0);
  mochaTest.retries(retries);
  attachScenario(mochaTest, data);
}

function byFile(tests: PlannedScenario[]): Map<string, PlannedScenario[]> {
  const files = new Map<string, PlannedScenario[]>();
  for (const t of tests) files.set(t.info.file, [...(files.get(t.info.file) ?? []), t]);
  return files;
}
