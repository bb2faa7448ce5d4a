import assert from 'node:assert/strict';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { listSessions } from './admin.js';

/**
 * A Janus with the EchoTest over HTTP and WebSocket for the calling suite (mocha hooks), with the
 * CLI options that point a run at it; each test must leave no session behind.
 */
export function echotestJanus(): { urls: () => string[]; sessions: () => Promise<number[]> } {
  let janus: ManagedJanus | undefined;
  let urls: string[] = [];
  const sessions = () => listSessions(janus!.endpoints.adminHttp!, janus!.adminSecret);
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    urls = ['--url', janus.endpoints.http!, '--url', janus.endpoints.ws!, '--admin-url', janus.endpoints.adminHttp!, '--admin-secret', janus.adminSecret];
  });
  after(() => janus?.stop());
  afterEach(async () => assert.deepEqual(await sessions(), [], 'a run left a Janus session behind'));
  return { urls: () => urls, sessions };
}
