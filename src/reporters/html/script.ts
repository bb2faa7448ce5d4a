import { applyFilters, filterBar, runHeader, scenarioRow, startReport } from './client/app.js';
import { describeMessage, failedMessageIndex, lanesOf, sequenceDiagram, withHttp } from './client/diagram.js';
import { el, formatMs, jsonView, svgEl } from './client/dom.js';
import { exchange, failureBox, messagePanel, scenarioBody } from './client/scenario.js';

/**
 * The page's script: the compiled client functions, inlined by their source text. They are
 * type-checked with the rest of the project and need no bundler; a function missing from this
 * list fails in the browser with a ReferenceError, which the HTML report test catches.
 */
const CLIENT_FUNCTIONS: Array<(...args: never[]) => unknown> = [
  el, svgEl, formatMs, jsonView,
  describeMessage, withHttp, failedMessageIndex, lanesOf, sequenceDiagram,
  failureBox, messagePanel, scenarioBody, exchange,
  runHeader, scenarioRow, filterBar, applyFilters, startReport,
];

export function clientScript(): string {
  const source = CLIENT_FUNCTIONS.map((f) => f.toString()).join('\n');
  return `'use strict';\n${source}\nstartReport();\n`.replace(/<\/(script)/gi, '<\\/$1');
}
