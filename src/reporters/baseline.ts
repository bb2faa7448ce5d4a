import { isAbsolute, relative } from 'node:path';
import type { MessageEvent, RunBegin, RunEnd, StepBegin, StepEnd, TestBegin, TestEnd, TestInfo } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { BASELINE_FORMAT, BASELINE_VERSION, CLEANUP_STEP, type Baseline, type BaselineStep, type BaselineTest, type ServerInventory } from '../compare/baseline.js';
import { wireSummary } from '../compare/wire.js';
import { toolVersion } from '../core/tool-version.js';
import { Redactor } from '../report/redact.js';

/**
 * Collects a run's transcripts, step by step, into a baseline (`record`, and the new side of
 * `compare`). A test's last attempt is the one kept. A test that fails is kept as far as it got:
 * the messages are what Janus sent, whatever the verdict. Skipped tests are kept with their
 * reason and no steps, so the comparison can tell "not run" from "sent nothing".
 */
export class BaselineReporter implements Reporter {
  private readonly infos = new Map<string, TestInfo>();
  private readonly tests = new Map<string, BaselineTest>();
  private readonly order: string[] = [];
  /** When each test's current attempt began: message times are kept relative to it. */
  private readonly began = new Map<string, number>();
  private serverVersion?: string;

  onRunBegin(event: RunBegin): void {
    for (const t of event.tests) {
      this.infos.set(t.id, t);
      this.order.push(t.id);
    }
  }

  onTestBegin(event: TestBegin): void {
    const info = this.infos.get(event.testId);
    if (!info) return;
    this.tests.set(event.testId, { id: info.id, file: info.file, name: info.name, transport: info.transport, status: 'passed', steps: [] });
    this.began.set(event.testId, event.at);
  }

  onStepBegin(event: StepBegin): void {
    this.tests.get(event.testId)?.steps.push({ title: event.title, at: `${shownFile(event.span.file)}:${event.span.line}`, messages: [] });
  }

  onMessage(event: MessageEvent): void {
    const test = this.tests.get(event.testId);
    if (!test) return;
    const step = this.currentStep(test);
    const { client, api, direction, message, http, at } = event.entry;
    const wire = direction === 'in' ? wireSummary(message, http) : undefined;
    const ms = at - (this.began.get(event.testId) ?? at);
    step.messages.push({ client, api, direction, message, ...(event.route && { route: event.route }), ...(http && { http }), ms, ...(wire && { wire }) });
  }

  /** A step that passed keeps its duration (a failed one's is its time limit, or the failure's). */
  onStepEnd(event: StepEnd): void {
    if (event.status !== 'passed') return;
    const at = `${shownFile(event.span.file)}:${event.span.line}`;
    const steps = this.tests.get(event.testId)?.steps ?? [];
    const step = [...steps].reverse().find((s) => s.at === at && s.title === event.title && s.durationMs === undefined);
    if (step) step.durationMs = Math.round(event.durationMs);
  }

  onTestEnd(event: TestEnd): void {
    const info = this.infos.get(event.testId);
    if (!info) return;
    const test = this.tests.get(event.testId) ?? { id: info.id, file: info.file, name: info.name, transport: info.transport, status: 'skipped', steps: [] };
    if (event.result.stepMessages !== undefined) splitCleanup(test, event.result.stepMessages);
    test.status = event.result.status;
    const why = event.result.failure?.summary ?? event.result.skipReason;
    if (why && event.result.status !== 'passed') test.failure = why;
    this.tests.set(event.testId, test);
    this.serverVersion ??= event.serverVersion;
  }

  onRunEnd(event: RunEnd): void {
    this.serverVersion ??= event.janusVersion;
  }

  /**
   * The baseline so far, redacted with the run's secrets (and those each scenario reported):
   * ready to be written or compared.
   */
  baseline(inventory: Record<string, ServerInventory>, redactor: Redactor): Baseline {
    const tests = this.order.map((id) => this.tests.get(id)).filter((t): t is BaselineTest => t !== undefined);
    const raw: Baseline = {
      format: BASELINE_FORMAT,
      version: BASELINE_VERSION,
      tool: { name: 'janus-scenarios', version: toolVersion() },
      recordedAt: new Date().toISOString(),
      ...(this.serverVersion && { serverVersion: this.serverVersion }),
      inventory,
      tests,
    };
    // As JSON, exactly: what was undefined in memory is absent, as in a baseline read from a file.
    return JSON.parse(JSON.stringify(redactor.value(raw))) as Baseline;
  }

  // A message between two steps (a late event) stays with the step before it.
  private currentStep(test: BaselineTest): BaselineStep {
    const last = test.steps.at(-1);
    if (last) return last;
    const before: BaselineStep = { title: '(before the first step)', at: '', messages: [] };
    test.steps.push(before);
    return before;
  }
}

/** What follows the scenario's own messages (its cleanup, session destroys, late events) is a step of its own. */
function splitCleanup(test: BaselineTest, stepMessages: number): void {
  let seen = 0;
  const cleanup: BaselineStep = { title: CLEANUP_STEP, at: '', messages: [] };
  for (const step of test.steps) {
    const keep = Math.max(0, Math.min(step.messages.length, stepMessages - seen));
    seen += step.messages.length;
    cleanup.messages.push(...step.messages.splice(keep));
  }
  if (cleanup.messages.length > 0) test.steps.push(cleanup);
}

function shownFile(file: string): string {
  return isAbsolute(file) ? relative(process.cwd(), file) : file;
}
