import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileReporter } from './contract.js';
import type { RunReport } from './model.js';

/** A file reporter and where its file goes; '-' is standard output. */
export interface ReportOutput {
  reporter: FileReporter;
  path: string;
}

/**
 * Renders and writes every output. Synchronous, so it also works from a signal handler that
 * exits right after; each file is written beside its target and renamed over it, so a reader
 * (or a second Ctrl-C) never sees half a file.
 */
export function writeReports(report: RunReport, outputs: readonly ReportOutput[]): string[] {
  const problems: string[] = [];
  for (const { reporter, path } of outputs) {
    try {
      const text = reporter.render(report);
      if (path === '-') {
        writeFileSync(1, text);
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      const partial = `${path}.partial-${process.pid}`;
      writeFileSync(partial, text);
      renameSync(partial, path);
    } catch (e) {
      problems.push(`--reporter ${reporter.name}:${path}: ${(e as Error).message}`);
    }
  }
  return problems;
}
