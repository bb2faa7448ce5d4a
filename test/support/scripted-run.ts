import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { scriptedTransport } from './answering-transport.js';

/**
 * Runs a scenario written as text (named `name`, in a folder of its own, removed after) against
 * a scriptedTransport: `transport` is registered once with the answers `server` makes, so a
 * server that keeps state between requests serves one scenario. Schema checks are off: the
 * server is a script.
 */
export async function runScripted(transport: string, server: () => (request: JanusMessage) => JanusMessage[], name: string, text: string): Promise<ScenarioResult> {
  if (!getTransport(transport)) registerTransport(scriptedTransport(transport, server()));
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-scripted-'));
  try {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\n${text}`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return await runScenario(loaded.scenarios[0]!, { transport, url: `${transport}://x`, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000, schemaMode: 'off' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
