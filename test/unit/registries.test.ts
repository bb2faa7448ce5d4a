import assert from 'node:assert/strict';
import { Registry } from '../../src/core/registry.js';
import { registerOperator } from '../../src/match/registry.js';
import type { StepKind } from '../../src/steps/contract.js';
import { getStepKind, registerStepKind } from '../../src/steps/registry.js';
import { BUILTIN_TRANSPORTS } from '../../src/transports/builtin.js';
import { getTransport, registerBuiltinTransports, registerTransport } from '../../src/transports/registry.js';
import { runRegistryProbes, type Probes } from '../support/registry-probes.js';

describe('registries: one registration rule', () => {
  let probes: Partial<Probes> = {};
  before(async () => {
    probes = await runRegistryProbes();
  });

  describe('Registry', () => {
    const make = () => new Registry<{ name: string }>('widget', (w) => w.name, () => [{ name: 'a' }, { name: 'b' }]);

    it('has its built-ins from the first use on, registered by one call that may be made again', () => {
      const r = make();
      assert.deepEqual(r.names(), ['a', 'b']);
      r.registerBuiltins();
      r.register({ name: 'c' });
      r.registerBuiltins();
      assert.deepEqual(r.names(), ['a', 'b', 'c']);
    });

    it('refuses a name registered twice, a built-in one too, and says what and which', () => {
      const r = make();
      assert.throws(() => r.register({ name: 'a' }), /^Error: widget "a" is already registered/);
      r.register({ name: 'c' });
      assert.throws(() => r.register({ name: 'c' }), /widget "c" is already registered/);
      assert.deepEqual(r.names(), ['a', 'b', 'c'], 'a refused registration changes nothing');
    });

    it('refuses a built-in name even when nothing was looked up before', () => {
      assert.throws(() => make().register({ name: 'b' }), /widget "b" is already registered/);
    });

    it('changes its version on each registration, not on lookups', () => {
      const r = make();
      const before = r.version;
      r.get('a');
      r.names();
      assert.equal(r.version, before);
      r.register({ name: 'c' });
      assert.notEqual(r.version, before);
    });
  });

  describe('a name registered twice is an error', () => {
    it('step kinds', () => {
      const copy: StepKind = { ...getStepKind('request')! };
      assert.throws(() => registerStepKind(copy), /step kind "request" is already registered/);
      assert.notEqual(getStepKind('request'), copy);
    });

    it('operators', () => {
      assert.throws(() => registerOperator({ name: '$regex', summary: 'another', compile: () => undefined }), /operator "\$regex" is already registered/);
      assert.throws(() => registerOperator({ name: 'regex2', summary: 'no $', compile: () => undefined }), /operator names start with \$/);
    });

    it('transports (registering the built-ins again is not a duplicate)', () => {
      registerBuiltinTransports();
      assert.throws(() => registerTransport({ ...BUILTIN_TRANSPORTS[0]! }), /transport "http" is already registered/);
      assert.equal(getTransport('http'), BUILTIN_TRANSPORTS[0]);
    });

    it('a user item registered twice, and a built-in name taken before any built-in was used', () => {
      const messages = probes.duplicates!;
      assert.match(messages[0] ?? 'no error', /step kind "sleep" is already registered/);
      assert.match(messages[1] ?? 'no error', /step kind "probe" is already registered/);
      assert.match(messages[2] ?? 'no error', /transport "late" is already registered/);
      assert.match(messages[3] ?? 'no error', /operator "\$even" is already registered/);
    });
  });

  describe('registering after files were loaded', () => {
    it('a step kind: validated and compiled like a built-in one (refused before, checked after)', () => {
      const r = probes.stepKind!;
      assert.deepEqual(r.builtin, { diagnostics: [], steps: ['sleep'] });
      assert.match(r.before!.diagnostics.join('\n'), /^3:5 unknown step kind "probe"/);
      assert.deepEqual(r.after, { diagnostics: [], steps: ['probe'] });
      // Built to fail when the late kind's schema is not applied: these must be refused.
      assert.deepEqual(r.wrongType!.steps, []);
      assert.match(r.wrongType!.diagnostics.join('\n'), /^3:17 .*"probe\.n" should be an integer, not a string/);
      assert.deepEqual(r.unknownKey!.steps, []);
      assert.match(r.unknownKey!.diagnostics.join('\n'), /unknown key "m" in "probe"/);
    });

    it('a transport: `requires.transports` may name it', () => {
      const r = probes.transport!;
      assert.match(r.before!.diagnostics.join('\n'), /should be one of "http", "https", "ws", "wss", "unix", "nanomsg"; got "late"/);
      assert.deepEqual(r.after!.diagnostics, []);
      assert.deepEqual(r.names, ['http', 'https', 'ws', 'wss', 'unix', 'nanomsg', 'late']);
    });

    it('a step kind whose schema does not compile: an error naming the kind', () => {
      assert.match(probes.brokenSchema ?? 'no error', /^step kind "broken" has a schema ajv cannot compile in strict mode: /);
    });

    it('an operator: patterns may use it', () => {
      const r = probes.operator!;
      assert.match(r.before!.diagnostics.join('\n'), /unknown operator \$even/);
      assert.deepEqual(r.after!.diagnostics, []);
    });
  });
});
