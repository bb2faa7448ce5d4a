import { mochaReporterFor } from '../src/mocha/file-reporter.js';
import { tapFormat } from '../src/reporters/tap.js';

/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/tap.js --reporter-option output=report.tap` */
export default mochaReporterFor(tapFormat);
