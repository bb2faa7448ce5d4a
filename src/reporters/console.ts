import { randomBytes } from 'node:crypto';
import { escapeControls } from '../core/printable.js';
import type { FaultEvent, RunBegin, RunEnd, TestBegin, TestEnd, TestInfo } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { notRunBecause, scenarioStatus } from '../report/builder.js';
import { failureText } from '../report/failure-text.js';
import type { Redactor } from '../report/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import type { ScenarioResult } from '../run/events.js';
import { paint, type Style } from './colour.js';
import type { ReporterContext, TextSink } from './contract.js';
import { PlanOrder } from './plan-order.js';

const SLOWEST = 5;

interface Finished {
  info: TestInfo;
  status: 'passed' | 'failed' | 'skipped' | 'unfinished';
  durationMs: number;
  skipReason?: string;
  result?: ScenarioResult;
  /** Which attempt ended the test: above 1 after --retries. */
  attempt?: number;
}

/**
 * The console: a heading per file and a line per scenario as it finishes (transport, time,
 * running counts, elapsed), in the order the run planned them (a test that finishes early waits
 * for those planned before it); then each failure in full (the step's file:line, expected
 * against actual with a diff, the last messages, the values saved so far), then counts, skip
 * reasons and the slowest scenarios. Colour as the context says; secrets never reach the stream.
 */
export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  private readonly out: TextSink;
  private readonly redactor: Redactor;
  private readonly colour: boolean;
  /** Redraws a status line in place: only on a terminal, never in a log. */
  private readonly live: boolean;
  private readonly finished: Finished[] = [];
  private tests: TestInfo[] = [];
  private readonly byId = new Map<string, TestInfo>();
  /** Errors no test could take: the first says why the tests that never began did not. */
  private readonly faults: string[] = [];
  private order = new PlanOrder<Finished>([]);
  private lastFile?: string;
  private startedAt = Date.now();
  /** On a colour terminal: the scenario that started last, redrawn in place with the elapsed time. */
  private status?: { testId: string; title: string; since: number; timer: NodeJS.Timeout };
  /** Stands for the escape character in our own colour codes until `terminal` writes them. */
  private readonly esc = `\ue000${randomBytes(6).toString('hex')}\ue001`;

  constructor(context: Pick<ReporterContext, 'redactor' | 'colour' | 'out'>) {
    this.out = context.out;
    this.redactor = context.redactor;
    this.colour = context.colour;
    this.live = this.colour && !!this.out.isTTY;
  }

  printsToStdout(): boolean {
    return true;
  }

  onRunBegin(event: RunBegin): void {
    this.startedAt = Date.now();
    this.tests = event.tests;
    for (const t of event.tests) this.byId.set(t.id, t);
    this.order = new PlanOrder(event.tests.map((t) => t.id));
  }

  onTestBegin(event: TestBegin): void {
    const info = this.byId.get(event.testId);
    if (info) this.running(event.testId, info.title);
  }

  onTestEnd(event: TestEnd): void {
    // Before anything prints: the scenario's own secrets (values it marks secret) join the run's.
    this.redactor.add(event.result.secretValues);
    if (event.retrying) return;
    if (this.status?.testId === event.testId) this.clearStatus();
    const info = this.byId.get(event.testId) ?? { id: event.testId, file: event.result.file, name: event.result.name, transport: event.result.transport, title: `${event.result.name} [${event.result.transport}]`, tags: [] };
    const r = event.result;
    const finished: Finished = r.status === 'skipped'
      ? { info, status: 'skipped', durationMs: 0, skipReason: r.skipReason ?? info.skipReason }
      : { info, status: scenarioStatus(r), durationMs: r.durationMs, result: r, attempt: event.attempt };
    for (const f of this.order.finish(event.testId, finished)) this.show(f);
  }

  onFault(event: FaultEvent): void {
    this.faults.push(event.message);
  }

  onRunEnd(event: RunEnd): void {
    for (const f of this.order.rest()) this.show(f);
    this.clearStatus();
    // Not Ctrl-C: the server could not be reached or started, and that is why what never began did not.
    this.summary(this.tests.length, event.status === 'interrupted' ? undefined : this.faults[0]);
  }

  private show(f: Finished): void {
    if (f.info.file !== this.lastFile) {
      this.lastFile = f.info.file;
      this.print(`\n  ${f.info.file}`);
    }
    this.finished.push(f);
    this.print(`    ${this.line(f)}  ${this.paint('gray', this.progress(this.tests.length))}`);
    for (const warning of f.result ? cleanupWarnings(f.result) : []) this.print(`      ${this.paint('yellow', `⚠ warning: ${warning}`)}`);
  }

  private running(testId: string, title: string): void {
    if (!this.live) return;
    this.clearStatus();
    const since = Date.now();
    const draw = () => this.out.write(this.terminal(`\r${this.esc}[K    ${this.paint('gray', `◷ ${title} ${seconds(Date.now() - since)}  ${this.progress(this.tests.length)}`)}`));
    this.status = { testId, title, since, timer: setInterval(draw, 250).unref() };
    draw();
  }

  private clearStatus(): void {
    if (!this.status) return;
    clearInterval(this.status.timer);
    this.status = undefined;
    this.out.write(this.terminal(`\r${this.esc}[K`));
  }

  private line(f: Finished): string {
    const time = this.paint('gray', `${f.durationMs}ms`);
    switch (f.status) {
      case 'passed':
        return `${this.paint('green', '✔')} ${f.info.title} ${time}${this.retried(f, `passed on attempt ${f.attempt}: flaky`)}`;
      case 'failed':
        return `${this.paint('red', `✖ ${this.failed().indexOf(f) + 1})`)} ${f.info.title} ${time}${this.retried(f, `failed all ${f.attempt} attempts`)}`;
      case 'unfinished':
        return `${this.paint('yellow', '◌')} ${f.info.title} ${this.paint('yellow', 'unfinished')}`;
      case 'skipped':
        return `${this.paint('cyan', '-')} ${f.info.title} ${this.paint('cyan', `skipped${f.skipReason ? `: ${f.skipReason}` : ''}`)}`;
    }
  }

  /** A test --retries ran again says so: a pass on a retry is a flaky test, not a plain pass. */
  private retried(f: Finished, words: string): string {
    return (f.attempt ?? 1) > 1 ? ` ${this.paint('yellow', `(${words})`)}` : '';
  }

  private progress(total: number): string {
    const count = (s: Finished['status']) => this.finished.filter((f) => f.status === s).length;
    const parts = [`${this.finished.length}/${total}`, `${count('passed')} passed`];
    if (count('failed')) parts.push(`${count('failed')} failed`);
    if (count('skipped')) parts.push(`${count('skipped')} skipped`);
    if (count('unfinished')) parts.push(`${count('unfinished')} unfinished`);
    return `[${parts.join(', ')}; ${seconds(Date.now() - this.startedAt)}]`;
  }

  private failed(): Finished[] {
    return this.finished.filter((f) => f.status === 'failed');
  }

  private summary(total: number, fault: string | undefined): void {
    const failures = this.failed();
    failures.forEach((f, i) => {
      this.print(`\n  ${this.paint('red', `${i + 1}) ${f.info.file}`)}\n     ${f.info.title}`);
      this.print(indent(this.colourDiff(this.details(f)), 5));
    });
    const by = (s: Finished['status']) => this.finished.filter((f) => f.status === s);
    this.print('');
    this.print(`  ${this.paint('green', `${by('passed').length} passing`)} ${this.paint('gray', `(${seconds(Date.now() - this.startedAt)})`)}`);
    if (failures.length) this.print(`  ${this.paint('red', `${failures.length} failing`)}`);
    const skipped = by('skipped');
    if (skipped.length) {
      this.print(`  ${this.paint('cyan', `${skipped.length} skipped`)}`);
      const reasons = new Map<string, number>();
      for (const s of skipped) reasons.set(s.skipReason ?? 'skipped', (reasons.get(s.skipReason ?? 'skipped') ?? 0) + 1);
      for (const [reason, n] of reasons) this.print(`    ${n} × ${reason}`);
    }
    const sessionsLeft = this.finished.reduce((n, f) => n + (f.result?.sessionsLeft.length ?? 0), 0);
    if (sessionsLeft) this.print(`  ${this.paint('yellow', `⚠ ${sessionsLeftLine(sessionsLeft)}`)}`);
    const unfinished = by('unfinished').length + Math.max(0, total - this.finished.length);
    if (unfinished) this.print(`  ${this.paint('yellow', `${unfinished} unfinished`)} (${fault === undefined ? 'the run was stopped' : notRunBecause(fault)})`);
    const slowest = this.finished.filter((f) => f.status !== 'skipped' && f.durationMs > 0).sort((a, b) => b.durationMs - a.durationMs).slice(0, SLOWEST);
    if (slowest.length > 1) {
      this.print('  slowest:');
      for (const f of slowest) this.print(`    ${seconds(f.durationMs).padStart(7)}  ${f.info.file}: ${f.info.title}`);
    }
    this.print('');
  }

  /** The failure text, then the values the scenario had saved when it stopped. */
  private details(f: Finished): string {
    const result = f.result;
    if (!result) return 'failed';
    const lines = [failureText(result)];
    const saved = Object.entries(result.saved);
    if (saved.length > 0) {
      lines.push('  saved values:');
      for (const [name, value] of saved) lines.push(`    ${name} = ${JSON.stringify(value)}`);
    }
    return lines.join('\n');
  }

  private colourDiff(text: string): string {
    if (!this.colour) return text;
    let inDiff = false;
    return text.split('\n').map((l) => {
      if (/^ {2}\S/.test(l)) inDiff = l.startsWith('  diff ');
      if (inDiff && /^ {4}- /.test(l)) return this.paint('red', l);
      if (inDiff && /^ {4}\+ /.test(l)) return this.paint('green', l);
      return l;
    }).join('\n');
  }

  /** Our own escape sequences go out as `this.esc` until `terminal` writes them; `s` stays as it is. */
  private paint(style: Style, s: string): string {
    if (!this.colour) return s;
    const [open, close] = paint(true, style, '\0').split('\0') as [string, string];
    return `${open.replaceAll('\u001b', this.esc)}${s}${close.replaceAll('\u001b', this.esc)}`;
  }

  private print(s: string): void {
    this.clearStatus();
    this.out.write(this.terminal(`${s}\n`));
  }

  /**
   * What reaches the terminal: redacted, every control character from a server or a scenario
   * escaped, then our own escape sequences (written as `this.esc`, a marker no input can
   * guess) made real. A CR is ours only at the start, where the status line redraws.
   */
  private terminal(s: string): string {
    const redraw = s.startsWith('\r') ? '\r' : '';
    const printable = escapeControls(this.redactor.text(s.slice(redraw.length)));
    return redraw + printable.replaceAll(this.esc, '\u001b');
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}
