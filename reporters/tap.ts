/** `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/tap.js --reporter-option output=report.tap` */
export { MochaTapReporter as default } from '../src/mocha/file-reporter.js';
