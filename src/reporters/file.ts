import type { CompareReport } from '../compare/report.js';
import type { LoadProblemsEvent, RunEnd } from '../events/events.js';
import { ReportBuilder } from '../report/builder.js';
import type { ReportFormat, ReporterContext, ReporterFactory, TextSink } from './contract.js';
import { writeReportFile } from './write.js';

/**
 * A report format as a Reporter: it builds the report from the events as they come and, at
 * `run:end` (or `load:problems`), renders it and writes its file, synchronously (a second Ctrl-C ends the run with
 * `run:end` and exits right after). A file it cannot write throws: the multiplexer says so once.
 */
export class FileReporter extends ReportBuilder {
  override readonly name: string;
  private readonly out: TextSink;
  private compare: CompareReport | undefined;

  constructor(private readonly format: ReportFormat, private readonly path: string, context: Pick<ReporterContext, 'redactor' | 'out'>) {
    super({ redactor: context.redactor });
    this.name = `${format.name}:${path}`;
    this.out = context.out;
  }

  override onRunEnd(event: RunEnd): void {
    super.onRunEnd(event);
    this.write();
  }

  /** Files that failed to load: the report of that run replaces the last one (a CI job would read an old pass). */
  override onLoadProblems(event: LoadProblemsEvent): void {
    super.onLoadProblems(event);
    this.write();
  }

  private write(): void {
    try {
      const text = this.compare && this.format.renderWithCompare ? this.format.renderWithCompare(this.report(), this.compare) : this.format.render(this.report());
      writeReportFile(this.path, text, this.out);
    } catch (e) {
      throw new Error(`--reporter ${this.name}: ${(e as Error).message}`);
    }
  }

  /** Whether its format shows a comparison: `compare` then holds back its `run:end` until the comparison is made. */
  showsCompare(): boolean {
    return this.format.renderWithCompare !== undefined;
  }

  /** The comparison to show, before `run:end` (already redacted by the command that made it). */
  withCompare(compare: CompareReport): void {
    this.compare = compare;
  }

  printsToStdout(): boolean {
    return this.path === '-';
  }
}

/** The factory that registers a format: `--reporter junit[:path]`. */
export function fileReporter(format: ReportFormat): ReporterFactory {
  return (context) => new FileReporter(format, context.path ?? format.defaultPath, context);
}
