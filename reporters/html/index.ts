import { mochaReporterFor } from '../../src/mocha/file-reporter.js';
import { htmlFormat } from '../../src/reporters/html/index.js';

/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/html/index.js --reporter-option output=report.html` */
export default mochaReporterFor(htmlFormat);
