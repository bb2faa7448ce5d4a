/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/junit.js --reporter-option output=junit.xml` */
export { MochaJunitReporter as default } from '../src/mocha/file-reporter.js';
