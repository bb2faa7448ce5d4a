import assert from 'node:assert/strict';
import { createServer, request, type Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { HttpCall, httpOrigin } from '../../src/transports/http-client.js';
import { SocketPool } from '../../src/transports/http-pool.js';
import { until } from '../support/transports.js';

/**
 * The HTTP transport's kept-alive sockets (SocketPool, in node:http's Agent's place): reused one
 * request after another, never handed out when the server closed them or asked to, never closed
 * under a request, and never an uncaught error when the server resets one while it idles.
 */
describe('HTTP: the pool of kept-alive sockets', function () {
  this.timeout(10_000);
  let server: Server;
  let port: number;
  /** The server's side of every connection opened, in order. */
  let connections: Socket[];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    connections = [];
    answer = (_req, res) => res.end('{"janus":"pong"}');
    server = createServer((req, res) => answer(req, res));
    server.on('connection', (socket: Socket) => connections.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** One GET through `agent`, with the client's socket; rejects on any error. */
  function get(agent: SocketPool): Promise<{ text: string; socket: Socket }> {
    return new Promise((resolve, reject) => {
      const req = request({ agent: agent as unknown as Agent, hostname: '127.0.0.1', port, path: '/janus/info' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ text, socket: req.socket! }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const pool = (idleMs = 4000) => new SocketPool('http:', 80, (host, p) => connect({ host, port: p }), idleMs);

  it('requests one after another share one connection; requests at once get one each', async () => {
    const origin = await httpOrigin(new URL(`http://127.0.0.1:${port}/janus`), {}, 2000);
    for (let i = 0; i < 5; i++) {
      const reply = await new HttpCall(origin, 'POST', '/janus', undefined, '{}', 1024).reply;
      assert.equal(reply.text, '{"janus":"pong"}');
    }
    assert.equal(connections.length, 1);
    const replies = await Promise.all([1, 2, 3].map(() => new HttpCall(origin, 'POST', '/janus', undefined, '{}', 1024).reply));
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200]);
    assert.equal(connections.length, 3);
  });

  it('a connection the server reset while it idled is not handed out again, and its error is caught', async () => {
    const agent = pool();
    const first = await get(agent);
    connections[0]!.resetAndDestroy();
    await until('the client to see the reset', () => first.socket.destroyed);
    const second = await get(agent);
    assert.equal(second.text, '{"janus":"pong"}');
    assert.notEqual(second.socket, first.socket);
    assert.equal(connections.length, 2);
  });

  it('a reply with Connection: close is the last on its connection', async () => {
    answer = (_req, res) => {
      res.setHeader('connection', 'close');
      res.end('{"janus":"pong"}');
    };
    const agent = pool();
    const first = await get(agent);
    const second = await get(agent);
    assert.notEqual(second.socket, first.socket);
    assert.equal(connections.length, 2);
  });

  it('the idle time runs only while a socket idles: a slow reply on a reused socket is read, an idle socket then closes', async () => {
    let replies = 0;
    // The second reply comes after three idle times: a timer left running under the request would cut it off.
    answer = (_req, res) => {
      replies++;
      if (replies === 1) res.end('{"n":1}');
      else setTimeout(() => res.end(`{"n":${replies}}`), 150);
    };
    const agent = pool(50);
    const first = await get(agent);
    const second = await get(agent);
    assert.equal(second.text, '{"n":2}');
    assert.equal(second.socket, first.socket);
    await until('the idle socket to close', () => second.socket.destroyed);
    const third = await get(agent);
    assert.equal(third.text, '{"n":3}');
    assert.equal(connections.length, 2);
  });

  it('idle sockets are taken again before a new one is opened', async () => {
    const agent = pool();
    const [a, b] = await Promise.all([get(agent), get(agent)]);
    assert.notEqual(a.socket, b.socket);
    const next = await get(agent);
    assert.ok(next.socket === a.socket || next.socket === b.socket, 'a new connection although two idled');
    assert.equal(connections.length, 2);
  });
});
