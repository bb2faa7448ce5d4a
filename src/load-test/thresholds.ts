import { closestName } from '../core/diagnostic.js';

/**
 * `--threshold` expressions, k6-like: `p95<50ms`, `p99<=0.2s`, `errors<1%`, `errors==0`,
 * `iteration.p95<2s`, `step[create a session].p99<20ms`, `rps>100`. Latency values without a
 * unit are milliseconds (as in k6). Parsing needs no server: a bad expression is a usage error.
 */
export interface Threshold {
  /** As written. */
  expression: string;
  scope: ThresholdScope;
  metric: Metric;
  op: Op;
  /** Milliseconds for latencies, a fraction (0.01) for error rates, a plain number otherwise. */
  value: number;
}

/** `requests`: every request-like step together (sleep and no_event left out); `iteration`: whole iterations. */
export type ThresholdScope = { kind: 'requests' } | { kind: 'iteration' } | { kind: 'step'; step: string };

export type Metric =
  | { kind: 'latency'; stat: 'min' | 'mean' | 'max' | { percentile: number } }
  | { kind: 'errors'; as: 'count' | 'rate' }
  | { kind: 'iterations' }
  | { kind: 'rps' };

type Op = '<' | '<=' | '>' | '>=' | '==';

const METRIC_NAMES = ['p50', 'p90', 'p95', 'p99', 'p(99.9)', 'min', 'max', 'mean', 'avg', 'med', 'errors', 'iterations', 'rps'];
const SHAPE = /^\s*(?:(step\[(?<step>[^\]]+)\]|iteration|requests)\.)?(?<metric>[a-z_]+(?:\((?<paren>[0-9.]+)\))?[0-9.]*)\s*(?<op><=|>=|==|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>%|ms|s|us|µs)?\s*$/;

/** One expression; `problem` says what is wrong with it in one line. */
export function parseThreshold(expression: string): { threshold: Threshold } | { problem: string } {
  const m = SHAPE.exec(expression);
  const bad = (why: string) => ({ problem: `--threshold ${JSON.stringify(expression)}: ${why}` });
  if (!m?.groups) {
    return bad("expected [step[NAME].|iteration.]METRIC OP VALUE, like 'p95<50ms', 'errors<1%', 'step[create a session].p99<20ms'");
  }
  const { step, metric: name, paren, op, value: number, unit } = m.groups as Record<string, string | undefined>;
  const scope: ThresholdScope = step !== undefined ? { kind: 'step', step: step.trim() } : expression.trimStart().startsWith('iteration.') ? { kind: 'iteration' } : { kind: 'requests' };
  const metric = metricNamed(name!, paren);
  if (!metric) {
    const hint = closestName(name!, METRIC_NAMES);
    return bad(`unknown metric "${name}"${hint ? `; did you mean ${hint}?` : ''} (known: p50, p90, p95, p99, p(N), min, mean, max, errors, iterations, rps)`);
  }
  const value = Number(number);
  switch (metric.kind) {
    case 'latency': {
      if (unit === '%') return bad('a latency is a time (50ms, 0.2s), not a percentage');
      const scale = unit === 's' ? 1000 : unit === 'us' || unit === 'µs' ? 0.001 : 1;
      return { threshold: { expression, scope, metric, op: op as Op, value: value * scale } };
    }
    case 'errors': {
      if (unit !== undefined && unit !== '%') return bad(`errors are a count (errors<5) or a percentage of iterations (errors<1%), not a time`);
      if (unit === '%' && value > 100) return bad('a percentage is at most 100%');
      return { threshold: { expression, scope, metric: { kind: 'errors', as: unit === '%' ? 'rate' : 'count' }, op: op as Op, value: unit === '%' ? value / 100 : value } };
    }
    default:
      if (unit !== undefined) return bad(`${name} is a plain number, without a unit`);
      if (scope.kind !== 'requests') return bad(`${name} is a figure of the whole run, not of a step or an iteration`);
      return { threshold: { expression, scope, metric, op: op as Op, value } };
  }
}

function metricNamed(name: string, paren: string | undefined): Metric | undefined {
  if (paren !== undefined) return /^p\([0-9.]+\)$/.test(name) ? percentile(Number(paren)) : undefined;
  const p = /^p([0-9]+(?:\.[0-9]+)?)$/.exec(name);
  if (p) return percentile(Number(p[1]));
  switch (name) {
    case 'min':
    case 'max':
    case 'mean':
      return { kind: 'latency', stat: name };
    case 'avg':
      return { kind: 'latency', stat: 'mean' };
    case 'med':
      return { kind: 'latency', stat: { percentile: 50 } };
    case 'errors':
      return { kind: 'errors', as: 'count' };
    case 'iterations':
      return { kind: 'iterations' };
    case 'rps':
      return { kind: 'rps' };
    default:
      return undefined;
  }
}

function percentile(p: number): Metric | undefined {
  return p > 0 && p <= 100 ? { kind: 'latency', stat: { percentile: p } } : undefined;
}

/** What a threshold is checked against: figures the run measured. */
export interface MeasuredFigures {
  /** A latency statistic in ms of a scope; undefined when the scope has no sample (never a pass). */
  latency(scope: ThresholdScope, stat: 'min' | 'mean' | 'max' | { percentile: number }): number | undefined;
  /** Failed runs (iterations, or of one step) and how many ran to an end. */
  errors(scope: ThresholdScope): { failed: number; total: number };
  iterations: number;
  rps: number;
}

export interface ThresholdOutcome {
  expression: string;
  ok: boolean;
  /** The measured figure (ms for latencies, a fraction for rates); null when nothing was measured. */
  actual: number | null;
  /** One line: what was measured against what was wanted. */
  detail: string;
}

export function checkThreshold(t: Threshold, figures: MeasuredFigures): ThresholdOutcome {
  const actual = measured(t, figures);
  if (actual === undefined) return { expression: t.expression, ok: false, actual: null, detail: `${t.expression}: no samples to check (the ${describeScope(t.scope)} never passed)` };
  const ok = compare(actual, t.op, t.value);
  return { expression: t.expression, ok, actual, detail: `${t.expression}: ${show(t, actual)} ${ok ? 'holds' : 'fails'}` };
}

function measured(t: Threshold, figures: MeasuredFigures): number | undefined {
  switch (t.metric.kind) {
    case 'latency':
      return figures.latency(t.scope, t.metric.stat);
    case 'errors': {
      const { failed, total } = figures.errors(t.scope);
      if (t.metric.as === 'count') return failed;
      return total === 0 ? undefined : failed / total;
    }
    case 'iterations':
      return figures.iterations;
    case 'rps':
      return figures.rps;
  }
}

function compare(actual: number, op: Op, wanted: number): boolean {
  switch (op) {
    case '<':
      return actual < wanted;
    case '<=':
      return actual <= wanted;
    case '>':
      return actual > wanted;
    case '>=':
      return actual >= wanted;
    case '==':
      return actual === wanted;
  }
}

function show(t: Threshold, actual: number): string {
  if (t.metric.kind === 'latency') return `measured ${round(actual)}ms`;
  if (t.metric.kind === 'errors' && t.metric.as === 'rate') return `measured ${round(actual * 100)}%`;
  return `measured ${round(actual)}`;
}

function describeScope(scope: ThresholdScope): string {
  return scope.kind === 'step' ? `step "${scope.step}"` : scope.kind === 'iteration' ? 'iteration' : 'requests';
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
