/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/console.js` */
export { MochaConsoleReporter as default } from '../src/mocha/file-reporter.js';
