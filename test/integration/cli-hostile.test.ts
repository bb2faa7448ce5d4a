import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadUnixModule } from '../../src/transports/unix.js';
import { selfSignedCertificate } from '../../src/managed/certificate.js';
import { createServer as createTlsServer } from 'node:tls';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { FakeJanus, MANY_FIELDS, type FakeBehaviour } from '../support/fake-janus.js';
import { MAX_VIOLATIONS_LISTED } from '../../src/schemas/catalogue.js';
import { runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';
import { until } from '../support/transports.js';

/**
 * The CLI against servers built to hurt it: replies that never end, replies that trickle,
 * replies no request can claim, a server that dies while scenarios wait on it. Each run ends
 * with exit 3 and a one-line reason, never a crash or a wait for a time limit that cannot help.
 */
describe('CLI against a hostile server', function () {
  this.timeout(30_000);
  let fake: FakeJanus;
  afterEach(async () => {
    await fake?.close();
  });

  /** The fake answers `ping` requests with `behaviour`, everything else (info, create) sanely. */
  async function poisonPing(behaviour: FakeBehaviour): Promise<void> {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => (f.behaviour = req.body.includes('"ping"') ? behaviour : 'ok');
    fake.onWsFrame = (frame, f) => (f.behaviour = frame.includes('"ping"') ? behaviour : 'ok');
  }
  // Made when the file loads, removed here: mocha skips the hooks of a suite --grep leaves empty.
  const ping = scenarioDir({ 'ping.yaml': 'name: pings\nsteps:\n  - request: { janus: ping }\n' });
  const waiting = scenarioDir({
    'wait.yaml': 'name: waits\nsteps:\n  - request: create\n  - wait: { janus: event }\n    within: 25s\n',
    'sleep.yaml': 'name: sleeps\nsteps:\n  - request: create\n  - sleep: 25s\n',
    'quiet.yaml': 'name: watches\nsteps:\n  - request: create\n  - no_event: {}\n    for: 25s\n',
  });
  const leaves = scenarioDir({ 'leaves.yaml': 'name: leaves its session to the cleanup\nsteps:\n  - request: create\n' });
  const twice = scenarioDir({ 'twice.yaml': 'name: takes a reply for an event\nsteps:\n  - request: create\n  - wait: { janus: success }\n    within: 5s\n' });
  after(() => [ping, waiting, leaves, twice].forEach((d) => d.remove()));
  const urlOf = (t: 'http' | 'ws') => (t === 'http' ? fake.httpUrl : fake.wsUrl);

  for (const transport of ['http', 'ws'] as const) {
    it(`${transport}: a reply that never ends is a fault at the size limit, exit 3`, async () => {
      await poisonPing('endless');
      const run = await runCli(['run', ping.dir, '--url', urlOf(transport), '--step-timeout', '20s']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: .*(reply|frame) larger than 16 MiB \(the limit for one message\)/);
    });
  }

  // The http step reads its replies through the transport's HTTP client: the same limit, the same reasons.
  const raw = scenarioDir({ 'raw.yaml': 'name: raw ping\nrequires: { transports: [http] }\nsteps:\n  - http: { method: POST, body: { janus: ping, transaction: r1 } }\n' });
  after(() => raw.remove());
  const rawCases = [
    { behaviour: 'endless', reason: 'reply larger than 16 MiB \\(the limit for one message\\)' },
    { behaviour: 'cutOff', reason: 'connection closed by server before a complete reply' },
  ] as const;
  for (const { behaviour, reason } of rawCases) {
    it(`http step: ${behaviour} is a server problem in one line, exit 3`, async () => {
      await poisonPing(behaviour);
      const run = await runCli(['run', raw.dir, '--url', fake.httpUrl, '--step-timeout', '20s']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`HTTP POST http://127\\.0\\.0\\.1:\\d+/janus: ${reason}$`, 'm'));
    });
  }

  /** The fake answers `create` with `behaviour`, everything else sanely. */
  async function poisonCreate(behaviour: FakeBehaviour): Promise<void> {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => (f.behaviour = req.body.includes('"create"') ? behaviour : 'ok');
    fake.onWsFrame = (frame, f) => (f.behaviour = frame.includes('"create"') ? behaviour : 'ok');
  }

  for (const transport of ['http', 'ws'] as const) {
    // Read level by level (redaction, the report's diff), it overflowed the stack: the console
    // reporter died, the failure unsaid, and printed with indents a few KB grew to megabytes.
    it(`${transport}: a reply nested thousands of levels deep is a server problem in one line, exit 3`, async () => {
      await poisonCreate('deep');
      const run = await runCli(['run', leaves.dir, '--url', urlOf(transport), '--step-timeout', '5s']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: .*: JSON from server nested more than 100 levels deep$/m);
      assert.doesNotMatch(run.stdout + run.stderr, /failed and was stopped|call stack/);
    });

    // A violation per field: spread into a list they overflowed the stack (an "internal error"
    // with its stack trace, exit 3), and the warnings ran to a line per field.
    it(`${transport}: a reply with ${MANY_FIELDS} unknown fields fails its step on the first few, exit 1`, async () => {
      await poisonCreate('manyFields');
      const run = await runCli(['run', leaves.dir, '--url', urlOf(transport), '--step-timeout', '5s']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /failed: schema core\/success\/create: \/unknown0: unknown field/);
      // The failure lists ten, and says how many more its list holds: the first ones, and one that counts the rest.
      assert.equal(run.stdout.match(/^ {9}schema core\/success\/create: \/unknown\d+: unknown field/gm)?.length, 10, run.stdout);
      assert.match(run.stdout, new RegExp(`^ {9}\\.\\.\\. \\(${MAX_VIOLATIONS_LISTED + 1 - 10} more\\)$`, 'm'));
      assert.doesNotMatch(run.stdout + run.stderr, /internal error|call stack|unknown199999/);
      // Reported only, the same list: warnings, the step passed.
      const warned = await runCli(['run', leaves.dir, '--url', urlOf(transport), '--step-timeout', '5s', '--schema', 'warn']);
      assert.equal(warned.code, 0, warned.stdout + warned.stderr);
      assert.doesNotMatch(warned.stderr, new RegExp(`/unknown${MAX_VIOLATIONS_LISTED}:`));
      assert.ok(warned.stderr.includes(`  schema core/success/create: and ${MANY_FIELDS - MAX_VIOLATIONS_LISTED} more violation(s) of this message, not listed\n`), warned.stderr);
    });
  }

  it('http: a reply that trickles forever ends at the step time limit, exit 3', async () => {
    await poisonPing('trickle');
    const run = await runCli(['run', ping.dir, '--url', fake.httpUrl, '--step-timeout', '500ms']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /server problem: no reply to ping \(transaction \w+\) within 500ms/);
  });

  for (const behaviour of ['untransacted', 'wrongTransaction'] as const) {
    it(`ws: a reply that names no waiting request (${behaviour}) is reported as such`, async () => {
      await poisonPing(behaviour);
      const run = await runCli(['run', ping.dir, '--url', fake.wsUrl, '--step-timeout', '500ms']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      const why = behaviour === 'untransacted' ? 'it carries no transaction' : 'its transaction names no request waiting';
      assert.ok(run.stdout.includes(`a reply that could not be correlated came instead: "success" (${why}`), run.stdout);
      assert.doesNotMatch(run.stdout, /no reply to attach|did not answer info/);
    });
  }

  it('ws: a reply sent twice is a server problem in one line, exit 3, and not a reply for a later wait', async () => {
    fake = await FakeJanus.start();
    fake.behaviour = 'twice';
    const run = await runCli(['run', twice.dir, '--url', fake.wsUrl, '--step-timeout', '5s']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /server problem: client main: a reply that could not be correlated came: a second "success" for create \(transaction \w+\), which was answered already$/m);
  });

  for (const transport of ['http', 'ws'] as const) {
    // The test's own time limit (under the 25 s the scenario sleeps) is the watchdog.
    it(`${transport}: a flood of events no step takes ends the scenario at once, exit 3`, async function () {
      this.timeout(20_000);
      fake = await FakeJanus.start();
      fake.behaviour = 'flood';
      const run = await runCli(['run', join(waiting.dir, 'sleep.yaml'), '--url', urlOf(transport), '--timeout', '60s']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: client main: the server sent more than 10000 messages that no step took, the most a client keeps: it is no longer read\n\s+at .*sleep\.yaml:4:5 \(step: sleep 25000ms\)/);
    });
  }

  it('ws: an info reply that names no request is reported at the first contact', async () => {
    fake = await FakeJanus.start();
    fake.behaviour = 'untransacted';
    const run = await runCli(['run', ping.dir, '--url', fake.wsUrl, '--step-timeout', '500ms']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /did not answer info within 500ms; a reply that could not be correlated came instead: "server_info" \(it carries no transaction/);
  });

  for (const transport of ['http', 'ws'] as const) {
    it(`${transport}: the first contact waits --step-timeout, not a fixed time`, async () => {
      fake = await FakeJanus.start();
      fake.behaviour = 'hang';
      const run = await runCli(['run', ping.dir, '--url', urlOf(transport), '--step-timeout', '700ms']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, transport === 'http' ? /no response within 700 ms/ : /did not answer info within 700ms/);
    });
  }

  // The first contact (connect, then info) comes before any scenario: a signal there used to
  // kill the runner outright (no exit 130, and a Unix datagram client's socket folder left).
  describe('Ctrl-C or SIGTERM while the first contact waits', () => {
    let silent: { close(): void } | undefined;
    // Before tmpdirPerTest's check: the silent socket's file lives in the test's temp folder.
    afterEach(() => {
      silent?.close();
      silent = undefined;
      rmSync(join(tmp.dir(), 'silent.sock'), { force: true });
    });
    const tmp = tmpdirPerTest();
    const contacts = [
      { what: 'an HTTP info probe never answered', signal: 'SIGINT', server: async () => {
        fake = await FakeJanus.start();
        fake.behaviour = 'hang';
        return { url: fake.httpUrl, reached: () => fake.requests.length > 0 };
      } },
      { what: 'a WebSocket handshake never answered', signal: 'SIGTERM', server: async () => {
        fake = await FakeJanus.start();
        fake.handshake = 'hang';
        return { url: fake.wsUrl, reached: () => fake.connectionsOpened > 0 };
      } },
      { what: 'a WebSocket info never answered', signal: 'SIGINT', server: async () => {
        fake = await FakeJanus.start();
        fake.behaviour = 'hang';
        return { url: fake.wsUrl, reached: () => fake.frames.length > 0 };
      } },
      { what: 'a Unix datagram info never answered', signal: 'SIGTERM', server: async () => {
        const { DgramSocket } = await loadUnixModule();
        const path = join(tmp.dir(), 'silent.sock');
        const socket = new DgramSocket();
        let received = 0;
        socket.on('data', () => (received += 1));
        socket.bind(path);
        silent = socket;
        return { url: `unix://${path}?type=dgram`, reached: () => received > 0 };
      } },
      { what: 'an MQTT broker that never sends CONNACK', signal: 'SIGINT', server: () => silentBroker('mqtt') },
      { what: 'an AMQP broker that never answers the protocol header', signal: 'SIGTERM', server: () => silentBroker('amqp') },
    ] as const;

    /** A TCP listener that accepts and never says a word, as a broker that hangs. */
    async function silentBroker(scheme: string): Promise<{ url: string; reached: () => boolean }> {
      const accepted: Socket[] = [];
      const broker = createServer((socket) => accepted.push(socket));
      await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
      silent = { close: () => (accepted.forEach((s) => s.destroy()), broker.close()) };
      return { url: `${scheme}://127.0.0.1:${(broker.address() as AddressInfo).port}`, reached: () => accepted.length > 0 };
    }

    // record and compare plan as run does, with their own interrupt handling.
    it('record: SIGINT while the first contact waits ends it at once, exit 130, no baseline written', async () => {
      fake = await FakeJanus.start();
      fake.behaviour = 'hang';
      const out = join(tmp.dir(), 'baseline.json');
      const cli = startCli(['record', ping.dir, '--out', out, '--url', fake.httpUrl, '--step-timeout', '60s'], { env: tmp.env() });
      await until('the runner to reach the server', () => fake.requests.length > 0, 15_000);
      cli.child.kill('SIGINT');
      const run = await cli.done;
      assert.equal(run.signal, null, `the runner died of ${run.signal}`);
      assert.equal(run.code, 130, run.stdout + run.stderr);
      assert.equal(existsSync(out), false, 'a baseline was written');
    });

    it('load: SIGTERM while the first contact waits ends it at once, exit 130', async () => {
      fake = await FakeJanus.start();
      fake.behaviour = 'hang';
      const cli = startCli(['load', join(ping.dir, 'ping.yaml'), '--users', '1', '--duration', '5s', '--url', fake.httpUrl, '--step-timeout', '60s'], { env: tmp.env() });
      await until('the runner to reach the server', () => fake.requests.length > 0, 15_000);
      cli.child.kill('SIGTERM');
      const run = await cli.done;
      assert.equal(run.signal, null, `the runner died of ${run.signal}`);
      assert.equal(run.code, 130, run.stdout + run.stderr);
    });

    for (const { what, signal, server } of contacts) {
      // The step time limit (60 s) is far above the test's own: only the signal can end the run in time.
      it(`${what}: ${signal} ends the run at once, exit 130, nothing left`, async () => {
        const { url, reached } = await server();
        const cli = startCli(['run', ping.dir, '--url', url, '--step-timeout', '60s'], { env: tmp.env() });
        await until('the runner to reach the server', reached, 15_000);
        cli.child.kill(signal);
        const run = await cli.done;
        assert.equal(run.signal, null, `the runner died of ${run.signal}`);
        assert.equal(run.code, 130, run.stdout + run.stderr);
        assert.match(run.stderr, /^interrupted: /m);
      });
    }
  });

  // Its side of the close handshake would not come either: the runner used to wait 2 s more for it.
  it('ws: a server that left info unanswered is dropped, not asked for a close handshake', async () => {
    fake = await FakeJanus.start();
    fake.behaviour = 'hang';
    const run = await runCli(['run', ping.dir, '--url', fake.wsUrl, '--step-timeout', '500ms']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    await until('the fake to see the connection end', () => fake.wsCloseCodes.length === 1, 5000);
    assert.deepEqual(fake.wsCloseCodes, [1006]);
  });

  it('ws: a server that answers is closed with a close handshake', async () => {
    fake = await FakeJanus.start();
    const run = await runCli(['run', ping.dir, '--url', fake.wsUrl]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    await until('the fake to see both connections end', () => fake.wsCloseCodes.length === 2, 5000);
    assert.deepEqual(fake.wsCloseCodes, [1000, 1000]);
  });

  // Node's words for it were its HTTP parser's: "Parse Error: Expected HTTP/, RTSP/ or ICE/".
  for (const transport of ['http', 'ws'] as const) {
    it(`${transport}: a port that speaks another protocol (an SSH banner) is named as not HTTP, exit 3`, async () => {
      const sockets: Socket[] = [];
      const ssh = createServer((socket) => (sockets.push(socket), socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')));
      await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
      try {
        const port = (ssh.address() as AddressInfo).port;
        const url = transport === 'http' ? `http://127.0.0.1:${port}/janus` : `ws://127.0.0.1:${port}`;
        const run = await runCli(['run', ping.dir, '--url', url]);
        assert.equal(run.code, 3, run.stdout + run.stderr);
        assert.match(run.stderr, /^error: cannot reach Janus at .*: the server's answer is not HTTP \(is this port Janus's HTTP or WebSocket port\?\)$/m);
      } finally {
        sockets.forEach((s) => s.destroy());
        ssh.close();
      }
    });
  }

  // Janus answers a long-poll for a session it no longer has (destroyed, timed out) with 404: the
  // wait that then times out used to say only "none arrived".
  it('http: a wait whose session the long-poll found gone says so', async () => {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => (f.behaviour = req.method === 'GET' && req.path.includes('maxev') ? 'notFound' : 'ok');
    const waits = scenarioDir({ 'w.yaml': 'name: waits\nsteps:\n  - request: create\n  - wait: { janus: event }\n    within: 1s\n' });
    try {
      const run = await runCli(['run', waits.dir, '--url', fake.httpUrl]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /failed: no message matching the pattern arrived within 1s \(none arrived\); the server no longer knows session 4242 \(its long-poll got HTTP 404\), so none of its events can arrive$/m);
    } finally {
      waits.remove();
    }
  });

  // The binding reports the server's hang-up as 'end' and says 'close' only after a failed write:
  // a wait used to sit out its whole time on a connection that could bring nothing.
  it('unix: a server that closes the connection ends a waiting step at once, exit 3', async function () {
    this.timeout(20_000);
    const { SeqpacketServer } = await import('node-unix-socket');
    const folder = mkdtempSync(join(tmpdir(), 'jstest-seq-'));
    const server = new SeqpacketServer();
    const accepted: Array<{ destroy(): void }> = [];
    server.on('connection', (socket: { on(e: 'data', f: (d: Buffer) => void): void; write(b: Buffer): void; destroy(): void }) => {
      accepted.push(socket);
      socket.on('data', (data) => {
        const request = JSON.parse(data.toString()) as { janus: string; transaction: string };
        const reply = request.janus === 'info' ? { janus: 'server_info', transaction: request.transaction, version_string: '1.1.2', plugins: {} } : { janus: 'success', transaction: request.transaction, data: { id: 4242 } };
        socket.write(Buffer.from(JSON.stringify(reply)));
        if (request.janus === 'create') setImmediate(() => socket.destroy());
      });
    });
    server.listen(join(folder, 'api.sock'));
    try {
      const run = await runCli(['run', join(waiting.dir, 'wait.yaml'), '--url', `unix://${join(folder, 'api.sock')}`, '--timeout', '60s']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: client main: Unix socket .*api\.sock: connection closed by server$/m);
    } finally {
      accepted.forEach((s) => s.destroy());
      server.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Janus's WebSocket port (libwebsockets) answers plain HTTP with a 403 web page: the probe passed, and the first POST failed without saying why.
  it('http: a URL with http:// on a WebSocket port (an HTML 403) hints at ws://, exit 3', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(403, { 'content-type': 'text/html' });
      response.end('<html><body><h1>403</h1></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['run', ping.dir, '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/janus`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: cannot reach Janus at .*\/janus\/info: HTTP 403 with a web page, not Janus's HTTP API \(is it a WebSocket port\? give ws:\/\/\)$/m);
    } finally {
      server.close();
    }
  });

  // Janus's https port hangs up on plain HTTP without a byte: "closed before a complete reply" alone did not say why.
  it('http: a URL with http:// on a TLS port hints at https://, exit 3', async () => {
    const { certPem, keyPem } = await selfSignedCertificate();
    const server = createTlsServer({ cert: certPem, key: keyPem }, (socket) => socket.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['run', ping.dir, '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/janus`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: cannot reach Janus at .*: connection closed by server before a complete reply \(is it an https port\? give https:\/\/\)$/m);
    } finally {
      server.close();
    }
  });

  // Janus's wss port resets a plain WebSocket handshake: "connection reset by server" alone did not say why.
  it('ws: a handshake reset by the server (as the wss port of Janus does to ws://) hints at wss://, exit 3', async () => {
    const resets = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => resets.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['run', ping.dir, '--url', `ws://127.0.0.1:${(resets.address() as AddressInfo).port}`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: cannot reach Janus at .*: handshake failed: connection reset by server \(is it a wss port\? give wss:\/\/\)$/m);
    } finally {
      resets.close();
    }
  });

  // Janus's HTTP port answers a WebSocket handshake with a 404: "Unexpected server response: 404" alone did not say why.
  it("ws: a handshake answered with an HTTP status (as Janus's HTTP port does to ws://) hints at http://, exit 3", async () => {
    const server = createHttpServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['run', ping.dir, '--url', `ws://127.0.0.1:${(server.address() as AddressInfo).port}/janus`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: cannot reach Janus at .*: handshake failed: Unexpected server response: 404 \(the port answers plain HTTP: is it Janus's HTTP port\? give http:\/\/HOST:PORT\/janus\)$/m);
    } finally {
      server.close();
    }
  });

  describe('a server that dies while scenarios wait on it', () => {

    for (const transport of ['http', 'ws'] as const) {
      // The test's own time limit (under the 25 s the steps wait) is the watchdog: a step that
      // sits out its time after the server died makes it fail. Nothing here measures speed.
      it(`${transport}: wait, sleep and no_event end at once when the connection dies, exit 3`, async function () {
        this.timeout(20_000);
        fake = await FakeJanus.start();
        const cli = startCli(['run', waiting.dir, '--url', urlOf(transport), '--jobs', '3', '--timeout', '60s', '--reporter', 'json:-']);
        const created = () => (transport === 'http' ? fake.requests.filter((r) => r.method === 'GET' && r.path.includes('maxev')).length : fake.frames.filter((f) => f.includes('"create"')).length);
        await until('each scenario to have its session', () => created() >= 3, 15_000);
        fake.die();
        const run = await cli.done;
        assert.equal(run.code, 3, run.stdout + run.stderr);
        const report = JSON.parse(run.stdout) as { scenarios: Array<{ name: string; status: string; failure?: { kind: string; summary: string; stepTitle?: string } }> };
        assert.equal(report.scenarios.length, 3);
        for (const s of report.scenarios) {
          assert.equal(s.status, 'failed', JSON.stringify(s));
          assert.equal(s.failure?.kind, 'infrastructure', JSON.stringify(s.failure));
          assert.match(s.failure!.summary, /^client main: (HTTP GET .*long-poll.*|WebSocket .*connection closed by server.*)/);
          assert.doesNotMatch(s.failure!.stepTitle ?? '', /create/);
        }
      });
    }
  });

  describe('a cleanup the server does not answer', () => {

    /** The fake answers everything but `destroy`: that one hangs (or fails with HTTP 500). */
    async function unanswered(destroy: FakeBehaviour): Promise<void> {
      fake = await FakeJanus.start();
      fake.onHttpRequest = (req, f) => (f.behaviour = req.body.includes('"destroy"') ? destroy : 'ok');
      fake.onWsFrame = (frame, f) => (f.behaviour = frame.includes('"destroy"') ? destroy : 'ok');
    }

    it('is a warning on the scenario in every report, with the count of sessions left, and the verdict holds', async () => {
      await unanswered('hang');
      const out = join(leaves.dir, 'out');
      const run = await runCli(['run', join(leaves.dir, 'leaves.yaml'), '--url', fake.httpUrl, '--url', fake.wsUrl,
        '-R', 'spec', '-R', `junit:${out}/r.xml`, '-R', `json:${out}/r.json`, '-R', `tap:${out}/r.tap`, '-R', `html:${out}/r.html`]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const warning = /session 4242 \(client main\) may be left on the server: destroy got no answer within \d+ms/;
      assert.equal(run.stdout.match(new RegExp(warning.source, 'g'))?.length, 2, run.stdout);
      assert.match(run.stdout, /2 sessions may be left on the server/);
      assert.match(run.stdout, /2 passing/);
      const json = JSON.parse(readFileSync(`${out}/r.json`, 'utf8')) as { sessionsLeft: number; scenarios: Array<{ status: string; warnings: string[] }> };
      assert.equal(json.sessionsLeft, 2);
      assert.deepEqual(json.scenarios.map((s) => s.status), ['passed', 'passed']);
      for (const s of json.scenarios) assert.match(s.warnings.join(), warning);
      const junit = readFileSync(`${out}/r.xml`, 'utf8');
      assert.equal(junit.match(/<system-err>warning: session 4242/g)?.length, 2, junit);
      assert.match(junit, /<property name="sessions.left" value="2"\/>/);
      assert.doesNotMatch(junit, /<failure|<error/);
      const tap = readFileSync(`${out}/r.tap`, 'utf8');
      assert.equal(tap.match(/^# warning: session 4242 .*may be left/gm)?.length, 2, tap);
      assert.match(tap, /^# warning: 2 sessions may be left on the server/m);
      assert.doesNotMatch(tap, /^not ok/m);
      assert.match(readFileSync(`${out}/r.html`, 'utf8'), warning);
    });

    it('a destroy answered with an error is a warning too, also beside mocha\'s own reporters', async () => {
      await unanswered('status500');
      const run = await runCli(['run', join(leaves.dir, 'leaves.yaml'), '--url', fake.httpUrl, '-R', 'dot']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stderr, /warning: 1 session may be left on the server .*\n {2}session 4242 \(client main\) may be left on the server: destroy failed: HTTP POST .*: HTTP 500/);
    });
  });

  describe('many sessions over HTTP', () => {
    const many = scenarioDir(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s${i}.yaml`, `name: simple ${i}\nsteps:\n  - request: create\n  - request: { janus: ping }\n`])));
    const waits = scenarioDir({ 'w.yaml': 'name: waits for an event\nsteps:\n  - request: create\n  - no_event: {}\n    for: 100ms\n' });
    after(() => [many, waits].forEach((d) => d.remove()));

    // Janus 1.1.2 holds a destroyed session's long-poll 30 s, a connection and a thread each: a
    // session no step asked events of gets no poll, and keep-alive connections are reused.
    it('200 scenarios at --jobs 32 that wait for no event open no long-poll and few connections', async () => {
      fake = await FakeJanus.start();
      const run = await runCli(['run', many.dir, '--url', fake.httpUrl, '--jobs', '32', '-R', 'dot']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const polls = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('maxev')).length;
      assert.equal(polls, 0);
      assert.equal(fake.requests.filter((r) => r.body.includes('"destroy"')).length, 200, 'every session is destroyed');
      assert.ok(fake.connectionsOpened <= 64, `${fake.connectionsOpened} connections for 200 scenarios at --jobs 32`);
      assert.equal(fake.abandoned, 0, 'no exchange was cut off');
    });

    it('the cleanup ends a session\'s long-poll by detaching a handle, instead of cutting it off', async () => {
      const attached = scenarioDir({ 'a.yaml': 'name: attaches and waits\nsteps:\n  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n  - no_event: {}\n    for: 100ms\n' });
      try {
        fake = await FakeJanus.start();
        const run = await runCli(['run', attached.dir, '--url', fake.httpUrl, '--schema', 'off']);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const verbs = fake.requests.filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { janus: string }).janus);
        assert.deepEqual(verbs.slice(-2), ['detach', 'destroy']);
        assert.equal(fake.abandoned, 0, 'no long-poll was cut off');
      } finally {
        attached.remove();
      }
    });

    it('a scenario that waits for events gets its long-poll', async () => {
      fake = await FakeJanus.start();
      const run = await runCli(['run', waits.dir, '--url', fake.httpUrl]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(fake.requests.filter((r) => r.method === 'GET' && /\/janus\/4242\?maxev=/.test(r.path)).length >= 1, true);
    });
  });
});
