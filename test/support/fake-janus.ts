import { registerBuiltinTransports } from '../../src/transports/registry.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A misbehaving stand-in for Janus: one port serving HTTP (POST, long-poll GET, GET /info)
 * and WebSocket upgrades, whose answers tests switch between sane and broken ones.
 */

export type FakeBehaviour =
  /** Answer like a (very small) Janus: success echoing the request, polls held open. */
  | 'ok'
  /** HTTP 200 / a text frame that is not JSON. */
  | 'garbage'
  /** HTTP 200 with an empty body. */
  | 'empty'
  /** Never answer. */
  | 'hang'
  /** Destroy the TCP connection in the middle of the exchange. */
  | 'close'
  /** HTTP 500; over WS a close frame with code 1011. */
  | 'status500'
  /** HTTP 404 with an empty body, as Janus answers a poll for an unknown session; WS: silence. */
  | 'notFound'
  /** HTTP 200 whose body never ends, sent as fast as the client reads; WS: one frame of 17 MiB. */
  | 'endless'
  /** HTTP 200 whose body grows by a byte every 20 ms, forever; WS: silence. */
  | 'trickle'
  /** HTTP 200 announcing a 64 MiB body, then a few bytes of it and nothing more; WS: silence. */
  | 'announcedHuge'
  /** HTTP 200 announcing its length, then half the body and the connection closed; WS: silence. */
  | 'cutOff'
  /** A success that carries no transaction. */
  | 'untransacted'
  /** A success whose transaction is not the request's. */
  | 'wrongTransaction'
  /** Not JSON: "<" then the request's `pad` and `note` fields, so a parse error quotes them. */
  | 'reflect'
  /** Answers like 'ok', and sends every reply to a request twice; over HTTP the second comes by the long-poll. */
  | 'twice'
  /**
   * Answers like 'ok', and floods (with `floodOf`): over WS, once a session is created,
   * FLOOD_BURST messages a turn of the event loop until the socket closes; over HTTP, FLOOD_BURST
   * messages in every long-poll's answer.
   */
  | 'flood'
  /** A success whose `data` nests DEEP_NESTING arrays deep: a few KB that a walk level by level cannot take. */
  | 'deep'
  /** A success with MANY_FIELDS fields no catalogue knows, beside the request's own answer. */
  | 'manyFields';

/** How deep 'deep' nests: far past what a recursive walk of a message takes on Node's stack. */
export const DEEP_NESTING = 100_000;
/** How many unknown fields 'manyFields' sends. */
export const MANY_FIELDS = 200_000;

/** Events a flooding fake sends at once. */
export const FLOOD_BURST = 200;
/** What a flooding fake sends: a valid EchoTest notification, as Janus sends after a hangup. */
export const FLOOD_EVENT = JSON.stringify({ janus: 'event', session_id: 4242, sender: 77, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'done' } } });

export type FakeHandshake = 'accept' | 'hang' | 'drop';

export interface ReceivedRequest {
  method: string;
  path: string;
  body: string;
}

export class FakeJanus {
  behaviour: FakeBehaviour = 'ok';
  /** What 'flood' sends: events, or acks of the create (late acks, which no request takes either). */
  floodOf: 'events' | 'acks' = 'events';
  /** The transaction of the last create received. */
  private createTransaction?: string;
  handshake: FakeHandshake = 'accept';
  readonly requests: ReceivedRequest[] = [];
  readonly frames: string[] = [];
  /** The close code each WebSocket ended with, as the server saw it: 1006 when the client sent no close frame. */
  readonly wsCloseCodes: number[] = [];
  /** Bodies the next long-poll GETs answer with (in 'ok' mode), before polls are held again. */
  readonly pollReplies: string[] = [];
  /** Called for each HTTP request before it is answered; tests use it to turn bad mid-run. */
  onHttpRequest?: (request: ReceivedRequest, fake: FakeJanus) => void;
  /** Called for each WebSocket text frame before it is answered, like onHttpRequest. */
  onWsFrame?: (frame: string, fake: FakeJanus) => void;
  /** HTTP requests whose connection ended before an answer (client aborts, timeouts, our closes). */
  abandoned = 0;
  /** TCP connections accepted so far (HTTP keep-alive reuses one for many requests). */
  connectionsOpened = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Duplex>();
  private readonly streams = new Set<NodeJS.Timeout>();
  /** Long-polls held open, to answer when a handle is detached. */
  private readonly heldPolls: http.ServerResponse[] = [];

  private constructor(private readonly server: http.Server) {
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    server.on('connection', (socket) => {
      this.connectionsOpened += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeJanus> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeJanus(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}/janus`;
  }

  /** Closes every WebSocket a client opened, with this close code and reason, as a server may. */
  closeWebSockets(code: number, reason: string): void {
    for (const client of this.wss.clients) client.close(code, reason);
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** Drops every connection at once, as a server killed with SIGKILL does, and goes on listening. */
  dropConnections(): void {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
  }

  /** Stops listening and drops every connection: what clients see of a server killed with SIGKILL. */
  die(): void {
    this.server.close();
    this.dropConnections();
  }

  /** Open TCP connections (HTTP and WebSocket) right now. */
  get connectionCount(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const timer of this.streams) clearInterval(timer);
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', body };
      this.requests.push(received);
      this.onHttpRequest?.(received, this);
      this.answerHttp(req, res, body);
    });
    res.on('close', () => {
      if (!res.writableFinished) this.abandoned += 1;
    });
  }

  private answerHttp(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    switch (this.behaviour) {
      case 'hang':
        return;
      case 'close':
        req.socket.destroy();
        return;
      case 'status500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      case 'notFound':
        res.writeHead(404).end();
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': 'application/json' }).end();
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>this is not json</html>');
        return;
      case 'reflect':
        res.writeHead(200, { 'content-type': 'application/json' }).end(reflection(body));
        return;
      case 'endless':
        this.streamForever(res);
        return;
      case 'trickle':
        this.trickleForever(res);
        return;
      case 'announcedHuge':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) }).write('{"janus":"success"');
        return;
      case 'cutOff': {
        const reply = JSON.stringify(echoReply(body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(reply)) });
        // Written, then the connection closed once it is on its way: the client has half a reply.
        res.write(reply.slice(0, reply.length >> 1), () => setImmediate(() => req.socket.destroy()));
        return;
      }
      case 'untransacted':
      case 'wrongTransaction':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.misdirected(body)));
        return;
      case 'deep':
      case 'manyFields':
        res.writeHead(200, { 'content-type': 'application/json' }).end(oversized(this.behaviour, body));
        return;
      case 'flood':
        if (isPoll(req)) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(`[${Array(FLOOD_BURST).fill(this.floodMessage()).join(',')}]`);
          return;
        }
        this.noteCreate(body);
        return this.answerHttpOk(req, res, body);
      case 'twice':
        if (req.method === 'POST') this.toPoll(JSON.stringify([echoReply(body)]));
        return this.answerHttpOk(req, res, body);
      case 'ok':
        return this.answerHttpOk(req, res, body);
    }
  }

  /** Answers like a (very small) Janus: polls held, requests echoed. */
  private answerHttpOk(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    if (isPoll(req)) {
      const scripted = this.pollReplies.shift();
      // Like Janus: an idle long-poll is held (here: until the client goes away, or a detach).
      if (scripted !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(scripted);
      else this.heldPolls.push(res);
      return;
    }
    const reply = echoReply(body);
    // Like Janus: detaching a handle sends `detached` to the session's poll.
    if ((reply.echo as { janus?: unknown } | undefined)?.janus === 'detach') {
      for (const poll of this.heldPolls.splice(0)) if (!poll.destroyed) poll.writeHead(200, { 'content-type': 'application/json' }).end('[{"janus":"detached","session_id":4242,"sender":77}]');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  /** Whether the request is a create; its transaction is remembered. */
  private noteCreate(body: string): boolean {
    const request = JSON.parse(body || '{}') as { janus?: unknown; transaction?: unknown };
    if (request.janus !== 'create') return false;
    this.createTransaction = String(request.transaction);
    return true;
  }

  private floodMessage(): string {
    return this.floodOf === 'events' ? FLOOD_EVENT : JSON.stringify({ janus: 'ack', session_id: 4242, transaction: this.createTransaction });
  }

  /** Gives a body to the long-poll held, or to the next one. */
  private toPoll(body: string): void {
    const poll = this.heldPolls.shift();
    if (poll && !poll.destroyed) poll.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else this.pollReplies.push(body);
  }

  /** Writes 1 MiB chunks for as long as the client reads them. */
  private streamForever(res: http.ServerResponse): void {
    const chunk = Buffer.alloc(1024 * 1024, ' ');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"janus":"success","padding":"');
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  }

  private trickleForever(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"janus":"success","padding":"');
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20);
    this.streams.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      this.streams.delete(timer);
    });
  }

  private misdirected(body: string): Record<string, unknown> {
    const reply = echoReply(body);
    if (this.behaviour === 'untransacted') delete reply.transaction;
    else reply.transaction = `not-${String(reply.transaction)}`;
    return reply;
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.handshake === 'hang') return;
    if (this.handshake === 'drop') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => this.onFrame(ws, data.toString()));
      ws.on('close', (code) => this.wsCloseCodes.push(code));
    });
  }

  private onFrame(ws: WebSocket, frame: string): void {
    this.frames.push(frame);
    this.onWsFrame?.(frame, this);
    switch (this.behaviour) {
      case 'hang':
      case 'notFound':
        return;
      case 'close':
        ws.terminate();
        return;
      case 'status500':
        ws.close(1011, 'internal error');
        return;
      case 'empty':
        ws.send('');
        return;
      case 'garbage':
        ws.send('<html>this is not json</html>');
        return;
      case 'reflect':
        ws.send(reflection(frame));
        return;
      case 'endless':
        ws.send(Buffer.alloc(17 * 1024 * 1024, ' '));
        return;
      case 'trickle':
      case 'announcedHuge':
      case 'cutOff':
        return;
      case 'untransacted':
      case 'wrongTransaction':
        ws.send(JSON.stringify(this.misdirected(frame)));
        return;
      case 'deep':
      case 'manyFields':
        ws.send(oversized(this.behaviour, frame));
        return;
      case 'twice': {
        const reply = JSON.stringify(echoReply(frame));
        ws.send(reply);
        ws.send(reply);
        return;
      }
      case 'flood': {
        ws.send(JSON.stringify(echoReply(frame)));
        if (this.noteCreate(frame)) floodSocket(ws, this.floodMessage());
        return;
      }
      case 'ok':
        ws.send(JSON.stringify(echoReply(frame)));
    }
  }
}

/** A long-poll GET: one to a session's path, not to /info. */
function isPoll(req: http.IncomingMessage): boolean {
  return req.method === 'GET' && !(req.url ?? '').split('?')[0]!.endsWith('/info');
}

/** FLOOD_BURST messages a turn of the event loop, for as long as the socket is open. */
function floodSocket(ws: WebSocket, message: string): void {
  const burst = (): void => {
    if (ws.readyState !== ws.OPEN) return;
    for (let i = 0; i < FLOOD_BURST; i++) ws.send(message);
    setImmediate(burst);
  };
  burst();
}

/** The request's answer, its `data` nested DEEP_NESTING deep ('deep') or with MANY_FIELDS unknown fields added ('manyFields'). */
function oversized(behaviour: 'deep' | 'manyFields', body: string): string {
  const reply = JSON.stringify(echoReply(body));
  if (behaviour === 'deep') return `${reply.slice(0, -1)},"data":${'['.repeat(DEEP_NESTING)}${']'.repeat(DEEP_NESTING)}}`;
  return `${reply.slice(0, -1)},${Array.from({ length: MANY_FIELDS }, (_, i) => `"unknown${i}":${i}`).join(',')}}`;
}

function reflection(body: string): string {
  const { pad, note } = JSON.parse(body) as { pad?: string; note?: string };
  return `<${pad ?? ''}${note ?? ''}`;
}

/** A success that carries the request back, so tests can see exactly what arrived. */
function echoReply(body: string): Record<string, unknown> {
  let request: unknown;
  try {
    request = body === '' ? undefined : JSON.parse(body);
  } catch {
    request = body;
  }
  const { transaction, janus } = (request ?? {}) as { transaction?: unknown; janus?: unknown };
  // Just enough of Janus for a runner's preflight and a first step.
  if (janus === 'info') return { janus: 'server_info', transaction, name: 'Fake Janus', plugins: { 'janus.plugin.echotest': {} }, 'session-timeout': 60 };
  if (janus === 'create') return { janus: 'success', transaction, data: { id: 4242 } };
  // A handle id only for the plugin it has; any other attach gets a success that binds nothing
  // (a misbehaving server, for tests of names that were never bound).
  const { plugin } = (request ?? {}) as { plugin?: unknown };
  if (janus === 'attach' && plugin === 'janus.plugin.echotest') return { janus: 'success', transaction, session_id: 4242, data: { id: 77 }, echo: request };
  return { janus: 'success', transaction, echo: request };
}

/**
 * Mocha hooks for a suite run against a FakeJanus: starts it (and registers the built-in
 * transports) before the suite, closes it and removes the suite's scenario files after.
 */
export function useFakeJanus(files: { remove: () => void }): () => FakeJanus {
  let fake: FakeJanus | undefined;
  before(async () => {
    fake = await FakeJanus.start();
    registerBuiltinTransports();
  });
  after(async () => {
    await fake?.close();
    files.remove();
  });
  return () => fake!;
}
