import type { FaultEvent, InterruptEvent, LoadProblemsEvent, MessageEvent, RunBegin, RunEnd, StepBegin, StepEnd, SuiteEvent, TestBegin, TestEnd } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { BLOB_FORMAT, BLOB_VERSION, blobText, type BlobHeader } from '../report/blob-format.js';
import { Redactor } from '../report/redact.js';
import { toolVersion } from '../core/tool-version.js';
import { writeFileAtomically } from './write.js';

export interface BlobOptions {
  /** Where the blob goes (BLOB_DEFAULT_PATH without it); `<shard>` in it stands for the shard. */
  path?: string;
  /** The run's own secrets (--api-secret, --token, --admin-secret, URL credentials). */
  secrets?: Iterable<string | undefined>;
  /** Or the run's redactor, which knows them; each scenario's own secrets are added to it. */
  redactor?: Redactor;
}

/**
 * Where a blob goes when `--reporter blob` names no path. `<shard>` (in any path given) becomes
 * `2-of-3`, or `whole` for a run without --shard: every job of a CI matrix can then give the
 * same command line, and the blobs of one run do not overwrite each other when gathered.
 */
export const BLOB_DEFAULT_PATH = 'blob-report/report-<shard>.jsonl';

export function blobPath(path: string, shard: RunBegin['shard']): string {
  return path.replaceAll('<shard>', shard ? `${shard.index}-of-${shard.total}` : 'whole');
}

/** The registry's way to make one (`registerReporter('blob', blobReporterFactory, { defaultPath: BLOB_DEFAULT_PATH })`). */
export function blobReporterFactory(context: { path?: string; redactor?: Redactor }): BlobReporter {
  return new BlobReporter({ path: context.path, redactor: context.redactor });
}

/**
 * `--reporter blob[:path]`: the run's event stream in a file, for `merge-reports` to join the
 * shards of a CI matrix into one report. The file is written once the run ends (and already when
 * it is interrupted, in case a second Ctrl-C ends the process before the run does), beside its
 * target and renamed over it, so a reader never sees half a blob.
 *
 * Events carry secrets in memory; a blob leaves the machine (a CI artifact), so every event is
 * redacted on the way out with the run's secrets and every scenario's own (`secretValues`, which
 * a scenario only reports when it ends: redaction waits for the whole run), and `secretValues`
 * themselves are dropped.
 */
export class BlobReporter implements Reporter {
  private readonly events: SuiteEvent[] = [];
  private header?: BlobHeader;
  private path?: string;

  constructor(private readonly options: BlobOptions = {}) {}

  // Every event goes into the blob as it came.
  onTestBegin = (event: TestBegin): void => this.keep(event);
  onStepBegin = (event: StepBegin): void => this.keep(event);
  onMessage = (event: MessageEvent): void => this.keep(event);
  onStepEnd = (event: StepEnd): void => this.keep(event);
  onTestEnd = (event: TestEnd): void => this.keep(event);
  onFault = (event: FaultEvent): void => this.keep(event);

  onRunBegin(event: RunBegin): void {
    this.begin(event);
    this.events.push(event);
  }

  /**
   * Files that failed to load: the blob is that one event, so that the previous run's blob is
   * not merged as this one's; merge-reports refuses it, naming the problems.
   */
  onLoadProblems(event: LoadProblemsEvent): void {
    this.begin(event);
    this.events.push(event);
    this.write();
  }

  private begin(event: RunBegin | LoadProblemsEvent): void {
    this.header = {
      format: BLOB_FORMAT,
      version: BLOB_VERSION,
      tool: { name: 'janus-scenarios', version: toolVersion() },
      ...(event.shard ? { shard: { index: event.shard.index, total: event.shard.total } } : {}),
      startedAt: event.at,
    };
    this.path = blobPath(this.options.path ?? BLOB_DEFAULT_PATH, event.shard);
  }

  onInterrupt(event: InterruptEvent): void {
    this.events.push(event);
    this.write();
  }

  onRunEnd(event: RunEnd): void {
    this.events.push(event);
    this.write();
  }

  private keep(event: SuiteEvent): void {
    this.events.push(event);
  }

  /** Writes what the run has told so far; synchronous, so it also works just before an exit. */
  write(): void {
    if (!this.header || !this.path) return;
    const text = blobText(this.header, redactedEvents(this.events, this.options.redactor ?? new Redactor(this.options.secrets)));
    try {
      writeFileAtomically(this.path, text);
    } catch (e) {
      throw new Error(`--reporter blob:${this.path}: ${(e as Error).message}`);
    }
  }
}

/**
 * The events as they may leave the machine. The times, attempts, durations and statuses that
 * tie the stream together are kept as they are: a secret equal to a number (a saved room id)
 * must not turn a duration into text, and they are not secret.
 */
export function redactedEvents(events: readonly SuiteEvent[], redactor: Redactor): SuiteEvent[] {
  for (const e of events) if (e.type === 'test:end') redactor.add(e.result.secretValues);
  return events.map((event) => {
    const stripped = event.type === 'test:end' ? { ...event, result: { ...event.result, secretValues: [] } } : event;
    return keepStructure(redactor.value(stripped), event);
  });
}

function keepStructure(redacted: SuiteEvent, original: SuiteEvent): SuiteEvent {
  const out = { ...redacted, type: original.type, at: original.at } as SuiteEvent;
  if (out.type === 'test:begin' && original.type === 'test:begin') out.attempt = original.attempt;
  if (out.type === 'step:end' && original.type === 'step:end') Object.assign(out, { durationMs: original.durationMs, status: original.status });
  if (out.type === 'test:end' && original.type === 'test:end') {
    out.attempt = original.attempt;
    out.retrying = original.retrying;
    out.result = { ...out.result, status: original.result.status, startedAt: original.result.startedAt, durationMs: original.result.durationMs };
  }
  if (out.type === 'run:begin' && original.type === 'run:begin' && original.shard) out.shard = { ...out.shard!, index: original.shard.index, total: original.shard.total };
  return out;
}
