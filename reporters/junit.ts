import { mochaReporterFor } from '../src/mocha/file-reporter.js';
import { junitFormat } from '../src/reporters/junit.js';

/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/junit.js --reporter-option output=junit.xml` */
export default mochaReporterFor(junitFormat);
