import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIA_STEP_TIMEOUT_MS, type PeerCommand, type PeerHost } from '../../src/media/contract.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';

/**
 * What a scenario run does with its WebRTC peers: when they die (their process crashed) it ends
 * at once, whatever step it is in, and fails with the reason the host gives, never a pass or a
 * timeout of a later wait; and its waits on media get the time media needs.
 */
describe('a media scenario and its peers', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-peers-lost-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A host whose peers die right after the first offer; it records what it was asked. */
  function dyingHost(): PeerHost & { commands: PeerCommand[]; closed: string[] } {
    const watchers = new Map<string, (reason: string) => void>();
    return {
      commands: [],
      closed: [],
      async run(command) {
        this.commands.push(command);
        const prefix = command.id.slice(0, command.id.indexOf('/') + 1);
        setImmediate(() => watchers.get(prefix)?.('WebRTC peer process died: signal SIGSEGV'));
        return { type: 'offer', sdp: 'v=0\r\n' };
      },
      async closeAll(prefix) {
        this.closed.push(prefix);
      },
      watch(prefix, onLost) {
        watchers.set(prefix, onLost);
      },
    };
  }

  it('fails in the step it was in, with the reason, long before a 10-minute sleep ends', async function () {
    writeFileSync(join(dir, 'sleeps.yaml'), 'name: sleeps\nrequires: { media: true }\nsteps:\n  - peer: offer\n  - sleep: 10m\n  - peer: close\n');
    const [scenario] = loadFiles([join(dir, 'sleeps.yaml')], { cwd: dir }).scenarios;
    const peers = dyingHost();
    const result = await runScenario(scenario!, { transport: 'http', url: 'http://127.0.0.1:9/janus', tls: {}, secrets: {}, peers }, { seed: 's', stepTimeoutMs: 1000, scenarioTimeoutMs: 15 * 60_000 });
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.kind, 'assertion');
    assert.equal(result.failure?.summary, 'WebRTC peer process died: signal SIGSEGV');
    assert.match(result.failure?.stepTitle ?? '', /^(peer pc: offer|sleep .*)$/);
    assert.deepEqual(peers.commands.map((c) => c.op), ['offer'], 'no peer command after the loss');
    assert.equal(peers.closed.length, 1, 'the peers are closed all the same');
  });

  /** A host that records its commands and answers accept with nothing (an applied answer). */
  function recordingHost(): PeerHost & { commands: PeerCommand[] } {
    return {
      commands: [],
      async run(command) {
        this.commands.push(command);
        return undefined;
      },
      closeAll: async () => undefined,
      watch: () => undefined,
    };
  }

  function acceptWith(file: string, candidates: string, peers: PeerHost) {
    const answer = '{ type: answer, sdp: "v=0\\r\\n" }';
    const trickled = '{ candidate: "candidate:1 1 udp 2015363327 10.77.0.2 17240 typ host", sdpMid: "0" }';
    writeFileSync(join(dir, file), `name: accepts\nrequires: { media: true }\nvariables:\n  answer: ${answer}\n  first: ${trickled}\n  done: { completed: true }\n  bad: { candidate: "a=candidate:1 1 udp 1 10.0.0.1 1 typ host" }\nsteps:\n  - peer: accept\n    jsep: "\${answer}"\n    candidates: ${candidates}\n`);
    const [scenario] = loadFiles([join(dir, file)], { cwd: dir }).scenarios;
    return runScenario(scenario!, { transport: 'http', url: 'http://127.0.0.1:9/janus', tls: {}, secrets: {}, peers }, { seed: 's', stepTimeoutMs: 1000, scenarioTimeoutMs: 10_000 });
  }

  it('hands Janus\'s trickled candidates to accept, leaving out the end-of-candidates one', async function () {
    const peers = recordingHost();
    const result = await acceptWith('trickled.yaml', '["${first}", "${done}"]', peers);
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(peers.commands.map((c) => (c.op === 'accept' ? c.candidates : c.op)), [[{ candidate: 'candidate:1 1 udp 2015363327 10.77.0.2 17240 typ host', sdpMid: '0' }]]);
  });

  it('fails, before the peer is asked, on candidates that are not trickled ICE candidates', async function () {
    for (const [file, candidates] of [['bad-line.yaml', '["${bad}"]'], ['bad-answer.yaml', '"${answer}"']] as const) {
      const peers = recordingHost();
      const result = await acceptWith(file, candidates, peers);
      assert.equal(result.status, 'failed', file);
      assert.match(result.failure?.summary ?? '', /candidates are not trickled ICE candidates/);
      assert.deepEqual(peers.commands, []);
    }
  });

  it('waits for media at least as long as a DTLS handshake needs, unless within says otherwise', async function () {
    writeFileSync(join(dir, 'receives.yaml'), 'name: receives\nrequires: { media: true }\nsteps:\n  - peer: message\n    text: hi\n    expect: hi\n  - peer: message\n    expect: hi\n    within: 2s\n');
    const [scenario] = loadFiles([join(dir, 'receives.yaml')], { cwd: dir }).scenarios;
    const limits: string[] = [];
    const peers: PeerHost = {
      async run(command) {
        if (command.op === 'data' || command.op === 'receive') limits.push(`${command.op} ${command.timeoutMs}`);
        return command.op === 'receive' ? 'hi' : undefined;
      },
      closeAll: async () => undefined,
      watch: () => undefined,
    };
    const result = await runScenario(scenario!, { transport: 'http', url: 'http://127.0.0.1:9/janus', tls: {}, secrets: {}, peers }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 60_000 });
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(limits, [`data ${MEDIA_STEP_TIMEOUT_MS}`, `receive ${MEDIA_STEP_TIMEOUT_MS}`, 'receive 2000']);
  });

  it('offers SVC whose key frames are switching-up points only when asked, and only with svc', async function () {
    const offers: unknown[] = [];
    const peers: PeerHost = {
      async run(command) {
        if (command.op === 'offer') offers.push(command.tracks);
        return { type: 'offer', sdp: 'v=0\r\n' };
      },
      closeAll: async () => undefined,
      watch: () => undefined,
    };
    writeFileSync(join(dir, 'svc.yaml'), 'name: svc\nrequires: { media: true }\nsteps:\n  - peer: offer\n    pc: a\n    svc: true\n  - peer: offer\n    pc: b\n    svc: true\n    key_frame_switch_up: true\n');
    const [scenario] = loadFiles([join(dir, 'svc.yaml')], { cwd: dir }).scenarios;
    const result = await runScenario(scenario!, { transport: 'http', url: 'http://127.0.0.1:9/janus', tls: {}, secrets: {}, peers }, { seed: 's', stepTimeoutMs: 1000, scenarioTimeoutMs: 10_000 });
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(offers.map((t) => (t as { svcKeyFrameSwitchUp?: boolean }).svcKeyFrameSwitchUp), [false, true]);

    writeFileSync(join(dir, 'no-svc.yaml'), 'name: no svc\nrequires: { media: true }\nsteps:\n  - peer: offer\n    key_frame_switch_up: true\n');
    const loaded = loadFiles([join(dir, 'no-svc.yaml')], { cwd: dir });
    assert.deepEqual(loaded.scenarios, []);
    assert.match(loaded.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'), /^5:\d+ .*key_frame_switch_up.* no `svc: true`/m);
  });
});
