import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateScenarios, renderScenario, type TrafficEntry } from '../../src/capture/index.js';
import { loadFiles } from '../../src/compile/load-files.js';

const SID = 4411223344556677;
const ECHO = 7700000000000001;
const VR = 7700000000000002;
const ROOM = 8123456789012;
const FEED = 3344556677889900;

type E = Omit<TrafficEntry, 'api' | 'transport'> & Partial<Pick<TrafficEntry, 'api' | 'transport'>>;
const ws = (e: E): TrafficEntry => ({ api: 'janus', transport: 'ws', ...e });
const out = (connection: string, message: Record<string, unknown>) => ws({ connection, direction: 'request', message });
const back = (connection: string, message: Record<string, unknown>) => ws({ connection, direction: 'reply', message });

/**
 * A janus.js-like session over WebSocket: info, create, two handles, a room Janus numbers, a pin,
 * a keepalive, an unsolicited event, a reconnect that claims the session on a second socket,
 * an Admin API request about it, and the api secret on every request.
 */
const LOG: TrafficEntry[] = [
  out('ws1', { janus: 'info', transaction: 'a1', apisecret: 'TOPSECRET-api' }),
  back('ws1', { janus: 'server_info', transaction: 'a1', name: 'Janus WebRTC Server', version: 1102, version_string: '1.1.2' }),
  out('ws1', { janus: 'create', transaction: 'a2', apisecret: 'TOPSECRET-api' }),
  back('ws1', { janus: 'success', transaction: 'a2', data: { id: SID } }),
  out('ws1', { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: SID, transaction: 'a3', apisecret: 'TOPSECRET-api' }),
  back('ws1', { janus: 'success', session_id: SID, transaction: 'a3', data: { id: ECHO } }),
  out('ws1', { janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: SID, transaction: 'a4', apisecret: 'TOPSECRET-api' }),
  back('ws1', { janus: 'success', session_id: SID, transaction: 'a4', data: { id: VR } }),
  out('ws1', { janus: 'message', session_id: SID, handle_id: VR, transaction: 'a5', apisecret: 'TOPSECRET-api', body: { request: 'create', pin: 'pin-4-room', description: 'demo' } }),
  back('ws1', { janus: 'success', session_id: SID, sender: VR, transaction: 'a5', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'created', room: ROOM, permanent: false } } }),
  out('ws1', { janus: 'keepalive', session_id: SID, transaction: 'ka1', apisecret: 'TOPSECRET-api' }),
  back('ws1', { janus: 'ack', session_id: SID, transaction: 'ka1' }),
  out('ws1', { janus: 'message', session_id: SID, handle_id: VR, transaction: 'a6', apisecret: 'TOPSECRET-api', body: { request: 'join', ptype: 'publisher', room: ROOM, pin: 'pin-4-room', display: 'alice' } }),
  // The event before its ack, as Janus sometimes does.
  back('ws1', { janus: 'event', session_id: SID, sender: VR, transaction: 'a6', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', room: ROOM, id: FEED, private_id: 12345, publishers: [] } } }),
  back('ws1', { janus: 'ack', session_id: SID, transaction: 'a6' }),
  // A message that only got its ack: the replayed step must end at the ack.
  out('ws1', { janus: 'message', session_id: SID, handle_id: ECHO, transaction: 'a7', apisecret: 'TOPSECRET-api', body: { audio: true } }),
  back('ws1', { janus: 'ack', session_id: SID, transaction: 'a7', hint: 'x' }),
  back('ws1', { janus: 'event', session_id: SID, sender: VR, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room: ROOM, publishers: [{ id: 99, display: 'bob' }] } } }),
  // janus.js reconnects: a new socket claims the session, then uses the handles.
  out('ws2', { janus: 'claim', session_id: SID, transaction: 'b1', apisecret: 'TOPSECRET-api' }),
  back('ws2', { janus: 'success', session_id: SID, transaction: 'b1' }),
  out('ws2', { janus: 'message', session_id: SID, handle_id: VR, transaction: 'b2', apisecret: 'TOPSECRET-api', body: { request: 'listparticipants', room: ROOM } }),
  back('ws2', { janus: 'success', session_id: SID, sender: VR, transaction: 'b2', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'participants', room: ROOM, participants: [{ id: FEED }] } } }),
  ws({ connection: 'ws3', api: 'admin', direction: 'request', message: { janus: 'handle_info', session_id: SID, handle_id: ECHO, transaction: 'c1', admin_secret: 'TOPSECRET-admin' } }),
  ws({ connection: 'ws3', api: 'admin', direction: 'reply', message: { janus: 'success', transaction: 'c1', session_id: SID, handle_id: ECHO, info: { plugin: 'janus.plugin.echotest' } } }),
  out('ws2', { janus: 'detach', session_id: SID, handle_id: ECHO, transaction: 'b3', apisecret: 'TOPSECRET-api' }),
  back('ws2', { janus: 'success', session_id: SID, transaction: 'b3' }),
  back('ws2', { janus: 'detached', session_id: SID, sender: ECHO }),
  out('ws2', { janus: 'destroy', session_id: SID, transaction: 'b4', apisecret: 'TOPSECRET-api' }),
  back('ws2', { janus: 'error', session_id: SID, transaction: 'b4', error: { code: 458, reason: `No such session ${SID}` } }),
];

describe('capture: the generator on a fixed traffic log', () => {
  const [generated, ...others] = generateScenarios(LOG);
  const text = renderScenario(generated!.scenario, '../schema/scenario.schema.json');
  const doc = parse(text) as { clients: string[]; secrets: string[]; variables: Record<string, string>; steps: Record<string, unknown>[] };
  const steps = doc.steps;
  const find = (test: (s: Record<string, unknown>) => boolean) => steps.filter(test);

  it('makes one scenario of the session, admin traffic included', () => {
    assert.equal(others.length, 0);
    assert.ok(find((s) => s.admin !== undefined).length === 1);
  });

  it('writes no secret: the run secrets are dropped, the pin becomes a variable from the environment', () => {
    for (const secret of ['TOPSECRET-api', 'TOPSECRET-admin', 'pin-4-room', 'apisecret', 'admin_secret']) assert.ok(!text.includes(secret), `${secret} is written`);
    assert.deepEqual(doc.secrets, ['pin']);
    assert.equal(doc.variables.pin, '${env.CAPTURE_PIN}');
    assert.deepEqual(generated!.environment, ['CAPTURE_PIN']);
  });

  it('leaves out keepalives and what the runner fills in', () => {
    assert.ok(!/keepalive|transaction|"?session_id"?: 44|handle_id: 77/.test(text), text);
  });

  it('names both handles and addresses each step to its own', () => {
    assert.deepEqual(find((s) => s.as !== undefined).map((s) => s.as), ['echotest', 'videoroom']);
    const join = find((s) => String(JSON.stringify(s.request)).includes('"join"'))[0]!;
    assert.equal(join.handle, 'videoroom');
  });

  it('saves the room Janus numbered at its first reply, compares it by type there and uses it after', () => {
    const create = find((s) => String(JSON.stringify(s.request)).includes('"create"') && typeof s.request === 'object')[0]!;
    assert.deepEqual(create.save, { room: 'plugindata.data.room' });
    assert.match(JSON.stringify(create.expect), /"room":"\$integer"/);
    assert.ok(!text.includes(String(ROOM)), 'the room number is written');
    assert.ok(!text.includes(String(FEED)), 'a generated id is written');
    const join = find((s) => String(JSON.stringify(s.request)).includes('"join"'))[0]!;
    assert.deepEqual((join.request as { body: { room: string } }).body.room, '${room}');
    assert.match(JSON.stringify(join.expect), /"videoroom":"joined","room":"\$\{room\}","id":"\$integer","private_id":"\$integer"/);
  });

  it('ends a plugin message at its event when one came, at the ack when only the ack came', () => {
    const join = find((s) => String(JSON.stringify(s.request)).includes('"join"'))[0]!;
    assert.equal((join.expect as { janus: string }).janus, 'event');
    const audio = find((s) => String(JSON.stringify(s.request)).includes('"audio"'))[0]!;
    assert.deepEqual(audio.expect, { janus: 'ack' });
  });

  it('turns unsolicited events into waits in arrival order, without the fields every message has', () => {
    const waits = find((s) => s.wait !== undefined);
    assert.deepEqual(waits.map((w) => (w.wait as { janus: string }).janus), ['event', 'detached']);
    assert.deepEqual(waits[0]!.wait, { janus: 'event', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room: '${room}' } } });
    assert.equal(waits[0]!.handle, 'videoroom');
  });

  it('makes the claiming connection a second client that addresses the first one\'s session and handles', () => {
    assert.deepEqual(doc.clients, ['main', 'reconnected']);
    const claim = find((s) => String(JSON.stringify(s.request)).includes('claim'))[0]!;
    assert.equal(claim.client, 'reconnected');
    assert.deepEqual(claim.request, { janus: 'claim', session_id: '${main.session}' });
    const list = find((s) => String(JSON.stringify(s.request)).includes('listparticipants'))[0]!;
    assert.deepEqual(list.request, { janus: 'message', session_id: '${main.session}', handle_id: '${main.handles.videoroom}', body: { request: 'listparticipants', room: '${room}' } });
    const destroy = find((s) => s.request === 'destroy' || String(JSON.stringify(s.request)).includes('"destroy"'))[0]!;
    assert.deepEqual(destroy.expect, { janus: 'error', error: { code: 458, reason: 'No such session ${main.session}' } });
  });

  it('loads without errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jstest-capture-'));
    const saved = process.env.CAPTURE_PIN;
    try {
      process.env.CAPTURE_PIN = 'x';
      writeFileSync(join(dir, 'captured.yaml'), text);
      const { diagnostics } = loadFiles([join(dir, 'captured.yaml')]);
      assert.deepEqual(diagnostics.map((d) => d.message), []);
    } finally {
      if (saved === undefined) delete process.env.CAPTURE_PIN;
      else process.env.CAPTURE_PIN = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('capture: the generator on HTTP traffic', () => {
  const http = (direction: 'request' | 'reply', message: Record<string, unknown>, path: TrafficEntry['path'], answers?: Record<string, unknown>): TrafficEntry => ({ connection: 'http', api: 'janus', transport: 'http', direction, message, path, ...(answers && { answers }) });
  const create = { janus: 'create', transaction: 'h1' };
  const claim = { janus: 'claim', session_id: SID, transaction: 'h2' };
  const message = { janus: 'message', transaction: 'h3', body: { audio: true } };
  const log: TrafficEntry[] = [
    http('request', create, {}),
    http('reply', { janus: 'success', transaction: 'h1', data: { id: SID } }, {}, create),
    http('request', claim, {}),
    http('reply', { janus: 'success', session_id: SID, transaction: 'h2' }, {}, claim),
    http('request', message, { session: SID, handle: ECHO }),
    http('reply', { janus: 'ack', session_id: SID, transaction: 'h3' }, { session: SID, handle: ECHO }, message),
    // The long-poll brings the plugin's event on the request's transaction, and a keepalive of Janus's own.
    http('reply', { janus: 'keepalive' }, { session: SID }),
    http('reply', { janus: 'event', session_id: SID, sender: ECHO, transaction: 'h3', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } }, { session: SID }),
  ];
  const steps = (parse(renderScenario(generateScenarios(log)[0]!.scenario, 'x')) as { steps: Record<string, unknown>[] }).steps;

  it('keeps a request posted to another level than its verb\'s with at:, its session id in the body', () => {
    assert.deepEqual(steps[1], { at: 'root', request: { janus: 'claim', session_id: '${session}' }, expect: { janus: 'success' } });
  });

  it('ends a message at the event the long-poll brought on its transaction; the long-poll keepalive is left out', () => {
    assert.equal(steps.length, 3);
    assert.equal((steps[2]!.expect as { janus: string }).janus, 'event');
    assert.ok(!JSON.stringify(steps).includes('keepalive'));
  });
});

describe('capture: the generator on teardown that races the replay', () => {
  const DETACH_TX = 'd1';
  const log = (detachReply: Record<string, unknown>): TrafficEntry[] => [
    out('ws1', { janus: 'create', transaction: 't1' }),
    back('ws1', { janus: 'success', transaction: 't1', data: { id: SID } }),
    out('ws1', { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: SID, transaction: 't2' }),
    back('ws1', { janus: 'success', session_id: SID, transaction: 't2', data: { id: ECHO } }),
    out('ws1', { janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: SID, transaction: 't3' }),
    back('ws1', { janus: 'success', session_id: SID, transaction: 't3', data: { id: VR } }),
    // janus.js over WebSocket: detach, then destroy at once, without waiting.
    out('ws1', { janus: 'detach', session_id: SID, handle_id: ECHO, transaction: DETACH_TX }),
    back('ws1', { ...detachReply, session_id: SID, transaction: DETACH_TX }),
    // What EchoTest's hangup sends while the handle goes: delivered or dropped depending on timing.
    back('ws1', { janus: 'event', session_id: SID, sender: ECHO, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'done' } } }),
    back('ws1', { janus: 'detached', session_id: SID, sender: ECHO }),
    out('ws1', { janus: 'destroy', session_id: SID, transaction: 't5' }),
    back('ws1', { janus: 'detached', session_id: SID, sender: VR }),
    back('ws1', { janus: 'success', session_id: SID, transaction: 't5' }),
    back('ws1', { janus: 'event', session_id: SID, sender: VR, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', leaving: 1 } } }),
  ];
  const waits = (entries: TrafficEntry[]) => (parse(renderScenario(generateScenarios(entries)[0]!.scenario, 'x')) as { steps: Record<string, unknown>[] }).steps.filter((s) => s.wait !== undefined).map((s) => s.wait);

  it('keeps the detached handle\'s own detached, leaves out its other events and everything after the destroy', () => {
    assert.deepEqual(waits(log({ janus: 'success' })), [{ janus: 'detached' }]);
  });

  it('keeps the events of a handle whose detach failed', () => {
    const kept = waits(log({ janus: 'error', error: { code: 457, reason: 'No such handle' } }));
    assert.deepEqual(kept, [{ janus: 'event', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'done' } } }, { janus: 'detached' }]);
  });
});

describe('capture: an app that closed its socket and claimed the session on a new one', () => {
  const close = (connection: string, by: 'client' | 'server', code: number, reason?: string): TrafficEntry =>
    ws({ connection, direction: 'close', message: {}, close: { by, code, ...(reason && { reason }) } });
  const reconnecting = (closing: TrafficEntry): TrafficEntry[] => [
    out('ws1', { janus: 'create', transaction: 'a1' }),
    back('ws1', { janus: 'success', transaction: 'a1', data: { id: SID } }),
    out('ws1', { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: SID, transaction: 'a2' }),
    back('ws1', { janus: 'success', session_id: SID, transaction: 'a2', data: { id: ECHO } }),
    closing,
    out('ws2', { janus: 'claim', session_id: SID, transaction: 'b1' }),
    back('ws2', { janus: 'success', session_id: SID, transaction: 'b1' }),
    out('ws2', { janus: 'message', session_id: SID, handle_id: ECHO, transaction: 'b2', body: { audio: true } }),
    back('ws2', { janus: 'ack', session_id: SID, transaction: 'b2' }),
    back('ws2', { janus: 'event', session_id: SID, sender: ECHO, transaction: 'b2', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } }),
    out('ws2', { janus: 'destroy', session_id: SID, transaction: 'b3' }),
    back('ws2', { janus: 'success', session_id: SID, transaction: 'b3' }),
  ];
  const generate = (log: TrafficEntry[]) => parse(renderScenario(generateScenarios(log)[0]!.scenario, 'x')) as { clients?: unknown; requires?: { transports?: string[] }; steps: Record<string, unknown>[] };

  it('writes close (with the code the app sent), reopen and the claim on the same client, not a second client', () => {
    const doc = generate(reconnecting(close('ws1', 'client', 3504, 'Gateway timeout')));
    assert.equal(doc.clients, undefined);
    assert.deepEqual(doc.requires, { transports: ['ws'] });
    assert.deepEqual(doc.steps.slice(2, 5), [{ close: { code: 3504, reason: 'Gateway timeout' } }, { reopen: true }, { request: 'claim', expect: { janus: 'success' } }]);
    assert.ok(doc.steps.every((s) => s.client === undefined), 'one client, no client keys');
    assert.ok(!JSON.stringify(doc.steps).includes('main.'), 'the handle and session are the client\'s own');
  });

  it('writes close: true when the code cannot be sent by a client (the server closed, or 1006)', () => {
    for (const closing of [close('ws1', 'server', 1011, 'internal'), close('ws1', 'client', 1006)]) {
      const doc = generate(reconnecting(closing));
      assert.deepEqual(doc.steps[2], { close: true });
      assert.equal(doc.requires, undefined);
    }
  });

  it('keeps a second client when the first connection was still open at the claim', () => {
    const log = reconnecting(close('ws1', 'client', 1000));
    const claimAt = log.findIndex((e) => e.message.janus === 'claim');
    const [closing] = log.splice(4, 1);
    log.splice(claimAt + 1, 0, closing!);
    const doc = generate(log);
    assert.deepEqual(doc.clients, ['main', 'reconnected']);
    assert.ok(!doc.steps.some((s) => 'close' in s || 'reopen' in s));
  });

  it('loads without errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jstest-capture-'));
    try {
      writeFileSync(join(dir, 'captured.yaml'), renderScenario(generateScenarios(reconnecting(close('ws1', 'client', 3504)))[0]!.scenario, 'x'));
      assert.deepEqual(loadFiles([join(dir, 'captured.yaml')]).diagnostics.map((d) => d.message), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('capture: requests the app sent without waiting for the previous reply', () => {
  const opening: TrafficEntry[] = [
    out('ws1', { janus: 'create', transaction: 'c1' }),
    back('ws1', { janus: 'success', transaction: 'c1', data: { id: SID } }),
    out('ws1', { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: SID, transaction: 'c2' }),
    back('ws1', { janus: 'success', session_id: SID, transaction: 'c2', data: { id: ECHO } }),
  ];
  const detach = out('ws1', { janus: 'detach', session_id: SID, handle_id: ECHO, transaction: 'd1' });
  const detached = back('ws1', { janus: 'success', session_id: SID, transaction: 'd1' });
  const detachedEvent = back('ws1', { janus: 'detached', session_id: SID, sender: ECHO });
  const destroy = out('ws1', { janus: 'destroy', session_id: SID, transaction: 'd2' });
  const destroyed = back('ws1', { janus: 'success', session_id: SID, transaction: 'd2' });
  const render = (log: TrafficEntry[]) => renderScenario(generateScenarios(log)[0]!.scenario, 'x');
  const stepsOf = (log: TrafficEntry[]) => (parse(render(log)) as { steps: Record<string, unknown>[] }).steps;
  const diagnostics = (text: string): string[] => {
    const dir = mkdtempSync(join(tmpdir(), 'jstest-capture-'));
    try {
      writeFileSync(join(dir, 'captured.yaml'), text);
      return loadFiles([join(dir, 'captured.yaml')]).diagnostics.map((d) => d.message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('writes a detach and a destroy sent back to back (janus.js over WebSocket) as one concurrently step with two requests', () => {
    const log = [...opening, detach, destroy, detached, detachedEvent, destroyed];
    const steps = stepsOf(log);
    assert.deepEqual(steps.slice(2), [{ concurrently: [{ request: 'detach', expect: { janus: 'success' } }, { request: 'destroy', expect: { janus: 'success' } }] }]);
    assert.match(render(log), /\n {2}- concurrently:\n {6}- request: detach\n {8}expect: \{ janus: success \}\n {6}- request: destroy\n/);
    assert.deepEqual(diagnostics(render(log)), []);
  });

  it('groups them when the reply passed the relay first but the app\'s pong to the ping ahead of it came after the destroy', () => {
    const crossing = [...opening, detach, { ...detached, delivered: opening.length + 3 }, destroy, { ...destroyed, delivered: opening.length + 4 }];
    assert.equal(stepsOf(crossing)[2]!.concurrently !== undefined, true);
    // The detached that passed the relay before the destroy races it in the replay: no wait for it.
    const withEvent = [...opening, detach, { ...detached, delivered: opening.length + 4 }, detachedEvent, destroy, destroyed];
    assert.deepEqual(stepsOf(withEvent).slice(2), [{ concurrently: [{ request: 'detach', expect: { janus: 'success' } }, { request: 'destroy', expect: { janus: 'success' } }] }]);
    const waited = [...opening, detach, { ...detached, delivered: opening.length + 2 }, destroy, { ...destroyed, delivered: opening.length + 4 }];
    assert.equal(stepsOf(waited)[2]!.concurrently, undefined);
  });

  it('keeps the requests sequential when each was sent after the previous one\'s reply', () => {
    const steps = stepsOf([...opening, detach, detached, destroy, destroyed]);
    assert.deepEqual(steps.slice(2), [{ request: 'detach', expect: { janus: 'success' } }, { request: 'destroy', expect: { janus: 'success' } }]);
  });

  const message = (transaction: string, body: Record<string, unknown>) => out('ws1', { janus: 'message', session_id: SID, handle_id: ECHO, transaction, body });
  const ack = (transaction: string) => back('ws1', { janus: 'ack', session_id: SID, transaction });
  const event = (transaction: string) => back('ws1', { janus: 'event', session_id: SID, sender: ECHO, transaction, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } });

  it('groups a message sent after the previous one\'s ack but before the event its step waits for', () => {
    const steps = stepsOf([...opening, message('m1', { audio: true }), ack('m1'), message('m2', { video: true }), ack('m2'), event('m1'), event('m2')]);
    assert.equal(steps.length, 3);
    assert.deepEqual((steps[2]!.concurrently as Record<string, unknown>[]).map((s) => (s.expect as { janus: string }).janus), ['event', 'event']);
  });

  it('moves an event that arrived between the grouped requests to a wait after the group', () => {
    const unsolicited = back('ws1', { janus: 'event', session_id: SID, sender: ECHO, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'slow' } } });
    const steps = stepsOf([...opening, message('m1', { audio: true }), ack('m1'), unsolicited, message('m2', { video: true }), ack('m2'), event('m1'), event('m2')]);
    assert.deepEqual(steps.map((s) => Object.keys(s).find((k) => k !== 'expect' && k !== 'as')), ['request', 'request', 'concurrently', 'wait']);
    assert.deepEqual((steps[2]!.concurrently as Array<{ request: { body: unknown } }>).map((s) => s.request.body), [{ audio: true }, { video: true }]);
    assert.deepEqual(steps[3], { wait: { janus: 'event', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'slow' } } } });
  });

  it('keeps a message sent after the ack its step ends at sequential (no event came)', () => {
    const steps = stepsOf([...opening, message('m1', { audio: true }), ack('m1'), message('m2', { video: true }), ack('m2')]);
    assert.ok(steps.every((s) => s.concurrently === undefined), JSON.stringify(steps));
    assert.equal(steps.length, 4);
  });

  it('does not group requests of two different connections', () => {
    const log = [...opening,
      out('ws2', { janus: 'claim', session_id: SID, transaction: 'k1' }),
      back('ws2', { janus: 'success', session_id: SID, transaction: 'k1' }),
      detach,
      out('ws2', { janus: 'destroy', session_id: SID, transaction: 'd2' }),
      detached,
      back('ws2', { janus: 'success', session_id: SID, transaction: 'd2' })];
    const steps = stepsOf(log);
    assert.ok(steps.every((s) => s.concurrently === undefined), JSON.stringify(steps));
    assert.deepEqual(diagnostics(render(log)), []);
  });

  // A videoroom create and a join that uses the room the create's reply numbered, the join sent first.
  const VR_ROOM = 9911223344;
  const vr = (transaction: string, body: Record<string, unknown>) => out('ws1', { janus: 'message', session_id: SID, handle_id: ECHO, transaction, body });
  const dependent: TrafficEntry[] = [
    ...opening,
    vr('v1', { request: 'create', description: 'x' }),
    vr('v2', { request: 'join', ptype: 'publisher', room: VR_ROOM }),
    back('ws1', { janus: 'success', session_id: SID, sender: ECHO, transaction: 'v1', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'created', room: VR_ROOM } } }),
    back('ws1', { janus: 'event', session_id: SID, sender: ECHO, transaction: 'v2', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', room: VR_ROOM } } }),
  ];

  it('keeps a group sequential when the second request uses a value the first one saves', () => {
    const text = render(dependent);
    const steps = stepsOf(dependent);
    assert.ok(steps.every((s) => s.concurrently === undefined), text);
    assert.deepEqual(steps[2]!.save, { room: 'plugindata.data.room' });
    assert.equal((steps[3]!.request as { body: { room: string } }).body.room, '${room}');
    assert.deepEqual(diagnostics(text), []);
  });

  it('(the load check above can fail: the same two requests as one concurrently step are refused)', () => {
    const doc = parse(render(dependent)) as { steps: Record<string, unknown>[] };
    doc.steps.splice(2, 2, { concurrently: doc.steps.slice(2, 4) });
    const refused = diagnostics(renderScenario(doc as unknown as Record<string, unknown>, 'x'));
    assert.ok(refused.some((m) => /room/.test(m)), refused.join('\n'));
  });

  it('keeps a request sequential when it goes to the handle an earlier request of the group attached', () => {
    const log = [
      out('ws1', { janus: 'create', transaction: 'c1' }),
      back('ws1', { janus: 'success', transaction: 'c1', data: { id: SID } }),
      out('ws1', { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: SID, transaction: 'c2' }),
      message('m1', { audio: true }),
      back('ws1', { janus: 'success', session_id: SID, transaction: 'c2', data: { id: ECHO } }),
      ack('m1'),
      event('m1'),
    ];
    assert.ok(stepsOf(log).every((s) => s.concurrently === undefined), render(log));
  });
});
