import type { RunEnd } from '../events/events.js';
import { ReportBuilder } from '../report/builder.js';
import type { ReportFormat, ReporterContext, ReporterFactory, TextSink } from './contract.js';
import { writeReportFile } from './write.js';

/**
 * A report format as a Reporter: it builds the report from the events as they come and, at
 * `run:end`, renders it and writes its file, synchronously (a second Ctrl-C ends the run with
 * `run:end` and exits right after). A file it cannot write throws: the multiplexer says so once.
 */
export class FileReporter extends ReportBuilder {
  override readonly name: string;
  private readonly out: TextSink;

  constructor(private readonly format: ReportFormat, private readonly path: string, context: Pick<ReporterContext, 'redactor' | 'out'>) {
    super({ redactor: context.redactor });
    this.name = `${format.name}:${path}`;
    this.out = context.out;
  }

  override onRunEnd(event: RunEnd): void {
    super.onRunEnd(event);
    try {
      writeReportFile(this.path, this.format.render(this.report()), this.out);
    } catch (e) {
      throw new Error(`--reporter ${this.name}: ${(e as Error).message}`);
    }
  }

  printsToStdout(): boolean {
    return this.path === '-';
  }
}

/** The factory that registers a format: `--reporter junit[:path]`. */
export function fileReporter(format: ReportFormat): ReporterFactory {
  return (context) => new FileReporter(format, context.path ?? format.defaultPath, context);
}
