import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import type { JanusClient, RequestOutcome } from '../../src/janus/client.js';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import { loadFiles, type LoadResult } from '../../src/compile/load-files.js';
import { validateFile } from '../../src/compile/validate.js';
import { YamlSource } from '../../src/load/yaml-source.js';
import { ScenarioValues } from '../../src/run/values.js';
import type { Actor } from '../../src/steps/contract.js';
import { stepContext } from '../support/step-context.js';
import { CLI } from '../support/cli.js';

const ROOT = new URL('../../../', import.meta.url);

let dir: string;

/** Writes files (name -> YAML text) into a fresh temp folder. */
function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
}

function load(...names: string[]): LoadResult {
  return loadFiles(
    names.map((n) => join(dir, n)),
    { cwd: dir, env: { HOME_DIR_FOR_TEST: '/home/test' }, knownSchema: (n) => n === 'janus/error' },
  );
}

function loadOne(name: string): CompiledScenario {
  const result = load(name);
  assert.deepEqual(result.diagnostics, [], `unexpected diagnostics for ${name}`);
  assert.equal(result.scenarios.length, 1);
  return result.scenarios[0]!;
}

/**
 * Runs compiled steps against a fake Janus that answers every request with `success` and a
 * fresh id, recording what was sent. Placeholders resolve through the real ScenarioValues.
 */
async function execute(scenario: CompiledScenario): Promise<Array<{ payload: JanusMessage | string; route: Route }>> {
  const sent: Array<{ payload: JanusMessage | string; route: Route }> = [];
  let nextId = 1000;
  const client = {
    fault: undefined,
    async request(payload: JanusMessage | string, route: Route): Promise<RequestOutcome> {
      sent.push({ payload, route });
      const transaction = typeof payload === 'object' ? payload.transaction : undefined;
      return { exchange: { transaction: transaction as string | undefined, reply: { janus: 'success', transaction, data: { id: nextId++ } } } };
    },
  } as unknown as JanusClient;
  const { ctx, values } = stepContext(scenario, client);
  const first = ctx.actor(scenario.clients[0]!);
  for (const [name, template] of scenario.variables) values.saved.set(name, ctx.resolve(template, first));
  for (const step of scenario.steps) await step.execute(ctx);
  return sent;
}

describe('loader and compiler (loadFiles)', function () {
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-loader-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a valid scenario', function () {
    const text = [
      'name: compiled steps', //                                   1
      'description: titles and spans', //                         2
      'tags: [core, smoke]', //                                   3
      'requires:', //                                             4
      '  plugins: [janus.plugin.echotest]', //                    5
      '  transports: [ws]', //                                    6
      '  janus: { session_timeout: 5 }', //                       7
      'clients: [alice, bob]', //                                 8
      'keepalive: false', //                                      9
      'timeout: 2s', //                                          10
      'steps:', //                                               11
      '  - request: ping', //                                    12
      '    expect: { janus: pong }', //                          13
      '', //                                                     14
      '  - request: create', //                                  15
      '    client: bob', //                                      16
      '    save: { sid: data.id }', //                           17
      '  - name: attach to echotest', //                         18
      '    request: { janus: attach, plugin: janus.plugin.echotest }', // 19
      '    as: echo', //                                         20
      '  - wait: { janus: event }', //                           21
      '    within: 1s', //                                       22
      '  - no_event: { janus: hangup }', //                      23
      '    for: 500ms', //                                       24
      '  - sleep: 250', //                                       25
      '  - admin: list_sessions', //                             26
      '  - raw: "{not json"', //                                 27
      '    expect: { janus: error }', //                         28
      'cleanup:', //                                             29
      '  - request: { janus: destroy, session_id: "${sid}" }', // 30
      '',
    ].join('\n');

    it('keeps the scenario-level settings, typed', function () {
      write({ 'a.yaml': text });
      const s = loadOne('a.yaml');
      assert.equal(s.file, 'a.yaml');
      assert.equal(s.name, 'compiled steps');
      assert.equal(s.description, 'titles and spans');
      assert.deepEqual(s.tags, ['core', 'smoke']);
      assert.deepEqual(s.requires, { plugins: ['janus.plugin.echotest'], transports: ['ws'], janus: { session_timeout: 5 }, exclusive: false, eventhandlers: {}, loggers: {}, media: false });
      assert.deepEqual(s.clients, ['alice', 'bob']);
      assert.equal(s.keepalive, false);
      assert.equal(s.timeoutMs, 2000);
      assert.deepEqual({ line: s.span.line, col: s.span.col }, { line: 1, col: 7 }, 'the scenario span is its name');
    });

    it('titles every step after its kind, client and verb (or its name:)', function () {
      write({ 'a.yaml': text });
      const s = loadOne('a.yaml');
      assert.deepEqual(
        s.steps.map((st) => [st.kind, st.title, st.client]),
        [
          ['request', 'alice ping', 'alice'],
          ['request', 'bob create', 'bob'],
          ['request', 'attach to echotest', 'alice'],
          ['wait', 'alice waits for event', 'alice'],
          ['no_event', 'alice gets no hangup for 500ms', 'alice'],
          ['sleep', 'sleep 250ms', 'alice'],
          ['admin', 'admin list_sessions', 'alice'],
          ['raw', 'alice raw payload', 'alice'],
        ],
      );
      assert.deepEqual(s.cleanup.map((st) => st.title), ['alice destroy']);
    });

    it('points every step span at the line and column where the step starts', function () {
      write({ 'a.yaml': text });
      const s = loadOne('a.yaml');
      assert.deepEqual(
        s.steps.map((st) => `${st.span.file}:${st.span.line}:${st.span.col}`),
        ['a.yaml:12:5', 'a.yaml:15:5', 'a.yaml:18:5', 'a.yaml:21:5', 'a.yaml:23:5', 'a.yaml:25:5', 'a.yaml:26:5', 'a.yaml:27:5'],
      );
      assert.equal(`${s.cleanup[0]!.span.line}:${s.cleanup[0]!.span.col}`, '30:5');
      for (const st of s.steps) assert.ok(st.span.width >= 1);
    });

    it('defaults: one client "main", keepalive on, no timeout, no tags', function () {
      write({ 'b.yaml': 'name: minimal\nsteps:\n  - request: ping\n' });
      const s = loadOne('b.yaml');
      assert.deepEqual(s.clients, ['main']);
      assert.equal(s.keepalive, true);
      assert.equal(s.timeoutMs, undefined);
      assert.deepEqual(s.tags, []);
      assert.deepEqual(s.requires, { plugins: [], transports: undefined, janus: {}, exclusive: false, eventhandlers: {}, loggers: {}, media: false });
      assert.equal(s.steps[0]!.title, 'main ping');
    });

    it('event handlers and loggers: a list means no settings of their own, a map gives them', function () {
      write({
        'c.yaml': 'name: observers\nrequires:\n  eventhandlers: [janus.eventhandler.sampleevh]\n  loggers: { janus.logger.jsonlog: { json: compact } }\nsteps:\n  - request: ping\n',
      });
      const s = loadOne('c.yaml');
      assert.deepEqual(s.requires.eventhandlers, { 'janus.eventhandler.sampleevh': {} });
      assert.deepEqual(s.requires.loggers, { 'janus.logger.jsonlog': { json: 'compact' } });
    });

    it('a keepalive duration becomes milliseconds', function () {
      write({ 'k.yaml': 'name: k\nkeepalive: 1.5s\nsteps:\n  - request: ping\n' });
      assert.equal(loadOne('k.yaml').keepalive, 1500);
    });

    it('variables are compiled in order and may use earlier ones', function () {
      write({ 'v.yaml': 'name: v\nvariables:\n  room: 1234\n  label: "room-${room}"\n  home: "${env.HOME_DIR_FOR_TEST}"\nsteps:\n  - request: ping\n' });
      const s = loadOne('v.yaml');
      assert.deepEqual(s.variables.map(([n]) => n), ['room', 'label', 'home']);
    });

    it('${env_int.NAME} is an environment variable as a number; ${env.NAME} stays text', function () {
      const actor: Actor = { name: 'main', handles: new Map() };
      const { lookup } = new ScenarioValues(() => undefined, 'http', { PORT: '3478' }).lookupFor(actor);
      assert.equal(lookup('env_int.PORT'), 3478);
      assert.equal(lookup('env.PORT'), '3478');
      write({ 'i.yaml': 'name: i\nsteps:\n  - request: { janus: ping, n: "${env_int.N}", m: "${env_int.M}" }\n' });
      const r = loadFiles([join(dir, 'i.yaml')], { cwd: dir, env: { N: '-12', M: '0x10' } });
      assert.deepEqual(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`), ['3:52 environment variable M is not an integer: "0x10"']);
    });
  });

  describe('problems', function () {
    it('a file with a problem yields no scenario; the other files still load', function () {
      write({
        'good.yaml': 'name: good\nsteps:\n  - request: ping\n',
        'bad.yaml': 'name: bad\nsteps:\n  - request: ping\n    expct: { janus: pong }\n',
      });
      const r = load('bad.yaml', 'good.yaml');
      assert.deepEqual(r.scenarios.map((s) => s.name), ['good']);
      assert.equal(r.diagnostics.length, 1);
      const d = r.diagnostics[0]!;
      assert.deepEqual({ file: d.span.file, line: d.span.line, col: d.span.col, width: d.span.width }, { file: 'bad.yaml', line: 4, col: 5, width: 5 });
      assert.match(d.message, /unknown key "expct" in a request step/);
      assert.equal(d.hint, 'did you mean "expect"?');
      assert.equal(r.sources.get('bad.yaml'), 'name: bad\nsteps:\n  - request: ping\n    expct: { janus: pong }\n');
    });

    it('a file that is a list says what to make of it: scenarios one to a file, or steps under a scenario', function () {
      write({
        'several.yaml': '- name: one\n  steps:\n    - request: ping\n- name: two\n  steps:\n    - request: ping\n',
        'bare-steps.yaml': '- request: ping\n',
        'inc/bare.fragment.yaml': '- request: ping\n',
        'uses-bare.yaml': 'name: u\nsteps:\n  - include: inc/bare.fragment.yaml\n',
      });
      const hints = (name: string): string[] => load(name).diagnostics.map((d) => `${d.message} [${d.hint ?? ''}]`);
      assert.deepEqual(hints('several.yaml'), ['the scenario should be an object, not an array [a file holds one scenario: put each item of the list in a file of its own]']);
      assert.deepEqual(hints('bare-steps.yaml'), ['the scenario should be an object, not an array [a scenario is a mapping: give it a name: and put the steps under steps:]']);
      assert.match(hints('uses-bare.yaml').join('\n'), /a fragment is a mapping: put the steps under steps:/);
    });

    it('a placeholder diagnostic points at the ${ inside the string', function () {
      write({ 'p.yaml': 'name: p\nsteps:\n  - request: { janus: ping, token: "abc-${nope}" }\n' });
      const [d] = load('p.yaml').diagnostics;
      assert.deepEqual({ line: d!.span.line, col: d!.span.col, width: d!.span.width }, { line: 3, col: 41, width: 7 });
    });

    it('the YAML slips behind a wrong type get a hint: no space after a colon, nothing indented under a key, a list without "- "', function () {
      write({
        'colon.yaml': 'name: c\nsteps:\n  - request:create\n',
        'under.yaml': 'name: u\nsteps:\n  - request: create\n    expect:\n    timeout: 2s\n',
        'dash.yaml': 'name: d\nsteps:\n  request: create\n',
      });
      const seen = (name: string) => load(name).diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message} [${d.hint ?? ''}]`);
      assert.deepEqual(seen('colon.yaml'), ['3:5 "steps[0]" should be an object, not a string [a key needs a space after its colon: "request: create"]']);
      assert.deepEqual(seen('under.yaml'), ['4:12 "expect" should be an object, not null [nothing is written under it: the lines that belong to it go indented further than the key]']);
      assert.deepEqual(seen('dash.yaml'), ['3:3 "steps" should be an array, not an object [each item of a list starts with "- "]']);
    });

    /** Each problem of a file as `line:col [hint]`. */
    const hintsAt = (name: string): string[] => load(name).diagnostics.map((d) => `${d.span.line}:${d.span.col} [${d.hint ?? ''}]`);

    it('a pattern written as a word or a bare placeholder (expect: success, wait: webrtcup) is told the mapping it meant', function () {
      write({
        'word.yaml': 'name: w\nsteps:\n  - request: create\n    expect: success\n  - wait: webrtcup\n  - no_event: hangup\n    for: 1s\n',
        'saved.yaml': 'name: s\nsteps:\n  - request: create\n    save: { first: $reply }\n  - request: create\n    expect: "${first}"\n',
      });
      assert.deepEqual(hintsAt('word.yaml'), [
        '4:13 [a pattern is a mapping of the fields the message must have: expect: { janus: success }]',
        '5:11 [a pattern is a mapping of the fields the message must have: wait: { janus: webrtcup }]',
        '6:15 [a pattern is a mapping of the fields the message must have: no_event: { janus: hangup }]',
      ]);
      assert.deepEqual(hintsAt('saved.yaml'), ['6:13 [a pattern is a mapping of the fields the message must have (expect: { janus: success }); a placeholder stands for a field\'s value (expect: { error: "${saved_error}" })]']);
    });

    it("a message type one letter or two off what Janus sends (succes, ping for pong) is a load error with the type meant; a test server's own type, a $regex and a plugin's data are left alone", function () {
      write({
        'types.yaml': [
          'name: t', 'steps:', '  - request: create', '    expect: { janus: succes }', '  - wait: { janus: webrtcupp }',
          '  - request: ping', '    expect: { $oneOf: [{ janus: ping }, { janus: { $not: { $oneOf: [pong, eror] } } }] }',
          '  - no_event: { $exact: { janus: hangupp } }', '    for: 1s', '',
        ].join('\n'),
        'own.yaml': [
          'name: o', 'steps:', '  - request: poison-hang', '    expect: { janus: not-server-info }', '  - request: ping',
          '    expect: { janus: { $regex: "^pongg?$" }, plugindata: { data: { janus: ping } } }', '  - wait: { janus: reflected-event }', '',
        ].join('\n'),
      });
      const seen = (name: string) => load(name).diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
      assert.deepEqual(seen('types.yaml'), [
        '4:22 Janus sends no message "succes"; did you mean "success"?',
        '5:20 Janus sends no message "webrtcupp"; did you mean "webrtcup"?',
        '7:33 Janus sends no message "ping"; did you mean "pong"?',
        '7:75 Janus sends no message "eror"; did you mean "error"?',
        '8:34 Janus sends no message "hangupp"; did you mean "hangup"?',
      ]);
      assert.deepEqual(seen('own.yaml'), []);
    });

    // A slip in a step's shape, and the hint each problem gets (`line:col [hint]`).
    const shapeSlips = [
      {
        title: 'a step written as a bare word (- create, - sleep 1s) is told the mapping it meant',
        text: 'name: b\nsteps:\n  - create\n  - sleep 1s\n  - hello\ncleanup:\n  - destroy\n',
        hints: [
          '3:5 [a step is a mapping: a request Janus gets is sent by - request: create]',
          '4:5 [a step is a mapping of its kind to its value: - sleep: 1s]',
          '5:5 []',
          '7:5 [a step is a mapping: a request Janus gets is sent by - request: destroy]',
        ],
      },
      {
        title: "a request's field written beside request: (plugin:, body:) is told to go inside the request",
        text: 'name: b\nsteps:\n  - request: create\n  - request: attach\n    plugin: janus.plugin.echotest\n  - request: { janus: message }\n    body: { audio: true }\n  - request: create\n    pluggin: x\n',
        hints: [
          '5:5 ["plugin" is a field of the request Janus gets: write it inside the request, request: { janus: attach, plugin: janus.plugin.echotest }]',
          '7:5 ["body" is a field of the request Janus gets: write it inside the request, request: { ..., body: {"audio":true} }]',
          '9:5 []',
        ],
      },
      {
        title: 'a list written as words (clients: alice, bob) and save: written as a name are told their shape',
        text: 'name: l\nclients: alice, bob\nsteps:\n  - request: create\n    save: session_id\n',
        hints: [
          '2:10 [a list is written in brackets: [alice, bob], or an item a line, each starting with "- "]',
          '5:11 [save takes a name for each value and where it is in the message: save: { session_id: data.id }]',
        ],
      },
    ];
    shapeSlips.forEach(({ title, text, hints }, i) => {
      it(title, function () {
        write({ [`slip-${i}.yaml`]: text });
        assert.deepEqual(hintsAt(`slip-${i}.yaml`), hints);
      });
    });

    it('another YAML file (docker-compose.yml) is one "not a scenario" line; a scenario with misspelt keys keeps its suggestions', function () {
      write({ 'compose.yml': 'services:\n  janus:\n    image: x\nvolumes: {}\n', 'typos.yaml': 'nmae: x\nstesp: []\n' });
      const compose = load('compose.yml').diagnostics;
      assert.deepEqual(compose.map((d) => `${d.span.line}:${d.span.col} ${d.message}`), ['1:1 not a scenario: none of its keys (services, volumes) is a scenario\'s, and it has no name: and no steps:']);
      assert.match(compose[0]!.hint!, /give the scenarios' folder/);
      assert.deepEqual(load('typos.yaml').diagnostics.map((d) => d.hint).filter(Boolean), ['did you mean "name"?', 'did you mean "steps"?']);
    });

    // The parser's own words ("Sequence item without - indicator", "compact mappings") name no
    // indentation: the hint says which column the line should start at, and why.
    it('a step key indented one space too few, too many, or at the dash says which column it belongs at', function () {
      write({
        'short.yaml': 'name: x\nsteps:\n  - request: create\n   expect: { janus: success }\n',
        'dash.yaml': 'name: x\nsteps:\n  - request: create\n  expect: { janus: success }\n',
        'deep.yaml': 'name: x\nsteps:\n  - request: create\n     expect: { janus: success }\n',
        'item.yaml': 'name: x\nsteps:\n  - request: create\n   - request: create\n',
      });
      const seen = (name: string) => load(name).diagnostics.slice(0, 1).map((d) => `${d.span.line}:${d.span.col} [${d.hint ?? ''}]`);
      const lineUp = 'the keys of a list item line up under its first key, column 5 (after "- " at line 3); a new item starts with "- "';
      assert.deepEqual(seen('short.yaml'), [`4:4 [${lineUp}]`]);
      assert.deepEqual(seen('dash.yaml'), [`4:3 [${lineUp}]`]);
      assert.deepEqual(seen('deep.yaml'), ['4:6 [the keys of a list item line up under its first key, column 5 (after "- " at line 3): this line starts further right, and reads as part of line 3\'s value; 1 more YAML error after this one, often caused by it; fix this one first]']);
      assert.deepEqual(seen('item.yaml'), ['4:4 [the "- " of each item of a list lines up, column 3 (at line 3)]']);
    });

    it('a tab in the indentation says to indent with spaces, at the tab', function () {
      write({ 'tab.yaml': 'name: t\nsteps:\n  - request: ping\n\texpect: { janus: pong }\n' });
      const seen = load('tab.yaml').diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message} [${d.hint ?? ''}]`);
      assert.deepEqual(seen, ['4:1 invalid YAML: a tab in the indentation; YAML indents with spaces only [replace the tabs at the start of this line with spaces (and set the editor to indent .yaml files with spaces)]']);
    });

    it('a YAML syntax error is reported where it is, not at 1:1', function () {
      write({ 'y.yaml': 'name: y\nsteps:\n  - request: ping\n    expect: { janus: pong }\n    expect: { janus: ack }\n' });
      const [d] = load('y.yaml').diagnostics;
      assert.match(d!.message, /^invalid YAML: Map keys must be unique/);
      assert.deepEqual({ line: d!.span.line, col: d!.span.col }, { line: 5, col: 5 });
    });
  });

  describe('what used to load although wrong', function () {
    it('a plugin attached by name but missing from requires.plugins is added to the requirements', function () {
      write({ 'p.yaml': 'name: p\nrequires: { plugins: [janus.plugin.echotest] }\nsteps:\n  - request: create\n  - request: { janus: attach, plugin: janus.plugin.videoroom }\n  - request: { janus: attach, plugin: janus.plugin.nosuch }\n' });
      assert.deepEqual(loadOne('p.yaml').requires.plugins, ['janus.plugin.echotest', 'janus.plugin.videoroom'], 'unknown names are left alone: attaching them is a PLUGIN_NOT_FOUND test');
    });

    it('a request verb Janus does not know, or a plugin by its short name, is a load error with the name meant, unless an error is expected', function () {
      write({
        'slips.yaml': 'name: s\nsteps:\n  - request: craete\n  - request: { janus: attach, plugin: echotest }\n  - request: { janus: mesage, body: {} }\n  - request: { janus: ATTACH, plugin: janus.plugin.echotest }\n',
        'errors.yaml': [
          'name: e',
          'steps:',
          '  - request: craete',
          '    expect: { janus: error, error: { code: 457 } }',
          '  - request: { janus: attach, plugin: echotest }',
          '    expect: { error: { code: 460 } }',
          '  - request: { janus: attach, plugin: janus.plugin.mine }',
          '  - request: { janus: poison-hang }',
          '',
        ].join('\n'),
      });
      const r = load('slips.yaml');
      assert.deepEqual(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message.split(' (')[0]}`), [
        '3:14 Janus has no request "craete"; did you mean "create"?',
        '4:39 a plugin is named by its package name: "echotest" is "janus.plugin.echotest"',
        '5:23 Janus has no request "mesage"; did you mean "message"?',
      ]);
      assert.equal(loadOne('errors.yaml').steps.length, 4, 'an expected error, a plugin or verb of the server\'s own (like no known one), loads');
    });

    it('so is one attached by an http step\'s JSON body or a raw step\'s JSON text; not by an Admin API body or raw text that is no JSON', function () {
      write({
        'h.yaml': [
          'name: h',
          'requires: { transports: [http] }',
          'steps:',
          '  - http: { method: POST, body: { janus: attach, plugin: janus.plugin.videoroom, transaction: a1 } }',
          '  - http: { api: admin, method: POST, body: { janus: attach, plugin: janus.plugin.streaming, transaction: a2 } }',
          '  - raw: \'{"janus":"attach","plugin":"janus.plugin.textroom","transaction":"a3"}\'',
          '  - raw: \'{"janus":"attach","plugin":"janus.plugin.audiobridge", not json\'',
          '',
        ].join('\n'),
      });
      assert.deepEqual(loadOne('h.yaml').requires.plugins, ['janus.plugin.videoroom', 'janus.plugin.textroom']);
    });

    it('a problem in a fragment names the include that brought it in; nested, the innermost and the scenario\'s', function () {
      write({
        'inc/a.fragment.yaml': 'steps:\n  - include: b.fragment.yaml\n',
        'inc/b.fragment.yaml': 'steps:\n  - include: e.fragment.yaml\n',
        'inc/e.fragment.yaml': 'steps:\n  - request: { janus: ping, x: "${vanished}" }\n',
        'inc/c.fragment.yaml': 'steps:\n  - request: { janus: ping, x: "${nope}" }\n',
        'inc/d.fragment.yaml': 'steps:\n  - request: ping\n    expct: {}\n',
        'inc/s.yaml': 'name: s\nsteps:\n  - include: c.fragment.yaml\n  - include: a.fragment.yaml\n  - include: d.fragment.yaml\n  - request: { janus: ping, y: "${gone}" }\n',
      });
      const r = load('inc/s.yaml');
      assert.deepEqual(r.diagnostics.map((d) => `${d.span.file}:${d.span.line} ${d.message.split(';')[0]} [${d.hint ?? ''}]`), [
        'inc/c.fragment.yaml:2 unknown placeholder ${nope}: no variable, parameter or saved value named "nope" is defined before this point [included at inc/s.yaml:3:14]',
        'inc/e.fragment.yaml:2 unknown placeholder ${vanished}: no variable, parameter or saved value named "vanished" is defined before this point [included at inc/b.fragment.yaml:2:14, ..., from inc/s.yaml:4:14]',
        'inc/d.fragment.yaml:3 unknown key "expct" in a request step [did you mean "expect"?; included at inc/s.yaml:5:14]',
        'inc/s.yaml:6 unknown placeholder ${gone}: no variable, parameter or saved value named "gone" is defined before this point []',
      ]);
    });

    it('a plugin named through variables known at load time counts as one written out; one the run decides does not', function () {
      write({
        'v.yaml': `name: v
variables: { p: janus.plugin.videoroom, kind: textroom, t: "janus.plugin.\${kind}", unknown: "\${env.NO_SUCH_PLUGIN_VAR}" }
steps:
  - request: create
  - request: { janus: attach, plugin: "\${p}" }
  - request: { janus: attach, plugin: "\${t}" }
  - request: { janus: info }
    save: { p: name }
  - request: { janus: attach, plugin: "\${p}" }
  - request: { janus: attach, plugin: "\${unknown}" }
`,
      });
      const r = loadFiles([join(dir, 'v.yaml')], { cwd: dir, env: { NO_SUCH_PLUGIN_VAR: 'janus.plugin.streaming' }, knownSchema: () => false });
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.scenarios[0]!.requires.plugins, ['janus.plugin.videoroom', 'janus.plugin.textroom']);
    });

    it('a file with CR-only line ends reads as lines, with positions', function () {
      write({ 'cr.yaml': 'name: cr\rsteps:\r  - request: ping\r    expct: 1\r' });
      const [d] = load('cr.yaml').diagnostics;
      assert.deepEqual([d!.span.line, d!.span.col, d!.hint], [4, 5, 'did you mean "expect"?']);
    });

    it('an http step is fine when requires.transports keeps the scenario on http and https', function () {
      write({ 'h.yaml': 'name: h\nrequires: { transports: [http, https] }\nsteps:\n  - http: { path: /info }\n' });
      assert.equal(loadOne('h.yaml').steps[0]!.kind, 'http');
    });

    it('${alice.handles.x} is accepted once alice named a handle x', function () {
      write({ 'n.yaml': 'name: n\nclients: [alice]\nsteps:\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: x\n  - request: { janus: ping, h: "${alice.handles.x}", g: "${handles.x}" }\n' });
      loadOne('n.yaml');
    });

    it('durations at the edges: 2147483647 ms loads, sleep 0 loads, one more ms does not', function () {
      write({ 'd.yaml': 'name: d\ntimeout: 2147483647\nsteps:\n  - sleep: 0\n', 'e.yaml': 'name: e\ntimeout: 2147483648\nsteps:\n  - sleep: 0\n' });
      assert.equal(loadOne('d.yaml').timeoutMs, 2 ** 31 - 1);
      assert.match(load('e.yaml').diagnostics[0]!.message, /longest timer/);
    });

    it('a fragment that is fine on its own loads, its open parameters standing for any type', function () {
      write({ 'ok.fragment.yaml': 'params: { pause: null, strict: true, as: vr }\nsteps:\n  - sleep: "${pause}"\n  - request: { janus: attach, plugin: janus.plugin.videoroom }\n    as: "${as}"\n    exact: "${strict}"\n    expect: { janus: success }\n  - request: { janus: ping, h: "${handles.vr}" }\n    client: somebody\n' });
      assert.deepEqual(load('ok.fragment.yaml').diagnostics, []);
    });
  });

  describe('large files: work linear in their size', function () {
    /**
     * Array callbacks run while loading (some, find, ...): the work of a search through a
     * mapping's keys, counted rather than timed. Linear loading does four times the work for four
     * times the keys; a search per key (the parser's duplicate-key check, spanOf's lookup) sixteen.
     */
    function searchWork(n: number): number {
      const vars = Array.from({ length: n }, (_, i) => `  v${i}: ${i}\n`).join('');
      const body = Array.from({ length: n }, (_, i) => `      k${i}: ${i}\n`).join('');
      write({ 'wide.yaml': `name: wide\nvariables:\n${vars}steps:\n  - request:\n      janus: ping\n${body}` });
      const methods = ['some', 'find', 'findIndex', 'every', 'filter'] as const;
      const proto = Array.prototype as unknown as Record<string, (this: unknown[], fn: (...a: unknown[]) => unknown, ...rest: unknown[]) => unknown>;
      const saved = methods.map((m) => proto[m]!);
      let calls = 0;
      methods.forEach((m, i) => {
        proto[m] = function (this: unknown[], fn: (...a: unknown[]) => unknown, ...rest: unknown[]) {
          return saved[i]!.call(this, function (this: unknown, ...a: unknown[]) {
            calls++;
            return fn.apply(this, a);
          }, ...rest);
        };
      });
      try {
        const r = load('wide.yaml');
        assert.deepEqual([r.diagnostics.length, r.scenarios.length], [0, 1]);
      } finally {
        methods.forEach((m, i) => (proto[m] = saved[i]!));
      }
      return calls;
    }

    it('a mapping of many keys is loaded with work linear in its keys (no search of the mapping per key)', function () {
      const small = searchWork(1000);
      const large = searchWork(4000);
      assert.ok(large < small * 6, `1000 keys: ${small} callbacks, 4000 keys: ${large} (${(large / small).toFixed(1)} times as many)`);
    });

    it('a long list of clients is checked with work linear in its length (no comparison of every pair)', function () {
      const base = YamlSource.parse('c.yaml', join(dir, 'c.yaml'), 'name: c\nsteps:\n  - request: ping\n').source!;
      // Reads of each client's name, counted: a comparison of two { name } entries reads both.
      const reads = (n: number): number => {
        let count = 0;
        const clients = Array.from({ length: n }, (_, i) => Object.defineProperty({}, 'name', { enumerable: true, get: () => (count++, `c${i}`) }));
        assert.deepEqual(validateFile(base.withValue({ name: 'c', clients, steps: [{ request: 'ping' }] }), 'scenario'), []);
        return count;
      };
      const small = reads(500);
      const large = reads(2000);
      assert.ok(large < small * 6, `500 clients: ${small} reads, 2000 clients: ${large} (${(large / small).toFixed(1)} times as many)`);
    });

    it('a client declared twice is refused by name, in either form', function () {
      write({ 'c.yaml': 'name: c\nclients: [a, b, { name: a, keepalive: false }, b]\nsteps:\n  - request: ping\n' });
      const found = load('c.yaml').diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
      assert.deepEqual(found, ['2:17 client "a" is declared twice', '2:48 client "b" is declared twice']);
    });

    it('"did you mean" is guessed for the first 100 problems of a file, not for every one', function () {
      // Each guess compares with every name declared: thousands of typos in a file of thousands of variables took half a minute.
      const vars = Array.from({ length: 150 }, (_, i) => `  room${i}: ${i}\n`).join('');
      const steps = Array.from({ length: 150 }, (_, i) => `  - request: { janus: "\${rom${i}}" }\n`).join('');
      write({ 'typos.yaml': `name: typos\nvariables:\n${vars}steps:\n${steps}secrets: [rooom1]\n` });
      const problems = load('typos.yaml').diagnostics;
      assert.equal(problems.length, 151);
      assert.equal(problems[0]!.hint, 'did you mean "${room0}"?');
      assert.equal(problems[99]!.hint, 'did you mean "${room99}"?');
      assert.deepEqual(problems.slice(100).map((d) => d.hint), Array(51).fill(undefined));
    });

    it('a key written twice is still refused, where the second one is', function () {
      write({ 'd.yaml': 'name: d\nvariables:\n  a: 1\n  b: 2\n  a: 3\nsteps:\n  - request: ping\n' });
      const [d, more] = load('d.yaml').diagnostics;
      assert.equal(more, undefined);
      assert.equal(d!.message, 'invalid YAML: Map keys must be unique');
      assert.deepEqual({ line: d!.span.line, col: d!.span.col }, { line: 5, col: 3 });
    });
  });

  describe('collecting files (run . / validate .)', function () {
    it('a name that finds no file hides none of the problems of the files found (validate and run, exit 2)', function () {
      write({ 'a.yaml': 'name: a\nsteps:\n  - request: ping\n    expct: 1\n', 'b.yaml': 'name: b\nsteps:\n  - request: ping\n' });
      for (const args of [['validate'], ['run', '--url', 'http://127.0.0.1:9/janus']]) {
        const r = spawnSync(process.execPath, [CLI, args[0]!, 'a.yaml', 'typo.yaml', 'b.yaml', ...args.slice(1)], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /--> a\.yaml:4:5\n/);
        assert.match(r.stderr, /^1 problem in scenario files; nothing was run\nerror: no scenario files found for "typo\.yaml": no such file or folder$/m);
        assert.doesNotMatch(r.stderr, /^ {4}at /m);
      }
      // Without a problem elsewhere, the missing name is the usage error it was.
      const r = spawnSync(process.execPath, [CLI, 'validate', 'b.yaml', 'typo.yaml'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2);
      assert.equal(r.stderr, 'error: no scenario files found for "typo.yaml": no such file or folder\n(run janus-scenarios validate --help for usage)\n');
    });

    it('leaves out node_modules, hidden folders and hidden files (.gitlab-ci.yml) unless named', async function () {
      const { collectFiles } = await import('../../src/load/collect.js');
      write({ 'a.yaml': 'x', 'node_modules/pkg/b.yaml': 'x', '.hidden/c.yaml': 'x', 'sub/d.yaml': 'x', '.gitlab-ci.yml': 'x', 'sub/.pre-commit-config.yaml': 'x' });
      const all = await collectFiles(['.'], { fragments: true, cwd: dir });
      assert.deepEqual(all.files.map((f) => f.slice(dir.length + 1)), ['a.yaml', 'sub/d.yaml']);
      const hiddenFile = await collectFiles(['.gitlab-ci.yml'], { fragments: true, cwd: dir });
      assert.deepEqual(hiddenFile.files.map((f) => f.slice(dir.length + 1)), ['.gitlab-ci.yml'], 'a hidden file named is read');
      assert.deepEqual(await collectFiles(['', ' '], { fragments: true, cwd: dir }), { files: [], missing: ['', ' '] }, 'an empty argument is not the working folder');
      const named = await collectFiles(['node_modules/pkg', '.hidden'], { fragments: true, cwd: dir });
      assert.deepEqual(named.files.map((f) => f.slice(dir.length + 1)), ['node_modules/pkg/b.yaml', '.hidden/c.yaml'], 'in the order named');
      const reversed = await collectFiles(['sub', 'a.yaml', 'sub/d.yaml'], { fragments: true, cwd: dir });
      assert.deepEqual(reversed.files.map((f) => f.slice(dir.length + 1)), ['sub/d.yaml', 'a.yaml'], 'arguments keep their order, each file once');
    });

    it('follows a linked folder, but not one leading back up (a loop, .., /), and lists special files for the loader to refuse', async function () {
      const { collectFiles } = await import('../../src/load/collect.js');
      write({ 'root/a.yaml': 'x', 'elsewhere/shared.yaml': 'x', 'root/sub/b.yml': 'x' });
      symlinkSync('../elsewhere', join(dir, 'root/shared'));
      symlinkSync('.', join(dir, 'root/loop'));
      symlinkSync('..', join(dir, 'root/sub/up'));
      symlinkSync('/', join(dir, 'root/slash'));
      symlinkSync('/dev/zero', join(dir, 'root/zero.yaml'));
      execFileSync('mkfifo', [join(dir, 'root/pipe.yaml')]);
      const { files } = await collectFiles(['root'], { fragments: true, cwd: dir });
      assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['root/a.yaml', 'root/pipe.yaml', 'root/shared/shared.yaml', 'root/sub/b.yml', 'root/zero.yaml']);
    });
  });

  describe('fragments', function () {
    // The CLI loads with cwd = process.cwd(); do the same here (see the last test for why).
    let previous: string;
    beforeEach(function () {
      previous = process.cwd();
      process.chdir(dir);
    });
    afterEach(function () {
      process.chdir(previous);
    });

    const fragment = [
      'description: join a room', //                                         1
      'params:', //                                                          2
      '  room: null', //                                                     3
      '  pin: null', //                                                      4
      '  audio: true', //                                                    5
      '  extra: null', //                                                    6
      '  display: guest', //                                                 7
      'steps:', //                                                           8
      '  - request: { janus: attach, plugin: janus.plugin.videoroom }', //   9
      '    as: vr', //                                                      10
      '  - request:', //                                                    11
      '      janus: message', //                                            12
      '      body: { request: join, room: "${room}", pin: "${pin}", audio: "${audio}", extra: "${extra}", display: "${display}-${room}", session: "${sid}" }', // 13
      '    handle: vr', //                                                  14
      '    expect: { janus: success, data: { id: $integer } }', //          15
      '',
    ].join('\n');
    const scenario = [
      'name: uses a fragment', //                                            1
      'steps:', //                                                           2
      '  - request: create', //                                              3
      '    save: { sid: data.id }', //                                       4
      '  - include: frags/join.fragment.yaml', //                            5
      '    with: { room: 1234, pin: "0042", audio: false, extra: { list: [1, "two"] } }', // 6
      '  - request: ping', //                                                7
      '',
    ].join('\n');

    it('inlines the fragment steps, with spans in the fragment file', function () {
      write({ 'frags/join.fragment.yaml': fragment, 'main.yaml': scenario });
      const s = loadOne('main.yaml');
      assert.deepEqual(
        s.steps.map((st) => `${st.title} @ ${st.span.file}:${st.span.line}:${st.span.col}`),
        ['main create @ main.yaml:3:5', 'main attach @ frags/join.fragment.yaml:9:5', 'main message @ frags/join.fragment.yaml:11:5', 'main ping @ main.yaml:7:5'],
      );
    });

    it('puts parameter values in as typed values, with defaults, and interpolates them in longer strings', async function () {
      write({ 'frags/join.fragment.yaml': fragment, 'main.yaml': scenario });
      const sent = await execute(loadOne('main.yaml'));
      assert.deepEqual(
        sent.map((x) => (typeof x.payload === 'object' ? x.payload.janus : x.payload)),
        ['create', 'attach', 'message', 'ping'],
      );
      const message = sent[2]!;
      assert.deepEqual((message.payload as JanusMessage).body, {
        request: 'join',
        room: 1234,
        pin: '0042',
        audio: false,
        extra: { list: [1, 'two'] },
        display: 'guest-1234',
        session: 1000,
      });
      assert.deepEqual(message.route, { sessionId: 1000, handleId: 1001 }, 'the named handle from the fragment is used');
    });

    it('the fragment runs as the include\'s client', function () {
      write({
        'frags/ping.fragment.yaml': 'steps:\n  - request: ping\n',
        'c.yaml': 'name: c\nclients: [alice, bob]\nsteps:\n  - include: frags/ping.fragment.yaml\n    client: bob\n',
      });
      assert.deepEqual(loadOne('c.yaml').steps.map((st) => st.title), ['bob ping']);
    });

    it('a fragment may include another one, relative to itself', function () {
      write({
        'frags/inner.fragment.yaml': 'params: { verb: null }\nsteps:\n  - request: "${verb}"\n',
        'frags/outer.fragment.yaml': 'steps:\n  - include: inner.fragment.yaml\n    with: { verb: keepalive }\n',
        'n.yaml': 'name: n\nsteps:\n  - include: frags/outer.fragment.yaml\n',
      });
      const s = loadOne('n.yaml');
      assert.deepEqual(s.steps.map((st) => `${st.title} @ ${st.span.file}:${st.span.line}`), ['main keepalive @ frags/inner.fragment.yaml:3']);
    });

    it('parameters may fill typed slots: a duration and a boolean', function () {
      write({
        'frags/pause.fragment.yaml': 'params: { pause: 250ms, strict: true }\nsteps:\n  - sleep: "${pause}"\n  - request: ping\n    exact: "${strict}"\n',
        't.yaml': 'name: t\nsteps:\n  - include: frags/pause.fragment.yaml\n    with: { pause: 100, strict: false }\n',
      });
      const r = load('t.yaml');
      assert.deepEqual(r.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.message}`), []);
      assert.equal(r.scenarios[0]!.steps[0]!.title, 'sleep 100ms');
    });
  });

  describe('fragments, loaded with a cwd option that is not process.cwd()', function () {
    it('resolves include paths against the including file\'s folder, not process.cwd()', function () {
      write({
        'frags/ping.fragment.yaml': 'steps:\n  - request: ping\n',
        'c.yaml': 'name: c\nsteps:\n  - include: frags/ping.fragment.yaml\n',
      });
      assert.notEqual(process.cwd(), dir);
      const r = load('c.yaml');
      assert.deepEqual(r.diagnostics.map((d) => d.message), []);
      assert.deepEqual(r.scenarios[0]!.steps.map((st) => `${st.title} @ ${st.span.file}:${st.span.line}`), ['main ping @ frags/ping.fragment.yaml:2']);
    });
  });

  describe('the editor schema (schema/scenario.schema.json)', function () {
    const schema = JSON.parse(readFileSync(new URL('schema/scenario.schema.json', ROOT), 'utf8')) as Record<string, unknown>;
    const enums: unknown[][] = [];
    const undescribed: string[] = [];
    (function walk(node: unknown, path: string): void {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      const o = node as Record<string, unknown>;
      if (Array.isArray(o.enum)) enums.push(o.enum);
      for (const [k, v] of Object.entries((o.properties as Record<string, { description?: string }> | undefined) ?? {})) if (!v.description) undescribed.push(`${path}.${k}`);
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    })(schema, '');
    const has = (value: string) => enums.some((e) => e.includes(value));

    it('completes request and admin verbs, plugins, transports, event handlers, loggers and error names', function () {
      for (const value of ['attach', 'trickle', 'list_sessions', 'janus.plugin.videoroom', 'wss', 'janus.eventhandler.sampleevh', 'janus.logger.jsonlog', 'SESSION_NOT_FOUND', 'VIDEOROOM_NO_SUCH_ROOM', 'webrtcup']) {
        assert.ok(has(value), `no enum offers ${value}`);
      }
    });

    it('describes every key', function () {
      assert.deepEqual(undescribed, []);
    });

    it('rejects a misspelt plugin, transport, event handler or logger, as the loader does', function () {
      const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
      const base = { name: 'x', steps: [{ request: 'ping' }] };
      assert.ok(validate({ ...base, requires: { plugins: ['janus.plugin.echotest'], transports: ['http'] } }), JSON.stringify(validate.errors));
      for (const requires of [{ plugins: ['janus.plugin.videorom'] }, { transports: ['htp'] }, { eventhandlers: ['janus.eventhandler.samplevh'] }, { loggers: ['janus.logger.jsonlogs'] }]) {
        assert.ok(!validate({ ...base, requires }), JSON.stringify(requires));
      }
    });
  });

  describe('the JSON Schema (janus-scenarios schema)', function () {
    it('prints what the step kinds make now, not a stale copy (the command prints the file the build wrote)', function () {
      const module = new URL('dist/src/compile/scenario-schema.js', ROOT).href;
      for (const [flag, make] of [[[], 'scenarioSchema'], [['--fragment'], 'fragmentSchema']] as const) {
        // Computed in a process of its own: this one may have registered test step kinds.
        const computed = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(module)}); process.stdout.write(JSON.stringify(m.${make}(), null, 2) + '\\n');`], { encoding: 'utf8' });
        assert.equal(execFileSync(process.execPath, [CLI, 'schema', ...flag], { encoding: 'utf8' }), computed, `schema ${flag.join(' ')}`);
      }
    });

    for (const variant of [[], ['--fragment']]) {
      it(`schema ${variant.join(' ')}prints JSON that ajv's Ajv2020 compiles in strict mode`, function () {
        const out = execFileSync(process.execPath, [CLI, 'schema', ...variant], { encoding: 'utf8' });
        const schema = JSON.parse(out) as Record<string, unknown>;
        assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
        const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
        const validate = ajv.compile(schema);
        if (variant.length === 0) {
          const ping = parseYaml(
            'name: ping\ntags: [core]\nrequires: { plugins: [janus.plugin.echotest] }\nsteps:\n  - request: ping\n    expect: { janus: pong, transaction: "${transaction}" }\n  - request: create\n    save: { sid: data.id }\n  - wait: { janus: event }\n    within: 2s\n  - include: x.fragment.yaml\n    with: { a: 1 }\n',
          );
          assert.ok(validate(ping), JSON.stringify(validate.errors));
          assert.ok(!validate({ name: 'x', steps: [{ request: 'ping', expct: {} }] }), 'an unknown step key is rejected');
          assert.ok(!validate({ name: 'x', steps: [{ request: 'ping', wait: {} }] }), 'two kinds in one step are rejected');
          assert.ok(!validate({ name: 'x', steps: [] }), 'empty steps are rejected');
          assert.ok(!validate({ steps: [{ request: 'ping' }] }), 'a missing name is rejected');
          assert.ok(!validate({ name: 'x', timeout: '10 seconds', steps: [{ request: 'ping' }] }), 'a bad duration is rejected');
        } else {
          assert.ok(validate({ params: { room: null }, steps: [{ request: 'ping' }] }), JSON.stringify(validate.errors));
          assert.ok(!validate({ name: 'x', steps: [{ request: 'ping' }] }), 'a fragment has no name');
        }
      });
    }
  });
});
