import { mochaReporterFor } from '../src/mocha/file-reporter.js';
import { jsonFormat } from '../src/reporters/json.js';

/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/json.js --reporter-option output=report.json` */
export default mochaReporterFor(jsonFormat);
