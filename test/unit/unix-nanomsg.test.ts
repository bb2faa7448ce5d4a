import assert from 'node:assert/strict';
import { TransportFault } from '../../src/transports/contract.js';
import { checkNanomsgAddress } from '../../src/transports/nanomsg.js';
import { parseUnixUrl, unixUrl } from '../../src/transports/unix.js';
import { definitionProblem } from '../../src/cli/transport-modules.js';
import { definedTransports, libraryOf } from '../../src/managed/defined-transports.js';
import { getTransport, transportForScheme } from '../../src/transports/registry.js';

const fault = (re: RegExp) => (err: unknown) => err instanceof TransportFault && re.test(err.message) && !err.message.includes('\n');

describe('Unix-socket URLs', () => {
  it('reads the path and the socket type (SEQPACKET by default)', () => {
    assert.deepEqual(parseUnixUrl('unix:///run/janus/api.sock'), { path: '/run/janus/api.sock', type: 'seqpacket' });
    assert.deepEqual(parseUnixUrl('unix:///run/janus/api.sock?type=dgram'), { path: '/run/janus/api.sock', type: 'dgram' });
    assert.deepEqual(parseUnixUrl('unix:///run/janus/api.sock?type=SOCK_DGRAM'), { path: '/run/janus/api.sock', type: 'dgram' });
    assert.deepEqual(parseUnixUrl('unix:///tmp/a%20b/api.sock'), { path: '/tmp/a b/api.sock', type: 'seqpacket' });
  });

  it('round-trips paths through unixUrl', () => {
    for (const path of ['/tmp/x/api.sock', '/tmp/a b/%weird#/api.sock']) {
      for (const type of ['seqpacket', 'dgram'] as const) assert.deepEqual(parseUnixUrl(unixUrl(path, type)), { path, type });
    }
  });

  const bad: Array<[string, RegExp]> = [
    ['unix://host/api.sock', /names a host; use unix:\/\/\/absolute\/path/],
    ['unix:///', /has no socket path/],
    ['unix:///x.sock?type=stream', /unknown type "stream"/],
    ['not a url', /invalid URL/],
    ['http:///x.sock', /http: URL given/],
  ];
  for (const [url, reason] of bad) {
    it(`refuses ${url} with a one-line fault`, () => assert.throws(() => parseUnixUrl(url), fault(reason)));
  }
});

describe('Nanomsg addresses', () => {
  it('accepts tcp://host:port without touching the network', () => {
    assert.equal(checkNanomsgAddress('tcp://127.0.0.1:5555'), 'tcp://127.0.0.1:5555');
    assert.equal(checkNanomsgAddress('tcp://[::1]:5555'), 'tcp://[::1]:5555');
  });
  const bad: Array<[string, RegExp]> = [
    ['tcp://127.0.0.1', /expected tcp:\/\/host:port/],
    ['ipc:///nonexistent-folder/api.ipc', /no such socket/],
    ['ipc:///etc/hostname', /not a socket/],
    ['inproc://x', /invalid address/],
  ];
  for (const [url, reason] of bad) {
    it(`refuses ${url} with a one-line fault`, () => assert.throws(() => checkNanomsgAddress(url), fault(reason)));
  }
});

describe('built-in Unix and Nanomsg transports', () => {
  it('are found by name and by scheme, and name their Janus library', () => {
    assert.equal(transportForScheme('unix')?.name, 'unix');
    assert.equal(transportForScheme('ipc')?.name, 'nanomsg');
    assert.equal(transportForScheme('tcp:')?.name, 'nanomsg');
    assert.equal(libraryOf('unix'), 'pfunix');
    assert.equal(libraryOf('nanomsg'), 'nanomsg');
    assert.equal(libraryOf('wss'), 'websockets');
    assert.equal(libraryOf('no-such'), undefined);
  });

  it('give the managed Janus sockets inside its folder, Admin API included', async () => {
    const unix = await getTransport('unix')!.managed!.prepare({ folder: '/tmp/j-x', instanceId: 'x', freePorts: () => Promise.resolve([]) });
    assert.deepEqual(unix.config, {
      general: { enabled: true, json: 'plain', path: '/tmp/j-x/api.sock', type: 'SOCK_SEQPACKET' },
      admin: { admin_enabled: true, admin_path: '/tmp/j-x/admin.sock', admin_type: 'SOCK_SEQPACKET' },
    });
    assert.equal(unix.url, 'unix:///tmp/j-x/api.sock');
    assert.equal(unix.adminUrl, 'unix:///tmp/j-x/admin.sock');
    const nano = await getTransport('nanomsg')!.managed!.prepare({ folder: '/tmp/j-x', instanceId: 'x', freePorts: () => Promise.resolve([]) });
    assert.equal(nano.url, 'ipc:///tmp/j-x/api.ipc');
    assert.equal(nano.config['admin']!['admin_address'], 'ipc:///tmp/j-x/admin.ipc');
  });

  it('know the start-up race lines of their Janus threads', () => {
    assert.ok(getTransport('unix')!.managed!.flakyStart!.test('Unix Sockets thread ended'));
    assert.ok(getTransport('nanomsg')!.managed!.flakyStart!.test('Nanomsg thread ended'));
    assert.ok(!getTransport('nanomsg')!.managed!.flakyStart!.test('Nanomsg thread started'));
  });
});

describe('the managed Janus and transport definitions', () => {
  it('serves listener transports itself and the others through their definitions', () => {
    assert.deepEqual(definedTransports(['http', 'ws', 'unix', 'nanomsg']).map((d) => d.name), ['unix', 'nanomsg']);
  });
  it('refuses unknown transports and ones it cannot serve, in one line', () => {
    assert.throws(() => definedTransports(['nope']), /^JanusStartError: unknown transport 'nope'$/);
  });
});

describe('--transport-module definitions', () => {
  const connect = () => Promise.reject(new Error('unused'));
  it('accepts a complete definition', () => {
    assert.equal(definitionProblem({ name: 'my-t', schemes: ['my-t'], secure: false, connect }), undefined);
  });
  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /default export is null/],
    ['a function', () => undefined, /default export is function/],
    ['no name', { schemes: [], connect }, /needs a name/],
    ['an upper-case name', { name: 'My', schemes: [], connect }, /needs a name/],
    ['schemes with a colon', { name: 'x', schemes: ['x:'], connect }, /schemes must be an array of URL schemes/],
    ['no connect', { name: 'x', schemes: ['x'] }, /connect must be a function/],
    ['a managed part without prepare', { name: 'x', schemes: ['x'], connect, managed: { library: 'pfunix' } }, /managed needs a library name and a prepare function/],
    ['a load that is no function', { name: 'x', schemes: ['x'], connect, load: 'nanomsg' }, /load must be a function when given/],
  ];
  for (const [what, value, reason] of bad) {
    it(`refuses ${what}`, () => assert.match(definitionProblem(value) ?? '', reason));
  }
});
