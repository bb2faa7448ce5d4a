// TEMPORARY: until the reporters are rewritten as `Reporter`s on the event stream (src/reporters/),
// this keeps the command line's `--reporter` working on the new pipeline: file reporters are
// built from the events into the same RunReport, and every mocha reporter, our console among
// them, is replayed the events through src/mocha/bridge.ts. Same signature as the final one.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import { buildRunReport } from '../../reporters/build.js';
import ConsoleReporter from '../../reporters/console.js';
import type { ReportEntry } from '../../reporters/entry.js';
import { fileReporterNames, getFileReporter } from '../../reporters/registry.js';
import { writeReports, type ReportOutput } from '../../reporters/write.js';
import type { RunBegin, RunEnd, TestBegin, TestEnd } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { MochaBridge, type MochaReporterClass } from '../mocha/bridge.js';
import type { Redactor } from '../report/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import { UsageError } from './options.js';

/** Names that mean the project's console reporter; any other mocha reporter keeps its own name. */
const CONSOLE_NAMES = ['spec', 'console'];

export interface ReporterContext {
  redactor: Redactor;
  colour: boolean;
  out: NodeJS.WritableStream;
  /** `--reporter-option key=value`, for mocha's own reporters (xunit's output=). */
  reporterOptions?: Record<string, string>;
}

/**
 * `--reporter name[:path]`, repeatable: a registered file reporter (junit, json, tap, html)
 * writes its file (path '-' is standard output), anything else is a mocha reporter (spec,
 * dot, xunit, a module path). Without a mocha reporter the console one is added, unless a file
 * goes to standard output.
 */
export async function chooseReporters(specs: string[], context: ReporterContext): Promise<Reporter[]> {
  const files: ReportOutput[] = [];
  const mocha: MochaReporterClass[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    const file = getFileReporter(name);
    if (!file) {
      mocha.push(await mochaReporter(spec));
      continue;
    }
    const path = colon > 0 ? spec.slice(colon + 1) : file.defaultPath;
    if (!path) throw new UsageError(`--reporter ${spec}: give a path after the colon`);
    files.push({ reporter: file, path });
  }
  if (mocha.length === 0 && !files.some((f) => f.path === '-')) mocha.push(ConsoleReporter);
  // Mocha's own reporters (dot, list, ...) follow the same colour decision.
  (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = context.colour;
  const reporters: Reporter[] = [];
  if (mocha.length > 0) reporters.push(new MochaBridge(mocha, { ...context.reporterOptions, redactor: context.redactor, colour: context.colour, stream: context.out }, context.redactor));
  if (!mocha.includes(ConsoleReporter)) reporters.push(new SessionsLeftWarning(context.redactor));
  if (files.length > 0) reporters.push(new FileReports(files, context.redactor));
  return reporters;
}

/** The report files, built from the events when the run ends (synchronously: a second Ctrl-C exits right after). */
class FileReports implements Reporter {
  private entries = new Map<string, ReportEntry>();
  private begin?: RunBegin;

  constructor(private readonly outputs: ReportOutput[], private readonly redactor: Redactor) {}

  onRunBegin(event: RunBegin): void {
    this.begin = event;
    this.entries = new Map(event.tests.map((t) => [t.id, { file: t.file, name: t.name, transport: t.transport, tags: t.tags, ...(t.skipReason && { skipReason: t.skipReason }) }]));
  }

  onTestBegin(event: TestBegin): void {
    const entry = this.entries.get(event.testId);
    if (entry) entry.startedAt = event.at;
  }

  onTestEnd(event: TestEnd): void {
    const entry = this.entries.get(event.testId);
    if (!entry) return;
    if (event.result.status === 'skipped') entry.skipReason = event.result.skipReason;
    else entry.result = event.result;
  }

  onRunEnd(event: RunEnd): void {
    if (!this.begin) return;
    const { at: startedAt, transports, seed } = this.begin;
    const report = buildRunReport([...this.entries.values()], { startedAt, finishedAt: event.at, interrupted: event.status === 'interrupted', transports, seed, janusVersion: event.janusVersion });
    for (const problem of writeReports(this.redactor.value(report), this.outputs)) process.stderr.write(`error: ${problem}\n`);
  }
}

/** The console says this itself; mocha's own reporters (dot, list, ...) do not. */
class SessionsLeftWarning implements Reporter {
  private readonly results: TestEnd['result'][] = [];

  constructor(private readonly redactor: Redactor) {}

  onTestEnd(event: TestEnd): void {
    if (!event.retrying) this.results.push(event.result);
  }

  onRunEnd(): void {
    const left = this.results.reduce((n, r) => n + r.sessionsLeft.length, 0);
    if (left === 0) return;
    process.stderr.write(this.redactor.text(`warning: ${sessionsLeftLine(left)}:\n${this.results.flatMap(cleanupWarnings).map((w) => `  ${w}`).join('\n')}\n`));
  }
}

async function mochaReporter(name: string): Promise<MochaReporterClass> {
  if (CONSOLE_NAMES.includes(name)) return ConsoleReporter;
  const builtin = (Mocha.reporters as unknown as Record<string, MochaReporterClass | undefined>)[name];
  if (builtin) return builtin;
  const require = createRequire(join(process.cwd(), 'reporter.js'));
  let path: string;
  try {
    path = require.resolve(name.startsWith('.') ? resolve(name) : name);
  } catch {
    throw new UsageError(`unknown reporter "${name}": use ${[...CONSOLE_NAMES, ...fileReporterNames()].join(', ')}, a mocha reporter (dot, list, xunit, ...) or a module path`);
  }
  const loaded = (await import(pathToFileURL(path).href)) as { default?: MochaReporterClass } & MochaReporterClass;
  return loaded.default ?? loaded;
}
