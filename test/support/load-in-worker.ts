import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { renderDiagnostics } from '../../src/core/diagnostic.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { CATALOGUE_ERROR_CODES } from '../../src/schemas/error-names.js';

/**
 * Loads files one at a time in a worker thread, as the CLI would, and posts what came out:
 * the diagnostics, their rendering, any exception, and the heap in use. The parent keeps a
 * watchdog and a heap limit on this thread, so a file that hangs or floods memory is named.
 */
export interface LoadJob {
  name: string;
  files: string[];
  cwd: string;
}

export type WorkerMessage =
  | { type: 'start'; name: string }
  | {
      type: 'result';
      name: string;
      diagnostics: Array<{ file: string; line: number; col: number; message: string; hint?: string }>;
      scenarios: number;
      rendered: string;
      thrown?: string;
      heapMb: number;
    };

if (parentPort && workerData?.jobs) {
  const env: NodeJS.ProcessEnv = { HOME: '/home/test', PATH: '/usr/bin' };
  for (const job of workerData.jobs as LoadJob[]) {
    parentPort.postMessage({ type: 'start', name: job.name } satisfies WorkerMessage);
    let message: WorkerMessage;
    try {
      const result = loadFiles(job.files, { cwd: job.cwd, env, knownSchema, errorCodes: CATALOGUE_ERROR_CODES });
      message = {
        type: 'result',
        name: job.name,
        diagnostics: result.diagnostics.map((d) => ({ file: d.span.file, line: d.span.line, col: d.span.col, message: d.message, hint: d.hint })),
        scenarios: result.scenarios.length,
        rendered: result.diagnostics.length > 0 ? renderDiagnostics(result.diagnostics, result.sources) : '',
        heapMb: getHeapStatistics().used_heap_size / 1024 / 1024,
      };
    } catch (e) {
      message = { type: 'result', name: job.name, diagnostics: [], scenarios: 0, rendered: '', thrown: (e as Error)?.stack ?? String(e), heapMb: 0 };
    }
    parentPort.postMessage(message);
  }
}
