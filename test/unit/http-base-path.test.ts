import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InfrastructureError, serverInfo } from '../../src/plan/server-info.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';

/** `--url http://host:8088` leaves out the API's path: the 404 says where Janus serves it. */
describe('HTTP: a URL with no path', function () {
  let server: Server;
  let origin: string;
  before(async () => {
    registerBuiltinTransports();
    // Answers 404 to everything, as Janus's HTTP transport does outside its base path.
    server = createServer((_request, response) => response.writeHead(404).end('Not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a 404 at the root names the path Janus serves its API under', async () => {
    for (const url of [origin, `${origin}/`]) {
      await assert.rejects(serverInfo('http', url, {}, 5000), (e: unknown) => e instanceof InfrastructureError
        && e.message === `Janus at ${url}: HTTP POST ${origin}: HTTP 404 (Janus serves its API under a path, /janus by default: ${origin}/janus; its Admin API under /admin)`);
    }
  });

  it('a 404 below a path is left as it is: the path was given', async () => {
    await assert.rejects(serverInfo('http', `${origin}/janus`, {}, 5000), (e: unknown) => e instanceof InfrastructureError && e.message === `Janus at ${origin}/janus: HTTP POST ${origin}/janus: HTTP 404`);
  });
});
