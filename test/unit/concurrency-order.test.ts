import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadFiles, type LoadResult } from '../../src/compile/load-files.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import { Arrivals } from '../../src/janus/arrivals.js';
import type { JanusClient, RequestOutcome } from '../../src/janus/client.js';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import { stepContext } from '../support/step-context.js';
import { everyStep, StepFailure, type StepContext } from '../../src/steps/contract.js';
import { checkOrder } from '../../src/steps/order.js';
import { CLI } from '../support/cli.js';

const ROOT = new URL('../../../', import.meta.url);

describe('order: which messages came first (checkOrder)', function () {
  const received: JanusMessage[] = [
    { janus: 'success', transaction: 'create' },
    { janus: 'event', transaction: 'm1' },
    { janus: 'ack', transaction: 'm1' },
    { janus: 'ack', transaction: 'm2' },
    { janus: 'event', transaction: 'm2' },
  ];
  /** Each pattern is a predicate on the message here: `janus` and `transaction` must be equal. */
  const check = (...patterns: Array<Partial<JanusMessage>>) =>
    checkOrder(patterns.length, received, (i, msg) => Object.entries(patterns[i]!).every(([k, v]) => msg[k] === v));

  it('passes when each message came after the one before it, and says where each was', function () {
    assert.deepEqual(check({ janus: 'event', transaction: 'm1' }, { janus: 'ack', transaction: 'm2' }, { janus: 'event', transaction: 'm2' }), { ok: true, positions: [2, 4, 5] });
  });

  it('fails when the order is the other way round (built to fail: the event came before its ack)', function () {
    assert.deepEqual(check({ janus: 'ack', transaction: 'm1' }, { janus: 'event', transaction: 'm1' }), { ok: false, problem: 'order', earlier: 0, later: 1, positions: [3, 2] });
  });

  it('fails on the first pair out of order, also in the middle of a longer list', function () {
    const v = check({ janus: 'success' }, { janus: 'event', transaction: 'm2' }, { janus: 'ack', transaction: 'm2' });
    assert.deepEqual(v, { ok: false, problem: 'order', earlier: 1, later: 2, positions: [1, 5, 4] });
  });

  it('fails when a message never came, whatever the order of the others', function () {
    assert.deepEqual(check({ janus: 'ack', transaction: 'm1' }, { janus: 'detached' }), { ok: false, problem: 'absent', pattern: 1 });
    assert.deepEqual(check({ janus: 'hangup' }, { janus: 'ack', transaction: 'm1' }), { ok: false, problem: 'absent', pattern: 0 });
    assert.deepEqual(checkOrder(2, [], () => true), { ok: false, problem: 'absent', pattern: 0 });
  });

  it('fails when a pattern matches several messages: which one would count?', function () {
    // Both acks match {janus: ack}: even though m1's ack came before the m2 event, no pass.
    assert.deepEqual(check({ janus: 'ack' }, { janus: 'event', transaction: 'm2' }), { ok: false, problem: 'ambiguous', pattern: 0, positions: [3, 4] });
  });

  it('fails when two patterns name the same message', function () {
    assert.deepEqual(check({ janus: 'event', transaction: 'm1' }, { transaction: 'm1', janus: 'event' }), { ok: false, problem: 'order', earlier: 0, later: 1, positions: [2, 2] });
  });

  it('fails naming the two patterns of the same message when others stand between them, not the order of those', function () {
    const v = check({ janus: 'success' }, { janus: 'event', transaction: 'm1' }, { transaction: 'create' });
    assert.deepEqual(v, { ok: false, problem: 'order', earlier: 0, later: 2, positions: [1, 2, 1] });
  });
});

describe('Arrivals: waiting for messages still to come', function () {
  it('resolves once the condition holds, false at the time limit, and rejects when the condition throws', async function () {
    const log = new Arrivals();
    const waiting = log.until((all) => all.some((m) => m.janus === 'detached'), 60_000);
    log.record({ janus: 'success' });
    log.record({ janus: 'detached' });
    assert.equal(await waiting, true);
    assert.equal(await log.until((all) => all.length > 5, 1), false);
    const boom = new Error('no value');
    await assert.rejects(log.until(() => {
      throw boom;
    }, 60_000), (e: unknown) => e === boom);
    assert.deepEqual(log.messages.map((m) => m.janus), ['success', 'detached']);
  });
});

describe('order: a pattern must name one message among all the steps saw', function () {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'order-end-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  /**
   * `{ janus: event }` matched one event when the step ran, and a second came after it: on a
   * WebSocket the second was often there already (the step failed), over an HTTP long-poll not
   * yet (it passed). The pattern is asked again at the end of the steps, with the values it had.
   */
  it('a pattern a message received after the step also matches fails the step at the end of the steps, whatever the timing', async function () {
    writeFileSync(join(tmp, 's.yaml'), 'name: x\nvariables: { t: a1 }\nsteps:\n  - request: ping\n  - order:\n      - { janus: ack, transaction: "${t}" }\n      - { janus: event }\n  - request: info\n    save: { t: transaction }\n');
    const r = loadFiles([join(tmp, 's.yaml')], { cwd: tmp, env: {}, knownSchema: () => false });
    assert.deepEqual(r.diagnostics, []);
    const s = r.scenarios[0]!;
    const arrivals = new Arrivals();
    arrivals.record({ janus: 'ack', transaction: 'a1' });
    arrivals.record({ janus: 'event', transaction: 'a1' });
    const { ctx, values } = stepContext(s, { fault: undefined, arrivals } as unknown as JanusClient);
    values.saved.set('t', 'a1');
    const atEnd: Array<() => void> = [];
    ctx.afterSteps = (check) => atEnd.push(check);
    await s.steps[1]!.execute(ctx);
    assert.equal(atEnd.length, 1, 'the step leaves a check for the end of the steps');
    // A later step saved t again: the check still reads the value the step read.
    values.saved.set('t', 'other');
    arrivals.record({ janus: 'ack', transaction: 'other' });
    atEnd[0]!();
    arrivals.record({ janus: 'event', transaction: 'a2' });
    assert.throws(() => atEnd[0]!(), (e: unknown) => e instanceof StepFailure && /pattern 2 \(line 7\) matches 2 messages main received \(#2, #4\) by the end of the steps/.test(e.summary));
  });
});

let dir: string;
function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}
function load(name: string): LoadResult {
  return loadFiles([join(dir, name)], { cwd: dir, env: {}, knownSchema: () => false });
}
function loadOne(text: string): CompiledScenario {
  write({ 's.yaml': text });
  const r = load('s.yaml');
  assert.deepEqual(r.diagnostics, []);
  return r.scenarios[0]!;
}
/** The diagnostics of one file, as `line:col message`. */
function problems(text: string): string[] {
  write({ 'bad.yaml': text });
  const r = load('bad.yaml');
  assert.equal(r.scenarios.length, 0, 'a file with a problem yields no scenario');
  return r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
}

describe('concurrently and order at load time', function () {
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'conc-order-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const HEAD = 'name: x\nsteps:\n  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n';

  it('loads requests on several clients and handles, and what they save is usable after the step', function () {
    const s = loadOne(`name: x
clients: [alice, bob]
steps:
  - { client: alice, request: create }
  - { client: bob, request: create }
  - concurrently:
      - { client: alice, request: { janus: attach, plugin: janus.plugin.echotest }, as: a, save: { ha: data.id } }
      - { client: bob, request: { janus: attach, plugin: janus.plugin.echotest }, as: b }
      - { client: bob, admin: list_sessions }
  - { client: alice, handle: a, request: { janus: message, body: { audio: true } }, expect: { sender: "\${ha}" } }
  - order:
      - { janus: success, transaction: "\${last.transaction}" }
      - { janus: event, sender: "\${alice.handles.a}" }
`);
    const step = s.steps[2]!;
    assert.equal(step.kind, 'concurrently');
    assert.deepEqual(step.inner!.map((i) => `${i.kind} ${i.client} ${i.span.line}`), ['request alice 7', 'request bob 8', 'admin bob 9']);
    assert.ok(everyStep(s.steps).some((i) => i.kind === 'admin'), 'an admin step inside is seen by whoever looks for one');
    assert.deepEqual(s.requires.plugins, ['janus.plugin.echotest'], 'an attach inside counts for requires.plugins');
    assert.equal(s.steps[4]!.kind, 'order');
  });

  it('refuses a step that cannot be sent together (wait), at its key, with where it goes instead', function () {
    const [p, ...rest] = problems(`${HEAD}  - concurrently:\n      - request: detach\n      - wait: { janus: detached }\n`);
    assert.equal(p, '7:9 a wait step cannot be inside concurrently: it holds request, admin, raw steps, whose requests are sent together');
    assert.deepEqual(rest, []);
  });

  it('checks each inner step against its own kind: an unknown key names its place', function () {
    assert.deepEqual(problems(`${HEAD}  - concurrently:\n      - request: detach\n        expct: { janus: success }\n      - request: destroy\n`), [
      '7:9 unknown key "expct" in a request step; expected one of request, name, client, handle, at, expect, exact, save, timeout, as, janus, known_bug',
    ]);
  });

  it('needs two requests or more, and an order two patterns or more', function () {
    assert.deepEqual(problems(`${HEAD}  - concurrently:\n      - request: detach\n`), ['6:7 "concurrently" needs at least 2 items']);
    assert.deepEqual(problems(`${HEAD}  - order:\n      - { janus: ack }\n`), ['6:7 "order" needs at least 2 items']);
    assert.deepEqual(problems(`${HEAD}  - order: [{ janus: ack }, { janus: event }]\n    within: soon\n`), ['6:13 "within" should be a duration like 500ms, 2s or 1m (or a number of milliseconds); got "soon"']);
  });

  it('refuses a value or a handle name that a sibling saves: they are sent before any reply', function () {
    const saved = problems(`${HEAD}  - concurrently:\n      - { request: { janus: attach, plugin: janus.plugin.echotest }, save: { h2: data.id } }\n      - { request: { janus: message, handle_id: "\${h2}", body: {} } }\n`);
    assert.equal(saved.length, 1);
    assert.equal(saved[0], '7:50 ${h2} is saved by a request sent at the same time (in the same concurrently step): it has a value only after that step');
    const named = problems(`${HEAD}  - concurrently:\n      - { request: { janus: attach, plugin: janus.plugin.echotest }, as: two }\n      - { request: { janus: message, body: {} }, handle: two }\n`);
    assert.deepEqual(named, ['7:58 no handle named "two" for client main: name one with `as: two` on an attach step first']);
  });

  it('puts janus: and known_bug: on the concurrently step, not inside it', function () {
    assert.deepEqual(problems(`${HEAD}  - concurrently:\n      - { request: detach, janus: ">=1.3.0" }\n      - request: destroy\n`), [
      '6:35 `janus:` goes on the concurrently step, not on a step inside it: the requests are sent together or not at all',
    ]);
  });

  it('refuses a reserved name saved inside, and an unknown client', function () {
    const p = problems(`${HEAD}  - concurrently:\n      - { request: keepalive, save: { session: session_id } }\n      - { request: info, client: bob }\n`);
    assert.equal(p.length, 2);
    assert.match(p[0]!, /^6:39 "session" cannot be a saved value's name/);
    assert.match(p[1]!, /^7:34 unknown client "bob"/);
  });

  it('checks the steps inside a concurrently step of a fragment, where the fragment is written', function () {
    write({
      'f.fragment.yaml': 'params: { verb: detach }\nsteps:\n  - concurrently:\n      - request: "${verb}"\n      - no_event: {}\n        for: 1s\n',
      'uses.yaml': `${HEAD}  - include: f.fragment.yaml\n`,
    });
    const r = load('uses.yaml');
    assert.deepEqual(r.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.message}`), [
      'f.fragment.yaml:5:9 a no_event step cannot be inside concurrently: it holds request, admin, raw steps, whose requests are sent together',
    ]);
    assert.equal(r.diagnostics[0]!.hint, 'put it after the concurrently step: events that arrived meanwhile are kept in the mailbox; included at uses.yaml:5:14');
  });

  it('the CLI says file:line:col and exits 2 before any network I/O', function () {
    write({ 'bad.yaml': `${HEAD}  - concurrently:\n      - request: detach\n      - sleep: 1s\n` });
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, [CLI, 'run', join(dir, 'bad.yaml'), '--url', 'http://127.0.0.1:9/janus'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      ({ status: code } = e as { status: number });
      out = String((e as { stderr: string }).stderr);
    }
    assert.equal(code, 2);
    assert.match(out, /a sleep step cannot be inside concurrently/);
    assert.match(out, /bad\.yaml:7:9/);
  });
});

describe('the editor schema: concurrently and order', function () {
  const schema = JSON.parse(readFileSync(new URL('schema/scenario.schema.json', ROOT), 'utf8')) as { $defs: { step: { oneOf: Array<{ properties: Record<string, { description?: string; items?: unknown }> }> } } };
  const kind = (key: string) => schema.$defs.step.oneOf.find((k) => Object.hasOwn(k.properties, key) && (k as { required?: string[] }).required?.includes(key))!;

  it('describes both kinds, and completes the steps inside concurrently as request, admin and raw steps only', function () {
    assert.match(kind('concurrently').properties.concurrently!.description!, /without waiting/);
    assert.match(kind('order').properties.order!.description!, /in the order they must have arrived/);
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    const scenario = (steps: unknown[]) => ({ name: 'x', steps });
    assert.ok(validate(scenario([{ concurrently: [{ request: 'detach' }, { admin: 'list_sessions' }, { raw: '{}' }] }])), JSON.stringify(validate.errors));
    assert.ok(!validate(scenario([{ concurrently: [{ request: 'detach' }, { wait: { janus: 'detached' } }] }])), 'a wait inside is refused');
    assert.ok(!validate(scenario([{ concurrently: [{ request: 'detach', expct: {} }, { request: 'destroy' }] }])), 'an unknown inner key is refused');
    assert.ok(validate(scenario([{ order: [{ janus: 'ack' }, { janus: 'event' }], within: '2s' }])), JSON.stringify(validate.errors));
    assert.ok(!validate(scenario([{ order: [{ janus: 'ack' }] }])), 'one pattern is no order');
  });
});

describe('concurrently and order at run time (a scripted client)', function () {
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'conc-order-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A client that holds every reply until `expected` requests were sent, then answers them in
   * reverse order; a runner that waited for each reply before sending the next would only see
   * the time limit. Replies: `success` echoing the transaction, or what `answer` says.
   */
  function scripted(expected: number, answer: (payload: JanusMessage) => JanusMessage = (p) => ({ janus: 'success', transaction: p.transaction })) {
    const sent: JanusMessage[] = [];
    const held: Array<() => void> = [];
    const arrivals = new Arrivals();
    const client = {
      fault: undefined,
      arrivals,
      mailbox: { take: async () => undefined, leftovers: () => [] },
      request(payload: JanusMessage, _route: Route, _until: string, timeoutMs: number): Promise<RequestOutcome> {
        sent.push(payload);
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve({ timedOut: true }), Math.min(timeoutMs, 2000));
          held.push(() => {
            clearTimeout(timer);
            const reply = answer(payload);
            arrivals.record(reply);
            resolve({ exchange: { transaction: payload.transaction as string, reply } });
          });
          if (sent.length === expected) for (const release of held.splice(0).reverse()) release();
        });
      },
    } as unknown as JanusClient;
    return { sent, client, arrivals };
  }

  function context(scenario: CompiledScenario, client: JanusClient): StepContext {
    return { ...stepContext(scenario, client, { transport: 'ws', actor: { sessionId: 42, handleId: 7 } }).ctx, stepTimeoutMs: 5000 };
  }

  const DETACH_DESTROY = `name: x
steps:
  - concurrently:
      - request: detach
        expect: { janus: success, transaction: "\${transaction}" }
        save: { d: transaction }
      - request: destroy
        expect: { janus: success, transaction: "\${transaction}" }
        save: { x: transaction }
`;

  it('puts every request on the wire before any reply, then checks each against its own expect', async function () {
    const scenario = loadOne(DETACH_DESTROY);
    const { sent, client } = scripted(2);
    const saved = new Map<string, unknown>();
    const ctx = { ...context(scenario, client), save: (name: string, value: unknown) => saved.set(name, value) };
    await scenario.steps[0]!.execute(ctx);
    assert.deepEqual(sent.map((m) => `${m.janus} ${m.transaction}`), ['detach tx-1', 'destroy tx-2']);
    // Each expect saw its own reply's transaction, although the replies came the other way round.
    assert.deepEqual(Object.fromEntries(saved), { d: 'tx-1', x: 'tx-2' });
  });

  it('fails at the inner step whose reply did not match, after every reply came', async function () {
    const scenario = loadOne(DETACH_DESTROY);
    const { sent, client } = scripted(2, (p) => (p.janus === 'destroy' ? { janus: 'error', transaction: p.transaction, error: { code: 458 } } : { janus: 'success', transaction: p.transaction }));
    const failure = await scenario.steps[0]!.execute(context(scenario, client)).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof StepFailure, String(failure));
    assert.equal(failure.summary, 'the reply to main destroy did not match');
    assert.deepEqual({ line: failure.details.span?.line, col: failure.details.span?.col, title: failure.details.stepTitle }, { line: 7, col: 9, title: 'main destroy' });
    assert.equal(sent.length, 2);
  });

  it('a request that cannot be sent fails at its own line; the others are still sent and answered', async function () {
    const scenario = loadOne('name: x\nsteps:\n  - concurrently:\n      - request: info\n        save: { got: janus }\n      - request: keepalive\n');
    const { sent, client } = scripted(1);
    const saved = new Map<string, unknown>();
    const ctx = { ...stepContext(scenario, client, { transport: 'ws' }).ctx, save: (name: string, value: unknown) => saved.set(name, value) };
    const failure = await scenario.steps[0]!.execute(ctx).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof StepFailure, String(failure));
    assert.match(failure.summary, /client main has no session yet/);
    assert.equal(failure.details.span?.line, 6);
    assert.deepEqual(sent.map((m) => m.janus), ['info']);
    assert.deepEqual(Object.fromEntries(saved), { got: 'success' }, 'the request that was sent was finished');
  });

  it('an order step fails on the wrong order and on an absent message, and passes on the right one', async function () {
    const scenario = loadOne(`${DETACH_DESTROY}  - order:
      - { janus: success, transaction: "\${x}" }
      - { janus: success, transaction: "\${d}" }
  - order:
      - { janus: success, transaction: "\${d}" }
      - { janus: success, transaction: "\${x}" }
  - order:
      - { janus: success, transaction: "\${x}" }
      - { janus: detached }
    within: 10ms
`);
    const { client } = scripted(2);
    const ctx = context(scenario, client);
    await scenario.steps[0]!.execute(ctx);
    // The scripted client answered destroy first: that order passes, the other fails.
    await scenario.steps[1]!.execute(ctx);
    await assert.rejects(scenario.steps[2]!.execute(ctx), (e: unknown) => e instanceof StepFailure && /main received the message of pattern 2 \(line 15\) as #1, before the message of pattern 1 \(line 14\), received as #2/.test(e.summary));
    await assert.rejects(scenario.steps[3]!.execute(ctx), (e: unknown) => e instanceof StepFailure && /received no message matching pattern 2 \(line 18\) within 10ms/.test(e.summary));
  });
});
