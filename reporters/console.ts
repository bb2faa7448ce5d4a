import { MochaConsoleReporter } from '../src/mocha/file-reporter.js';

/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/console.js` */
export default MochaConsoleReporter;
