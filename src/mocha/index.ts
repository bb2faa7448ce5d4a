/**
 * janus-scenarios under mocha (the package's `janus-scenarios/mocha` entry). This entry loads
 * mocha; the library's main entry does not.
 */
export { addScenarioTests, selectedByGrep, type PlannedTest, type MochaSettings } from './adapter.js';
