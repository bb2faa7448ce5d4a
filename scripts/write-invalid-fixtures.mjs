// Writes test/fixtures/invalid/generated/: broken scenario and fragment files, one problem each,
// with a `# expect: line:col text` header computed from a ^^ marker placed where the problem is.
// Special files (pipes, devices, symlink loops, huge and deep files) are made by the test itself.
// Run: node scripts/write-invalid-fixtures.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

const dir = new URL('../test/fixtures/invalid/generated/', import.meta.url);
const cases = [];
/** body: text with ^^ where the problem is; bytes: optional transform of the encoded body. */
const c = (name, text, body, options = {}) => cases.push({ name, text, body, ...options });
const scenario = (steps, head = '') => `name: generated\n${head}steps:\n${steps}`;

// --- YAML syntax, and what the parser accepts but a scenario cannot use ---
c('yaml-unclosed-double-quote', 'never closed', scenario('  - request: ^^"ping\n    expect: { janus: pong }\n  - request: ping\n'));
c('yaml-unclosed-single-quote', 'never closed', scenario("  - request: ^^'ping\n  - request: ping\n"));
c('yaml-unclosed-quote-with-escaped-quote', 'never closed', scenario('  - request: { janus: ping, x: ^^"a \\" b }\n'));
c('yaml-stray-closing-bracket', 'invalid YAML', scenario('  - request: ping\n^^]\n'));
c('yaml-duplicate-root-key', 'Map keys must be unique', 'name: a\n^^name: b\nsteps:\n  - request: ping\n');
c('yaml-duplicate-step-key', 'Map keys must be unique', scenario('  - request: ping\n    ^^request: info\n'));
c('yaml-duplicate-pattern-key', 'Map keys must be unique', scenario('  - request: ping\n    expect: { janus: pong, ^^janus: ack }\n'));
c('yaml-tab-in-indentation', 'a tab in the indentation', scenario('  - request: ping\n^^\texpect: { janus: pong }\n'));
c('yaml-two-documents', 'multiple documents', scenario('  - request: ping\n^^---\nname: second\n'));
c('yaml-undefined-alias', 'refers to no anchor', scenario('  - request: ping\n    expect: ^^*nowhere\n'));
c('yaml-alias-before-anchor', 'refers to no anchor', scenario('  - request: ^^*later\n  - request: &later ping\n'));
c('yaml-alias-cycle', 'a cycle', 'name: cycle\nvariables:\n  a: &a [1, ^^*a]\nsteps:\n  - request: ping\n');
c('yaml-alias-bomb', 'aliases expand to too many nodes', `name: bomb\nvariables:\n  a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nsteps:\n  - request: ping\n`, { at: [4, 10] });
c('yaml-unknown-tag', 'Unresolved tag', 'name: ^^!foo x\nsteps:\n  - request: ping\n');
c('yaml-binary-tag', 'is not allowed', scenario('  - request: { janus: ping, x: ^^!!binary aGVsbG8= }\n'));
c('yaml-set-tag', 'is not allowed', scenario('  - request: { janus: ping, x: ^^!!set { a } }\n'));
c('yaml-timestamp-tag', 'is not allowed', scenario('  - request: { janus: ping, x: ^^!!timestamp 2001-12-14 }\n'));
c('yaml-version-9', 'Unsupported YAML version', '%YAML ^^9.9\n---\nname: x\nsteps:\n  - request: ping\n');
c('yaml-keys-collide-as-text', 'the same key as an earlier one', scenario('  - request: { janus: message, body: { 1: a, ^^"1": b } }\n'));
c('yaml-null-key-collides', 'the same key as an earlier one', scenario('  - request: { janus: message, body: { "": a, ^^~: b } }\n'));
c('yaml-collection-key', 'a key must be a plain value', scenario('  - request: { janus: ping, ^^[a, b]: 1 }\n'));
c('yaml-complex-key', 'a key must be a plain value', scenario('  - request:\n      janus: ping\n      ? ^^{ a: 1 }\n      : 2\n'));
c('yaml-infinity', 'not a finite number', scenario('  - request: { janus: ping, x: ^^.inf }\n'));
c('yaml-nan', 'not a finite number', scenario('  - request: { janus: ping, x: ^^.nan }\n'));
c('yaml-float-overflow', 'not a finite number', scenario('  - request: { janus: ping, x: ^^1e400 }\n'));
c('yaml-integer-too-large', 'too large to be read exactly', scenario('  - request: { janus: message, body: { room: ^^12345678901234567890 } }\n'));
c('yaml-deep-flow', 'nests more than 64 levels', scenario(`  - request: { janus: ping, x: ${'['.repeat(70)}1${']'.repeat(70)} }\n`), { at: [3, 32 + 60] });
c('yaml-very-deep-flow', 'nests too deeply', scenario(`  - request: { janus: ping, x: ${'['.repeat(5000)}1${']'.repeat(5000)} }\n`), { at: [3, 1], loose: true });
c('yaml-deep-block', 'nests more than 64 levels', `name: deep\nvariables:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\nsteps:\n  - request: ping\n`, { at: [66, 129] });
c('yaml-bad-escape', 'invalid YAML', scenario('  - request: { janus: ping, x: "a^^\\q" }\n'));
c('yaml-block-scalar-bad-indent', 'invalid YAML', 'name: x\ndescription: |\n    line one\n^^  line two\nsteps:\n  - request: ping\n', { loose: true });
c('yaml-unclosed-flow-map', 'invalid YAML', scenario('  - request: ^^{ janus: ping\n  - request: ping\n'), { loose: true });
c('yaml-mapping-in-sequence-item', 'invalid YAML', scenario('  - request: ping\n    ^^- expect: { janus: pong }\n'), { loose: true });
c('yaml-directive-without-document', 'invalid YAML', '%YAML 1.2\n^^name: x\nsteps:\n  - request: ping\n', { loose: true });

// --- Encodings and bytes ---
c('bytes-latin1', 'not valid UTF-8', 'name: caf^^\u00e9 latin\nsteps:\n  - request: ping\n', { latin1: true });
c('bytes-windows-1252-quote', 'not valid UTF-8', 'name: ^^\u0093quoted\u0094\nsteps:\n  - request: ping\n', { latin1: true });
c('bytes-truncated-utf8', 'cut short at the end', 'name: x\nsteps:\n  - request: ping\n# caf^^\u00c3', { latin1: true });
c('bytes-overlong-utf8', 'not valid UTF-8', 'name: ^^\u00c0\u00af\nsteps:\n  - request: ping\n', { latin1: true });
c('bytes-encoded-surrogate', 'not valid UTF-8', 'name: x^^\u00ed\u00a0\u0080\nsteps:\n  - request: ping\n', { latin1: true });
c('bytes-nul', 'U+0000 (NUL)', 'name: a^^\u0000b\nsteps:\n  - request: ping\n');
c('bytes-bel', 'U+0007 (BEL)', scenario('  - request: { janus: ping, x: "a^^\u0007" }\n'));
c('bytes-escape', 'U+001B (ESC)', scenario('  - request: ping\n    name: "^^\u001b[31mred"\n'));
c('bytes-del', 'U+007F (DEL)', 'name: x^^\u007f\nsteps:\n  - request: ping\n');
c('bytes-c1-control', 'U+0090', 'name: x^^\u0090\nsteps:\n  - request: ping\n');
c('bytes-noncharacter', 'U+FFFE', 'name: x^^\ufffe\nsteps:\n  - request: ping\n');
c('key-no-break-space-indent', 'U+00A0 (a no-break space) at character 1', 'name: x\nsteps:\n^^\u00a0 - request: ping\n');
c('key-zero-width-space', 'U+200B (a zero-width space) at character 1', scenario('  - ^^\u200brequest: ping\n'));
c('key-no-break-space-in-step', 'U+00A0 (a no-break space) at character 7', scenario('  - request: ping\n    ^^expect\u00a0: { janus: pong }\n'));
c('bytes-utf16', 'UTF-16', '\ufeffname: x\n', { utf16: true, at: [1, 1], noHeader: true });
c('bytes-utf16le-without-bom', 'UTF-16 without a byte order mark', 'name: x\nsteps:\n  - request: ping\n', { utf16: 'le-without-bom', at: [1, 1], noHeader: true });
c('bytes-utf16be-without-bom', 'UTF-16 without a byte order mark', 'name: x\nsteps:\n  - request: ping\n', { utf16: 'be-without-bom', at: [1, 1], noHeader: true });
c('bytes-binary-png', 'not valid UTF-8', '\u0089PNG\r\n\u001a\n', { latin1: true, at: [1, 1], noHeader: true });
c('line-ends-cr-only', 'unknown key "expct"', 'name: cr\rsteps:\r  - request: ping\r    ^^expct: { janus: pong }\r', { cr: true });
c('line-ends-crlf', 'unknown key "expct"', 'name: crlf\r\nsteps:\r\n  - request: ping\r\n    ^^expct: { janus: pong }\r\n', { crlf: true });
c('long-line', 'unknown placeholder', scenario(`  - request: { janus: ping, x: "${'a'.repeat(40_000)}^^\${nope}" }\n`));

// --- Wrong types and values, at every level ---
c('root-is-list', 'should be an object', '^^- name: x\n');
c('root-is-scalar', 'should be an object', '^^just some text\n');
c('root-empty', 'the file holds no scenario', '# nothing but a comment\n', { at: [0, 1] });
c('name-number', 'should be a string', 'name: ^^42\nsteps:\n  - request: ping\n');
c('name-empty', 'name', 'name: ^^""\nsteps:\n  - request: ping\n');
c('name-null', 'should be a string', 'name:^^\nsteps:\n  - request: ping\n', { at: [1, 6], loose: true });
c('description-list', 'should be a string', 'name: x\ndescription: ^^[a]\nsteps:\n  - request: ping\n');
c('tags-string', 'should be an array', 'name: x\ntags: ^^core\nsteps:\n  - request: ping\n');
c('tags-number', 'should be a string', 'name: x\ntags: [^^1]\nsteps:\n  - request: ping\n');
c('tags-duplicate', 'twice', 'name: x\ntags: [a, ^^a]\nsteps:\n  - request: ping\n');
c('tags-bad-name', 'a name made of letters', 'name: x\ntags: [^^"two words"]\nsteps:\n  - request: ping\n');
c('requires-list', 'should be an object', 'name: x\nrequires: ^^[janus.plugin.echotest]\nsteps:\n  - request: ping\n');
c('requires-unknown-key', 'unknown key "plugin"', 'name: x\nrequires: { ^^plugin: [janus.plugin.echotest] }\nsteps:\n  - request: ping\n');
c('requires-plugins-string', 'should be an array', 'name: x\nrequires: { plugins: ^^janus.plugin.echotest }\nsteps:\n  - request: ping\n');
c('requires-plugin-typo', 'did you mean "janus.plugin.videoroom"', 'name: x\nrequires: { plugins: [^^janus.plugin.videorom] }\nsteps:\n  - request: ping\n');
c('requires-plugin-unknown', 'should be one of', 'name: x\nrequires: { plugins: [^^janus.plugin.nosuch] }\nsteps:\n  - request: ping\n');
c('requires-plugin-short-name', 'did you mean', 'name: x\nrequires: { plugins: [^^echotest] }\nsteps:\n  - request: ping\n', { loose: true });
c('requires-transport-typo', 'did you mean "http"', 'name: x\nrequires: { transports: [^^htpp] }\nsteps:\n  - request: ping\n');
c('requires-transport-unknown', 'should be one of "http"', 'name: x\nrequires: { transports: [^^smtp] }\nsteps:\n  - request: ping\n');
c('requires-transports-empty', 'is empty', 'name: x\nrequires: { transports: ^^[] }\nsteps:\n  - request: ping\n');
c('requires-media-string', 'should be a boolean', 'name: x\nrequires: { media: ^^yes please }\nsteps:\n  - request: ping\n');
c('requires-exclusive-number', 'should be a boolean', 'name: x\nrequires: { exclusive: ^^1 }\nsteps:\n  - request: ping\n');
c('requires-janus-list', 'should be an object', 'name: x\nrequires: { janus: ^^[a] }\nsteps:\n  - request: ping\n');
c('requires-janus-bad-key', 'is not a valid name', 'name: x\nrequires: { janus: { ^^"Session Timeout": 5 } }\nsteps:\n  - request: ping\n');
c('requires-eventhandler-typo', 'did you mean "janus.eventhandler.sampleevh"', 'name: x\nrequires: { eventhandlers: [^^janus.eventhandler.samplevh] }\nsteps:\n  - request: ping\n');
c('requires-eventhandler-map-typo', 'did you mean "janus.eventhandler.wsevh"', 'name: x\nrequires: { eventhandlers: { ^^janus.eventhandler.wsehv: { enabled: true } } }\nsteps:\n  - request: ping\n');
c('requires-logger-typo', 'did you mean "janus.logger.jsonlog"', 'name: x\nrequires: { loggers: [^^janus.logger.jsonlogs] }\nsteps:\n  - request: ping\n');
c('variables-list', 'should be an object', 'name: x\nvariables: ^^[a]\nsteps:\n  - request: ping\n');
c('variables-bad-name', 'is not a valid name', 'name: x\nvariables: { ^^"a.b": 1 }\nsteps:\n  - request: ping\n');
for (const name of ['session', 'transaction', 'last', 'env', 'handles']) {
  c(`variables-reserved-${name.replace(/_/g, '')}`, `"${name}" cannot be a variable name: \${${name}} already means something`, `name: x\nvariables:\n  ^^${name}: 1\nsteps:\n  - request: ping\n`);
}
// The reason for these is the language's, not the engine's: every object has a member of that name.
for (const name of ['constructor', '__proto__']) {
  c(`variables-reserved-${name.replace(/_/g, '')}`, `"${name}" cannot be a variable name: every JavaScript object has a member of that name`, `name: x\nvariables:\n  ^^${name}: 1\nsteps:\n  - request: ping\n`);
}
c('secrets-string', 'should be an array', 'name: x\nsecrets: ^^pin\nsteps:\n  - request: ping\n');
c('secrets-unknown', 'is not a variable or a saved value', 'name: x\nvariables: { pin: 1 }\nsecrets: [^^pim]\nsteps:\n  - request: ping\n');
c('clients-empty', 'is empty', 'name: x\nclients: ^^[]\nsteps:\n  - request: ping\n');
c('clients-duplicate', 'twice', 'name: x\nclients: [a, ^^a]\nsteps:\n  - request: ping\n');
c('clients-reserved', '"last" cannot be a client name', 'name: x\nclients: [a, ^^last]\nsteps:\n  - request: ping\n');
c('keepalive-zero', 'no time at all', 'name: x\nkeepalive: ^^0\nsteps:\n  - request: ping\n');
c('keepalive-zero-string', 'no time at all', 'name: x\nkeepalive: ^^0ms\nsteps:\n  - request: ping\n');
c('keepalive-word', 'a duration', 'name: x\nkeepalive: ^^often\nsteps:\n  - request: ping\n');
c('keepalive-negative', 'a duration', 'name: x\nkeepalive: ^^-1\nsteps:\n  - request: ping\n');
c('keepalive-huge', 'longest timer', 'name: x\nkeepalive: ^^2147483648\nsteps:\n  - request: ping\n');
c('timeout-zero', 'no time at all', 'name: x\ntimeout: ^^0\nsteps:\n  - request: ping\n');
c('timeout-fraction-number', 'a duration', 'name: x\ntimeout: ^^1.5\nsteps:\n  - request: ping\n');
c('timeout-huge-string', 'longest timer', 'name: x\ntimeout: ^^99999999s\nsteps:\n  - request: ping\n');
c('steps-map', 'should be an array', 'name: x\nsteps: ^^{ request: ping }\n');
c('steps-null', 'should be an array', 'name: x\nsteps:^^\n', { at: [2, 7], loose: true });
c('step-string', 'should be an object', 'name: x\nsteps:\n  - ^^ping\n', { loose: true });
c('step-list', 'should be an object', 'name: x\nsteps:\n  - ^^[request, ping]\n', { loose: true });
c('step-unknown-kind', 'unknown step kind', 'name: x\nsteps:\n  - ^^reqest: ping\n');
c('step-two-kinds', 'exactly one kind', 'name: x\nsteps:\n  - request: ping\n    ^^wait: { janus: event }\n');
c('cleanup-string', 'should be an array', 'name: x\nsteps:\n  - request: ping\ncleanup: ^^destroy\n');
c('request-number', 'request', scenario('  - request: ^^42\n'));
c('request-empty-string', 'request', scenario('  - request: ^^""\n'));
c('request-expect-string', 'should be an object', scenario('  - request: ping\n    expect: ^^pong\n'));
c('request-expect-list', 'should be an object', scenario('  - request: ping\n    expect: ^^[pong]\n'));
c('request-exact-string', 'should be a boolean', scenario('  - request: ping\n    exact: ^^yes\n'));
c('request-save-list', 'should be an object', scenario('  - request: create\n    save: ^^[data.id]\n'));
c('request-save-bad-path', 'a path into the message', scenario('  - request: create\n    save: { sid: ^^"data..id" }\n'));
c('request-save-reserved', '"session" cannot be a saved value', scenario('  - request: create\n    save: { ^^session: data.id }\n'));
c('request-timeout-zero', 'no time at all', scenario('  - request: ping\n    timeout: ^^0\n'));
c('request-timeout-zero-seconds', 'no time at all', scenario('  - request: ping\n    timeout: ^^0s\n'));
c('request-timeout-too-short', 'no time at all', scenario('  - request: ping\n    timeout: ^^0.1ms\n'));
c('request-timeout-huge', 'longest timer', scenario('  - request: ping\n    timeout: ^^9999999999999\n'));
c('request-at-bad', 'should be one of', scenario('  - request: ping\n    at: ^^everywhere\n'));
c('request-as-reserved', 'cannot name a handle', scenario('  - request: { janus: attach, plugin: janus.plugin.echotest }\n    ^^as: handle\n'), { loose: true });
c('request-unknown-handle', 'no handle named', scenario('  - request: { janus: message, body: {} }\n    handle: ^^nope\n'));
c('request-unknown-client', 'unknown client', scenario('  - request: ping\n    client: ^^bob\n'));
c('wait-string', 'should be an object', scenario('  - wait: ^^event\n'));
c('wait-list', 'should be an object', scenario('  - wait: ^^[event]\n'));
c('wait-number', 'should be an object', scenario('  - wait: ^^1\n'));
c('wait-within-zero', 'no time at all', scenario('  - wait: { janus: event }\n    within: ^^0\n'));
c('wait-within-huge', 'longest timer', scenario('  - wait: { janus: event }\n    within: ^^3000000000\n'));
c('wait-unknown-handle', 'no handle named', scenario('  - wait: { janus: event }\n    handle: ^^nope\n'));
c('no-event-list', 'should be an object', scenario('  - no_event: ^^[a]\n    for: 1s\n'));
c('no-event-string', 'should be an object', scenario('  - no_event: ^^hangup\n    for: 1s\n'));
c('no-event-for-word', 'a duration', scenario('  - no_event: { janus: hangup }\n    for: ^^a while\n'));
c('no-event-for-huge', 'longest timer', scenario('  - no_event: { janus: hangup }\n    for: ^^40000m\n'));
c('sleep-negative', 'a duration', scenario('  - sleep: ^^-5\n'));
c('sleep-hours', 'a duration', scenario('  - sleep: ^^1h\n'));
c('sleep-huge', 'longest timer', scenario('  - sleep: ^^9999999999999\n'));
c('admin-number', 'admin', scenario('  - admin: ^^7\n'));
c('raw-object', 'should be a string', scenario('  - raw: ^^{ janus: ping }\n'));
c('http-string', 'should be an object', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: ^^/info\n');
c('http-bad-method', 'should be one of', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { method: ^^FETCH }\n');
c('http-path-without-slash', 'starting with / or ?', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { path: ^^info }\n');
c('http-method-lowercase', 'did you mean "POST"', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { method: ^^post }\n');
c('http-header-number', 'should be a string', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { headers: { x-n: ^^1 } }\n');
c('http-without-transports', 'runs only on the http and https', scenario('  - ^^http: { path: /info }\n'));
c('http-with-ws', 'also runs on ws', 'name: x\nrequires: { transports: [http, ws] }\nsteps:\n  - ^^http: { path: /info }\n');
c('http-timeout-zero', 'no time at all', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { path: /info }\n    timeout: ^^0\n');

// --- Placeholders ---
c('placeholder-unclosed', 'not closed', scenario('  - request: { janus: ping, x: "^^${session" }\n'));
c('placeholder-unclosed-after-one', 'not closed', scenario('  - request: { janus: ping, x: "${transaction}-^^${session" }\n'));
c('placeholder-empty', 'not a valid placeholder', scenario('  - request: { janus: ping, x: "^^${}" }\n'));
c('placeholder-space-inside', 'not a valid placeholder', scenario('  - request: { janus: ping, x: "^^${a b}" }\n'));
c('placeholder-unknown', 'unknown placeholder', scenario('  - request: { janus: ping, x: "^^${nope}" }\n'));
c('placeholder-typo-did-you-mean', 'did you mean "${room}"', 'name: x\nvariables: { room: 1 }\nsteps:\n  - request: { janus: ping, x: "^^${rom}" }\n');
c('placeholder-client-field', 'a client has session', 'name: x\nclients: [alice]\nsteps:\n  - request: { janus: ping, x: "^^${alice.sesion}" }\n');
c('placeholder-client-unknown-handle', 'no handle named "nope" for client alice', 'name: x\nclients: [alice]\nsteps:\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: echo\n  - request: { janus: ping, x: "^^${alice.handles.nope}" }\n');
c('placeholder-handle-of-other-client', 'for client bob', 'name: x\nclients: [alice, bob]\nsteps:\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: echo\n  - request: { janus: ping, x: "^^${bob.handles.echo}" }\n');
c('placeholder-handles-unknown', 'no handle named "nope"', scenario('  - request: { janus: ping, x: "^^${handles.nope}" }\n'));
c('placeholder-handles-without-name', 'needs a handle name', scenario('  - request: { janus: ping, x: "^^${handles}" }\n'));
c('placeholder-before-save', 'unknown placeholder', scenario('  - request: { janus: ping, x: "^^${sid}" }\n  - request: create\n    save: { sid: data.id }\n'));
c('placeholder-env-no-name', 'needs a variable name', scenario('  - request: { janus: ping, x: "^^${env}" }\n'));
c('placeholder-in-variable-unknown', 'unknown placeholder', 'name: x\nvariables:\n  a: "^^${b}"\n  b: 1\nsteps:\n  - request: ping\n');
c('placeholder-in-pattern-unclosed', 'not closed', scenario('  - request: ping\n    expect: { transaction: "^^${transaction" }\n'));
c('placeholder-in-http-path', 'unknown placeholder', 'name: x\nrequires: { transports: [http] }\nsteps:\n  - http: { path: "/^^${sid}" }\n');

// --- Patterns ---
c('pattern-unknown-marker', 'unknown marker', scenario('  - request: ping\n    expect: { janus: ^^$strng }\n'));
c('pattern-unknown-operator', 'unknown operator', scenario('  - request: ping\n    expect: { janus: { ^^$regx: pong } }\n'));
c('pattern-bad-regex', 'not a valid regular expression', scenario('  - request: ping\n    expect: { janus: { ^^$regex: "(" } }\n'));
c('pattern-mixed-keys', 'cannot mix', scenario('  - request: ping\n    expect: { janus: { ^^$regex: p, x: 1 } }\n'));
c('pattern-unknown-error-name', 'unknown error name', scenario('  - request: ping\n    expect: { janus: error, error: { code: ^^SESSION_NOT_FUND } }\n'));
c('pattern-in-wait-bad-regex', 'not a valid regular expression', scenario('  - wait: { janus: { ^^$regex: "[" } }\n'));
c('pattern-in-no-event-unknown-marker', 'unknown marker', scenario('  - no_event: { janus: ^^$nope }\n    for: 1s\n'));

// --- Fragments, validated on their own ---
const fragment = (steps, head = '') => `${head}steps:\n${steps}`;
c('fragment-missing-include.fragment', 'cannot include', fragment('  - include: ^^nowhere.fragment.yaml\n'));
c('fragment-unknown-placeholder.fragment', 'unknown placeholder', fragment('  - request: { janus: ping, x: "^^${nope}" }\n', 'params: { room: null }\n'));
c('fragment-bad-regex.fragment', 'not a valid regular expression', fragment('  - request: ping\n    expect: { janus: { ^^$regex: "(" } }\n'));
c('fragment-includes-itself.fragment', 'include cycle', fragment('  - include: ^^fragment-includes-itself.fragment.yaml\n'));
c('fragment-with-name.fragment', 'unknown key "name"', `^^name: not a scenario\n${fragment('  - request: ping\n')}`);
c('fragment-params-list.fragment', 'should be an object', `params: ^^[room]\n${fragment('  - request: ping\n')}`);
c('fragment-param-reserved.fragment', '"session" cannot be a parameter', `params:\n  ^^session: null\n${fragment('  - request: ping\n')}`);
c('fragment-unclosed-placeholder.fragment', 'not closed', fragment('  - request: { janus: ping, x: "^^${room" }\n', 'params: { room: 1 }\n'));
// An empty fragment is said to be one: a fragment needs only steps:, not a scenario's name:.
c('fragment-empty.fragment', 'the file holds no fragment', '# nothing but a comment\n', { at: [0, 1] });
c('fragment-bad-duration.fragment', 'no time at all', fragment('  - wait: { janus: event }\n    within: ^^0\n'));

// --- Includes, from a scenario ---
c('include-number', 'should be', scenario('  - include: ^^5\n'), { loose: true });
c('include-not-yaml', 'a .fragment.yaml file', scenario('  - include: ^^notes.txt\n'));
// A scenario file is no fragment: said at the include, not as "unknown key name" inside the file it names.
c('include-scenario-file', 'a .fragment.yaml file', scenario('  - include: ^^admin-number.yaml\n'));
c('include-missing', 'cannot include', scenario('  - include: ^^no-such.fragment.yaml\n'));
c('include-unknown-param', 'has no parameter "rooom"', scenario('  - include: fragment-unclosed-placeholder.fragment.yaml\n    with: { ^^rooom: 1 }\n'), { loose: true });

// --- Names that are JavaScript object members: never read off a prototype ---
c('include-with-object-member', 'has no parameter "constructor"', scenario('  - include: ../fragments/attach.fragment.yaml\n    with: { plugin: janus.plugin.echotest, ^^constructor: 1 }\n'));
c('include-with-proto', 'has no parameter "toString"', scenario('  - include: ../fragments/attach.fragment.yaml\n    with: { plugin: janus.plugin.echotest, ^^toString: 1 }\n'));
c('include-object-member-placeholder', 'unknown placeholder ${toString}', scenario('  - include: ../fragments/object-member.fragment.yaml\n'), { at: [5, 49], file: '../fragments/object-member.fragment.yaml' });
c('save-proto', '"__proto__" cannot be a saved value\'s name: every JavaScript object has a member of that name', scenario('  - request: create\n    save: { ^^__proto__: data.id }\n'));
c('clients-object-member', '"hasOwnProperty" cannot be a client name: every JavaScript object has a member of that name', 'name: x\nclients: [^^hasOwnProperty]\nsteps:\n  - request: ping\n');
c('request-as-object-member', '"toString" cannot name a handle: every JavaScript object has a member of that name', scenario('  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: ^^toString\n'));

function encode(text, options) {
  if (options.utf16) {
    const le = Buffer.from(text.replace(/^\ufeff/, ''), 'utf16le');
    if (options.utf16 === 'le-without-bom') return le;
    if (options.utf16 === 'be-without-bom') return le.swap16();
    return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  }
  if (options.latin1) return Buffer.from(text, 'latin1');
  return Buffer.from(text, 'utf8');
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const k of cases) {
  let body = k.body;
  let at = k.at;
  if (!at) {
    const i = body.indexOf('^^');
    if (i < 0) throw new Error(`${k.name}: no ^^ marker`);
    if (i >= 0) {
      const before = body.slice(0, i).replace(/\r\n?/g, '\n');
      at = [before.split('\n').length, before.length - before.lastIndexOf('\n')];
    }
  }
  body = body.replace('^^', '');
  const header = k.noHeader ? '' : `# expect: ${k.file ? `${k.file.replace('../', '')}:` : ''}${at[0] + 1}:${at[1]} ${k.text}${k.loose ? '\n# position: line' : ''}\n`;
  const headerLines = k.noHeader ? 0 : header.split('\n').length - 1;
  const fixed = k.noHeader ? '' : k.file ? header.replace(/:(\d+):(\d+) /, (_, l, col) => `:${Number(l) - 1}:${col} `) : header.replace(/^# expect: (\d+):/, (_, l) => `# expect: ${Number(l) - 1 + headerLines}:`);
  const eol = k.cr ? '\r' : k.crlf ? '\r\n' : '\n';
  const file = `${k.name}.yaml`;
  const bytes = Buffer.concat([Buffer.from(fixed.replace(/\n/g, eol)), encode(body, k)]);
  writeFileSync(new URL(file, dir), bytes);
  if (k.noHeader) writeFileSync(new URL(`${file}.expect`, dir), `${at[0]}:${at[1]} ${k.text}\n`);
}
console.log(`${readdirSync(dir).filter((f) => f.endsWith('.yaml')).length} fixtures in ${dir.pathname}`);
