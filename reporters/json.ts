/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/json.js --reporter-option output=report.json` */
export { MochaJsonReporter as default } from '../src/mocha/file-reporter.js';
