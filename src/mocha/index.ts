/**
 * janus-scenarios under mocha (this entry loads mocha; the library's main entry does not):
 * describeScenarios for a user's own spec files, the bridge that replays a run to mocha's own
 * reporters, and our report files as mocha reporters.
 */
export { describeScenarios, setDefaultPlanner, type DescribeOptions, type ScenarioPlanner, type SuitePlan, type PlannedScenario } from './describe.js';
export { MochaBridge, loadMochaReporter, type BridgeContext, type MochaReporterClass } from './bridge.js';
export { mochaReporterFor, mochaReporterOf, MochaConsoleReporter, MochaJunitReporter, MochaJsonReporter, MochaTapReporter, MochaHtmlReporter } from './file-reporter.js';
export { forwardMochaRun, attachScenario, scenarioOf, type ScenarioTestData } from './from-runner.js';
