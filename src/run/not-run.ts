import type { SourceSpan } from '../core/source.js';
import type { Failure, ScenarioResult } from './events.js';

/**
 * The result of a test that never ran a step: skipped (with the reason), or failed before it
 * could start (its Janus did not start, an internal error), with the failure.
 */
export function notRunResult(test: { file: string; name: string; transport: string }, outcome: { skipReason: string } | { failure: Failure & { span?: SourceSpan } }): ScenarioResult {
  return {
    file: test.file,
    name: test.name,
    transport: test.transport,
    ...('skipReason' in outcome ? { status: 'skipped', skipReason: outcome.skipReason } : { status: 'failed', failure: outcome.failure }),
    startedAt: Date.now(),
    durationMs: 0,
    cleanupFailures: [],
    sessionsLeft: [],
    transcript: [],
    saved: {},
    destroyedSessions: [],
    schemaWarnings: [],
    secretValues: [],
  };
}
