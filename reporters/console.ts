import { randomBytes } from 'node:crypto';
import Mocha from 'mocha';
import { escapeControls } from '../src/core/printable.js';
import { failureText } from '../src/report/failure-text.js';
import { cleanupWarnings, sessionsLeftLine } from '../src/report/warnings.js';
import { scenarioStatus } from './build.js';
import { entryOf, type ReportEntry } from './entry.js';
import { paint, wantsColour, type Style } from './colour.js';
import { environmentSecrets, Redactor } from '../src/report/redact.js';

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_TEST_BEGIN, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

const SLOWEST = 5;

/** What the console reporter takes through mocha's reporterOptions. */
export interface ConsoleOptions {
  /** The run's redactor; results add their own secrets to it. Default: from the environment. */
  redactor?: Redactor;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; hasColors?: () => boolean };
  /** --color / --no-color; default: FORCE_COLOR, then whether the stream is a colour terminal. */
  colour?: boolean;
}

interface Finished {
  entry: ReportEntry;
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'unfinished';
  durationMs: number;
  error?: string;
}

/**
 * The console: a line per scenario as it finishes (transport, time, running counts, elapsed),
 * then each failure in full (the step's file:line, expected against actual with a diff, the
 * last messages, the values saved so far), then counts, skip reasons and the slowest scenarios.
 * Colour only on a terminal and without NO_COLOR; secrets never reach the stream.
 */
export default class ConsoleReporter extends Mocha.reporters.Base {
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly redactor: Redactor;
  private readonly colour: boolean;
  /** Redraws a status line in place: only on a terminal, never in a log. */
  private readonly live: boolean;
  private readonly finished: Finished[] = [];
  private startedAt = Date.now();
  /** On a colour terminal: the scenario running now, redrawn in place with the elapsed time. */
  private status?: { title: string; since: number; timer: NodeJS.Timeout };
  /** Stands for the escape character in our own colour codes until `terminal` writes them. */
  private readonly esc = `\ue000${randomBytes(6).toString('hex')}\ue001`;

  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
    super(runner, options);
    const own = (options.reporterOptions ?? {}) as ConsoleOptions;
    this.stream = own.stream ?? process.stdout;
    this.redactor = own.redactor ?? new Redactor(environmentSecrets(process.env));
    this.colour = wantsColour(this.stream, process.env, own.colour);
    this.live = this.colour && !!this.stream.isTTY;
    const total = runner.total;

    runner.once(EVENT_RUN_BEGIN, () => (this.startedAt = Date.now()));
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title && suite.tests.length > 0) this.print(`\n  ${suite.title}`);
    });
    const done = (test: Mocha.Test, error?: Error) => {
      const entry = entryOf(test);
      if (entry.result) this.redactor.add(entry.result.secretValues);
      const status = entry.skipReason || test.isPending() ? 'skipped' : entry.result ? scenarioStatus(entry.result) : error ? 'failed' : 'passed';
      const title = titleOf(test);
      const finished: Finished = { entry, title, status, durationMs: entry.result?.durationMs ?? test.duration ?? 0, error: error?.message };
      this.finished.push(finished);
      this.print(`    ${this.line(finished)}  ${this.paint('gray', this.progress(total))}`);
      for (const warning of entry.result ? cleanupWarnings(entry.result) : []) this.print(`      ${this.paint('yellow', `⚠ warning: ${warning}`)}`);
    };
    runner.on(EVENT_TEST_BEGIN, (test: Mocha.Test) => this.running(test, total));
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => done(test));
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => done(test, error));
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => done(test));
    runner.once(EVENT_RUN_END, () => {
      this.clearStatus();
      this.summary(total);
    });
  }

  private running(test: Mocha.Test, total: number): void {
    if (!this.live) return;
    this.clearStatus();
    const title = titleOf(test);
    const since = Date.now();
    const draw = () => this.stream.write(this.terminal(`\r${this.esc}[K    ${this.paint('gray', `◷ ${title} ${seconds(Date.now() - since)}  ${this.progress(total)}`)}`));
    this.status = { title, since, timer: setInterval(draw, 250).unref() };
    draw();
  }

  private clearStatus(): void {
    if (!this.status) return;
    clearInterval(this.status.timer);
    this.status = undefined;
    this.stream.write(this.terminal(`\r${this.esc}[K`));
  }

  private line(f: Finished): string {
    const time = this.paint('gray', `${f.durationMs}ms`);
    switch (f.status) {
      case 'passed':
        return `${this.paint('green', '✔')} ${f.title} ${time}`;
      case 'failed':
        return `${this.paint('red', `✖ ${this.failed().indexOf(f) + 1})`)} ${f.title} ${time}`;
      case 'unfinished':
        return `${this.paint('yellow', '◌')} ${f.title} ${this.paint('yellow', 'unfinished')}`;
      case 'skipped':
        return `${this.paint('cyan', '-')} ${f.title.replace(/ \(skipped: .*\)$/, '')} ${this.paint('cyan', `skipped${(f.entry.skipReason ?? f.entry.result?.skipReason) ? `: ${f.entry.skipReason ?? f.entry.result?.skipReason}` : ''}`)}`;
    }
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

  private summary(total: number): void {
    const failures = this.failed();
    failures.forEach((f, i) => {
      this.print(`\n  ${this.paint('red', `${i + 1}) ${f.entry.file}`)}\n     ${f.title}`);
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
      for (const s of skipped) {
        const reason = s.entry.skipReason ?? s.entry.result?.skipReason ?? 'skipped';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      for (const [reason, n] of reasons) this.print(`    ${n} × ${reason}`);
    }
    const sessionsLeft = this.finished.reduce((n, f) => n + (f.entry.result?.sessionsLeft.length ?? 0), 0);
    if (sessionsLeft) this.print(`  ${this.paint('yellow', `⚠ ${sessionsLeftLine(sessionsLeft)}`)}`);
    const unfinished = by('unfinished').length + Math.max(0, total - this.finished.length);
    if (unfinished) this.print(`  ${this.paint('yellow', `${unfinished} unfinished`)} (the run was stopped)`);
    const slowest = this.finished.filter((f) => f.status !== 'skipped' && f.durationMs > 0).sort((a, b) => b.durationMs - a.durationMs).slice(0, SLOWEST);
    if (slowest.length > 1) {
      this.print('  slowest:');
      for (const f of slowest) this.print(`    ${seconds(f.durationMs).padStart(7)}  ${f.entry.file}: ${f.title}`);
    }
    this.print('');
  }

  /** The failure text, then the values the scenario had saved when it stopped. */
  private details(f: Finished): string {
    const result = f.entry.result;
    if (!result) return f.error ?? 'failed';
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
    this.stream.write(this.terminal(`${s}\n`));
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

/** A scenario's title with its transport; a plain mocha test's own title. */
function titleOf(test: Mocha.Test): string {
  const entry = entryOf(test);
  return entry.transport ? `${entry.name} [${entry.transport}]` : test.title;
}


function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}
