/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/html/index.js --reporter-option output=report.html` */
export { MochaHtmlReporter as default } from '../../src/mocha/file-reporter.js';
