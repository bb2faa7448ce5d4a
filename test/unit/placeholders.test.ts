import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import { compileTemplate, hasPlaceholder, isValidRef, type PlaceholderRef, type RefChecker } from '../../src/compile/template.js';
import { substituteParams } from '../../src/compile/params.js';
import type { ValueLookup } from '../../src/match/contract.js';
import { ScenarioValues } from '../../src/run/values.js';
import { StepFailure, type Actor } from '../../src/steps/contract.js';

const accept: RefChecker = () => true;

/** A lookup over plain values that records what was asked for. */
function lookup(values: Record<string, unknown>): ValueLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup(ref) {
      asked.push(ref);
      if (!(ref in values)) throw new Error(`no value for ${ref}`);
      return values[ref];
    },
  };
}

/** Compiles with a checker that records every reference it is shown. */
function compileChecked(value: unknown, verdict: (ref: PlaceholderRef) => boolean = () => true) {
  const seen: Array<PlaceholderRef & { path: readonly (string | number)[] }> = [];
  const template = compileTemplate(value, ['request'], (ref, path) => {
    seen.push({ ...ref, path });
    return verdict(ref);
  });
  return { template, seen };
}

describe('placeholders', function () {
  describe('typed resolution', function () {
    it('a string that is exactly one placeholder becomes the value itself: a saved integer stays an integer', function () {
      const t = compileTemplate('${sid}', [], accept);
      const v = t(lookup({ sid: 1234567890123 }));
      assert.equal(v, 1234567890123);
      assert.equal(typeof v, 'number');
    });

    it('booleans, null, objects and arrays keep their type too', function () {
      const t = compileTemplate({ a: '${t}', b: '${n}', c: '${o}', d: ['${l}'] }, [], accept);
      assert.deepEqual(t(lookup({ t: true, n: null, o: { x: [1] }, l: [1, 2] })), { a: true, b: null, c: { x: [1] }, d: [[1, 2]] });
    });

    it('placeholders are resolved inside nested objects and arrays, without touching constants', function () {
      const t = compileTemplate({ janus: 'attach', session_id: '${sid}', body: { list: [1, '${room}', 'x'] } }, [], accept);
      assert.deepEqual(t(lookup({ sid: 7, room: 1234 })), { janus: 'attach', session_id: 7, body: { list: [1, 1234, 'x'] } });
    });

    it('a value without placeholders is returned as it is, and no lookup happens', function () {
      const value = { janus: 'ping', n: 1, list: [true, null] };
      const l = lookup({});
      assert.deepEqual(compileTemplate(value, [], accept)(l), value);
      assert.equal(compileTemplate(3, [], accept)(l), 3);
      assert.equal(compileTemplate(null, [], accept)(l), null);
      assert.equal(compileTemplate('costs 5$', [], accept)(l), 'costs 5$');
      assert.deepEqual(l.asked, []);
    });

    it('spaces inside the braces are ignored', function () {
      assert.equal(compileTemplate('${ sid }', [], accept)(lookup({ sid: 5 })), 5);
    });

    it('dotted references are passed to the lookup whole', function () {
      const l = lookup({ 'alice.session': 11, 'env.HOME': '/root' });
      assert.deepEqual(compileTemplate(['${alice.session}', '${env.HOME}'], [], accept)(l), [11, '/root']);
      assert.deepEqual(l.asked, ['alice.session', 'env.HOME']);
    });
  });

  describe('interpolation', function () {
    it('a placeholder inside a longer string is interpolated as text', function () {
      assert.equal(compileTemplate('room-${room}-x', [], accept)(lookup({ room: 1234 })), 'room-1234-x');
    });

    it('several placeholders in one string', function () {
      assert.equal(compileTemplate('${a}/${b}:${a}', [], accept)(lookup({ a: 'x', b: 2 })), 'x/2:x');
    });

    it('strings are inserted as they are; other values as JSON', function () {
      assert.equal(compileTemplate('s=${s} o=${o} n=${n}', [], accept)(lookup({ s: 'a"b', o: { k: [1] }, n: null })), 's=a"b o={"k":[1]} n=null');
    });

    it('an interpolated integer yields a string', function () {
      const v = compileTemplate('${sid} ', [], accept)(lookup({ sid: 5 }));
      assert.equal(v, '5 ');
    });
  });

  describe('$${ is a literal ${', function () {
    it('"$${sid}" is the text "${sid}" and is not looked up or checked', function () {
      const { template, seen } = compileChecked('$${sid}');
      const l = lookup({});
      assert.equal(template(l), '${sid}');
      assert.deepEqual(seen, []);
      assert.deepEqual(l.asked, []);
    });

    it('mixes with real placeholders', function () {
      const { template, seen } = compileChecked('$${a}-${b}');
      assert.equal(template(lookup({ b: 2 })), '${a}-2');
      assert.deepEqual(seen.map((r) => r.ref), ['b']);
    });

    it('is a ${ in maps and lists with no placeholder too, at any depth (they are constants)', function () {
      const l = lookup({});
      const value = { janus: 'message', body: { request: 'create', description: '$${x}', tags: ['$${y}', 'z'] } };
      assert.deepEqual(compileTemplate(value, [], accept)(l), { janus: 'message', body: { request: 'create', description: '${x}', tags: ['${y}', 'z'] } });
      assert.deepEqual(compileTemplate(['$${x}'], [], accept)(l), ['${x}']);
      assert.deepEqual(l.asked, []);
    });

    it('is a ${ in a constant map beside one with a placeholder', function () {
      const t = compileTemplate({ session_id: '${sid}', body: { description: '$${x}' } }, [], accept);
      assert.deepEqual(t(lookup({ sid: 7 })), { session_id: 7, body: { description: '${x}' } });
    });
  });

  describe('compile-time checks', function () {
    it('the checker sees every reference with its offset, width and path', function () {
      const { seen } = compileChecked({ body: { room: 'ab${room}', list: ['${ x.y }'] } });
      assert.deepEqual(seen.map(({ ref, offset, width, path }) => ({ ref, offset, width, path })), [
        { ref: 'room', offset: 2, width: 7, path: ['request', 'body', 'room'] },
        { ref: 'x.y', offset: 0, width: 8, path: ['request', 'body', 'list', 0] },
      ]);
    });

    it('a rejected reference leaves the string as written (the diagnostic is the checker\'s job)', function () {
      const { template } = compileChecked('a-${nope}', () => false);
      assert.equal(template(lookup({})), 'a-${nope}');
    });

    it('isValidRef accepts names and dotted fields, and rejects the rest', function () {
      for (const ok of ['sid', 'a_b-c', 'env.HOME', 'alice.handles.echo', 'last.data.id', '_x']) assert.ok(isValidRef(ok), ok);
      for (const bad of ['', 'a b', '1abc', 'a.', '.a', 'a..b', 'a[0]', 'a-${b}']) assert.ok(!isValidRef(bad), bad);
    });

    it('hasPlaceholder', function () {
      assert.ok(hasPlaceholder('x${a}'));
      assert.ok(!hasPlaceholder('x$a'));
    });
  });

  describe('fragment parameters (substituteParams)', function () {
    it('a whole-string parameter becomes its typed value; others are interpolated; unknown ones are left alone', function () {
      const out = substituteParams({ room: '${room}', desc: 'room ${room}', later: '${sid}', list: ['${flag}'] }, { room: 1234, flag: false });
      assert.deepEqual(out, { room: 1234, desc: 'room 1234', later: '${sid}', list: [false] });
    });
    it('a path into a parameter reads the field, as ${name.path} does at run time', function () {
      // Each was left for run time before, where the parameter is no name: a load error.
      const obj = { n: 60, list: [{ room: 7 }] };
      const out = substituteParams({ a: '${obj.n}', b: '${obj.list.0.room}', c: '${obj.list[0].room}', d: 'n=${obj.n}', e: '${obj.nope}' }, { obj });
      assert.deepEqual(out, { a: 60, b: 7, c: 7, d: 'n=60', e: '${obj.nope}' });
    });
    it('$${ stays the escape of a literal ${, also before a parameter\'s name', function () {
      // "$${t}" became "$60" before: an unknown marker, or other text than written.
      assert.deepEqual(substituteParams({ a: '$${t}', b: 'x $${t} ${t}' }, { t: 60 }), { a: '$${t}', b: 'x $${t} 60' });
    });
  });

  describe('unresolved at run time', function () {
    const actor: Actor = { name: 'main', handles: new Map() };
    const values = new ScenarioValues((n) => (n === 'main' ? actor : undefined), 'http', {});
    values.saved.set('room', { id: 1234, list: [{ name: 'a' }] });

    function failure(ref: string, transaction?: string): StepFailure {
      const t = compileTemplate(`\${${ref}}`, [], accept);
      try {
        t(values.lookupFor(actor, transaction));
      } catch (e) {
        assert.ok(e instanceof StepFailure, `expected a StepFailure, got ${String(e)}`);
        return e;
      }
      assert.fail(`\${${ref}} resolved`);
    }

    it('saved values and paths into them resolve', function () {
      assert.equal(compileTemplate('${room.id}', [], accept)(values.lookupFor(actor)), 1234);
      assert.equal(compileTemplate('${room.list[0].name}', [], accept)(values.lookupFor(actor)), 'a');
      assert.equal(compileTemplate('${transport}', [], accept)(values.lookupFor(actor)), 'http');
      assert.equal(compileTemplate('${transaction}', [], accept)(values.lookupFor(actor, 'tx1')), 'tx1');
    });

    it('a path that does not exist in a saved value', function () {
      const e = failure('room.nope');
      assert.equal(e.kind, 'assertion');
      assert.equal(e.summary, '${room.nope} has no value: that path does not exist');
    });

    it('a client with no session or handle yet', function () {
      assert.equal(failure('session').summary, '${session} has no value: client main has no session yet');
      assert.equal(failure('main.handle').summary, '${main.handle} has no value: client main has no handle yet');
      assert.equal(failure('handles.echo').summary, '${handles.echo} has no value: client main has no handle named "echo"');
    });

    it('${transaction} before any request', function () {
      assert.equal(failure('transaction').summary, '${transaction} has no value: no request has been sent yet');
    });

    it('${transaction} after a request sent without one: not "no request has been sent"', function () {
      values.last = { reply: { janus: 'pong' }, transaction: undefined };
      try {
        assert.equal(failure('transaction').summary, '${transaction} has no value: the last request was sent without a transaction (transaction: null, not a string, or raw text without one)');
      } finally {
        values.last = {};
      }
    });

    it('a name nothing was saved under (e.g. its step did not run)', function () {
      const e = failure('sid');
      assert.match(e.summary, /^\$\{sid\} has no value/);
    });
  });
});

/**
 * Placeholders are resolved in values, never in keys: `body: { "${k}": true }` sent the key
 * `${k}` as written, and a pattern `{ "x${k}": $absent }` looked for that text and passed on
 * every message. Such a key is a load error at its own position.
 */
describe('a placeholder in a key', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'key-placeholders-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problems(text: string): string[] {
    writeFileSync(join(dir, 's.yaml'), text);
    return loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false }).diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
  }

  it('is a load error in a request, a pattern and a variable, at the key', function () {
    const found = problems([
      'name: x',
      'variables: { k: audio, o: { "${k}": 1 } }',
      'steps:',
      '  - request: { janus: info, body: { "${k}": true } }',
      '  - request: info',
      '    expect: { janus: server_info, plugins: { "x${k}": $absent } }',
      '  - wait: { janus: event, plugindata: { "${k}": $present } }',
      '',
    ].join('\n'));
    assert.deepEqual(found.map((p) => p.replace(/ .*/, '')), ['2:29', '4:37', '6:46', '7:41']);
    for (const p of found) assert.match(p, /a placeholder in a key is not resolved/);
  });

  it('a literal $${ in a key, and placeholders in values, load as before', function () {
    assert.deepEqual(problems([
      'name: x',
      'variables: { k: audio }',
      'steps:',
      '  - request: info',
      '    expect: { janus: server_info, "$${k}": $absent, name: "${k}" }',
      '',
    ].join('\n')), []);
  });
});

