import type { FileReporter } from './contract.js';
import { htmlReporter } from './html/index.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { tapReporter } from './tap.js';

const fileReporters = new Map<string, FileReporter>();

/** Makes `--reporter <name>[:path]` write this reporter's file. */
export function registerFileReporter(reporter: FileReporter): void {
  fileReporters.set(reporter.name, reporter);
}

export function getFileReporter(name: string): FileReporter | undefined {
  return fileReporters.get(name);
}

export function fileReporterNames(): string[] {
  return [...fileReporters.keys()];
}

export function registerBuiltinFileReporters(): void {
  registerFileReporter(junitReporter);
  registerFileReporter(jsonReporter);
  registerFileReporter(tapReporter);
  registerFileReporter(htmlReporter);
}
