/**
 * Scenarios built to fail, each with the step that must fail (marked `# fails`) and what its
 * failure must say. Every one runs against a real Janus (EchoTest) over each transport: one that
 * passes is a false pass. A case is a title, its steps (after a session and an EchoTest handle,
 * `${handle}`) and a pattern for the failure's summary.
 */
export interface FailingCase {
  title: string;
  steps: string;
  why: RegExp;
  /** Top-level keys before `steps:` (variables). */
  head?: string;
}

const ECHO = '  - request: { janus: message, body: { audio: true } }\n';
const ECHO_ACKED = `${ECHO}    expect: { janus: ack }\n`;
const REFUSED = '  - request: { janus: message, body: {} }\n';
const ATTACH_NOWHERE = '  - request: { janus: attach, plugin: janus.plugin.echotest, session_id: 1 }\n';
const HANDLES = '  - admin: { janus: list_handles, session_id: "${session}" }\n';
const info = (expect: string): string => `  - request: info  # fails\n    expect: ${expect}\n`;
const echo = (expect: string): string => `${ECHO.replace('\n', '  # fails\n')}    expect: ${expect}\n`;
const handles = (expect: string): string => `${HANDLES.replace('\n', '  # fails\n')}    expect: ${expect}\n`;
const fails = (step: string): string => step.replace('\n', '  # fails\n');
const DID_NOT_MATCH = /^the reply to main \S+ did not match/;

export const FAILING_CASES: FailingCase[] = [
  // Wrong values deep in plugindata.
  { title: 'a wrong result in plugindata.data', steps: echo('{ janus: event, plugindata: { data: { result: ko } } }'), why: DID_NOT_MATCH },
  { title: 'a wrong plugin name', steps: echo('{ janus: event, plugindata: { plugin: janus.plugin.videoroom } }'), why: DID_NOT_MATCH },
  { title: 'a wrong echotest field', steps: echo('{ janus: event, plugindata: { data: { echotest: events } } }'), why: DID_NOT_MATCH },
  { title: 'a field the event lacks', steps: echo('{ janus: event, plugindata: { data: { room: 1 } } }'), why: DID_NOT_MATCH },
  { title: 'a wrong sender', steps: echo('{ janus: event, sender: 1 }'), why: DID_NOT_MATCH },
  { title: 'a wrong error text of a refusal', steps: `${fails(REFUSED)}    expect: { janus: event, plugindata: { data: { error_code: ECHOTEST_INVALID_ELEMENT, error: { $regex: "^nothing" } } } }\n`, why: DID_NOT_MATCH },
  { title: 'a wrong error code of a refusal', steps: `${fails(REFUSED)}    expect: { janus: event, plugindata: { data: { error_code: 414 } } }\n`, why: DID_NOT_MATCH },
  // Extra keys under $exact or exact: true.
  { title: 'an ack with a hint under $exact', steps: `${fails(ECHO)}    expect: { $exact: { janus: ack, session_id: "\${session}", transaction: "\${transaction}" } }\n`, why: /did not match/ },
  { title: 'exact: true on an ack pattern without the hint', steps: `${fails(ECHO)}    exact: true\n    expect: { janus: ack, session_id: "\${session}", transaction: "\${transaction}" }\n`, why: /did not match/ },
  { title: 'an event data with an extra key under $exact', steps: echo('{ janus: event, plugindata: { $exact: { plugin: janus.plugin.echotest, data: { echotest: event } } } }'), why: DID_NOT_MATCH },
  { title: 'exact: true on an event without its sender', steps: `${fails(ECHO)}    exact: true\n    expect: { janus: event, session_id: "\${session}", transaction: "\${transaction}", plugindata: { plugin: janus.plugin.echotest, data: { echotest: event, result: ok } } }\n`, why: DID_NOT_MATCH },
  { title: 'a partial info under $exact', steps: info('{ $exact: { janus: server_info, name: Janus WebRTC Server } }'), why: DID_NOT_MATCH },
  // An error reply where success was expected.
  { title: 'an error reply without expect', steps: fails(ATTACH_NOWHERE), why: /got an error reply: 458 SESSION_NOT_FOUND/ },
  { title: 'an error reply expecting success', steps: `${fails(ATTACH_NOWHERE)}    expect: { janus: success }\n`, why: DID_NOT_MATCH },
  { title: 'an error reply expecting only a transaction', steps: `${fails(ATTACH_NOWHERE)}    expect: { transaction: "\${transaction}" }\n`, why: /got an error reply: 458/ },
  { title: 'an error of another code', steps: `${fails(ATTACH_NOWHERE)}    expect: { janus: error, error: { code: HANDLE_NOT_FOUND } }\n`, why: DID_NOT_MATCH },
  { title: 'an unknown plugin expecting success', steps: '  - request: { janus: attach, plugin: janus.plugin.nope }  # fails\n    expect: { janus: success }\n', why: DID_NOT_MATCH },
  { title: 'a detach of a handle that is not there', steps: '  - request: { janus: detach, handle_id: 1 }  # fails\n', why: /got an error reply: 459/ },
  { title: 'a plugin refusal without expect', steps: fails(REFUSED), why: /got a plugin error: 413/ },
  { title: 'a plugin refusal expecting an event', steps: `${fails(REFUSED)}    expect: { janus: event }\n`, why: /got a plugin error: 413/ },
  { title: 'a plugin refusal expecting the plugin', steps: `${fails(REFUSED)}    expect: { plugindata: { plugin: janus.plugin.echotest } }\n`, why: /got a plugin error: 413/ },
  { title: 'an error reply let through by a $oneOf alternative that leaves janus out', steps: `${fails(ATTACH_NOWHERE)}    expect: { $oneOf: [{ janus: success }, { transaction: "\${transaction}" }] }\n`, why: /got an error reply: 458/ },
  { title: 'an error reply let through by a $oneOf alternative $any', steps: `${fails(ATTACH_NOWHERE)}    expect: { $oneOf: [{ janus: success }, $any] }\n`, why: /got an error reply: 458/ },
  { title: 'a plugin refusal let through by a $oneOf alternative that leaves it out', steps: `${fails(REFUSED)}    expect: { $oneOf: [{ plugindata: { data: { error_code: 999 } } }, { janus: event }] }\n`, why: /got a plugin error: 413/ },
  { title: 'a raw request to a session that is not there', steps: '  - raw: \'{"janus":"attach","plugin":"janus.plugin.echotest","session_id":1,"transaction":"raw-1"}\'  # fails\n', why: /got an error reply: 458/ },
  // Order.
  { title: 'an order step with the event before the success', steps: '  - request: { janus: attach, plugin: janus.plugin.echotest }\n    save: { ta: transaction }\n  - request: { janus: message, body: { audio: true } }\n    expect: { janus: event }\n  - order:  # fails\n      - { janus: event }\n      - { janus: success, transaction: "${ta}" }\n', why: /^main received the message of pattern 2 \(line \d+\) as #\d+, before the message of pattern 1/ },
  { title: 'an order step naming a message that never came', steps: `${ECHO}    expect: { janus: event }\n  - order:  # fails\n      - { janus: event }\n      - { janus: hangup }\n`, why: /^main received no message matching pattern 2 \(line \d+\) within 5s/ },
  // no_event that should see an event.
  { title: 'a no_event while the event comes', steps: `${ECHO_ACKED}  - no_event: { janus: event }  # fails\n    for: 3s\n`, why: /a message matching the pattern (arrived within 3s|was already in the mailbox)/ },
  { title: 'a no_event on its plugindata while the event comes', steps: `${ECHO_ACKED}  - no_event: { plugindata: { data: { result: ok } } }  # fails\n    for: 3s\n`, why: /a message matching the pattern (arrived within 3s|was already in the mailbox)/ },
  // The first message's event comes before the second's (EchoTest answers in turn): in the mailbox when the second ends.
  { title: 'a no_event for an event already in the mailbox', steps: `${ECHO_ACKED}  - request: { janus: message, body: { video: true } }\n    expect: { janus: event }\n  - no_event: { janus: event }  # fails\n    for: 0ms\n`, why: /already in the mailbox when the step began/ },
  // Arrays: $anyOrder with duplicates, $contains, lengths, nesting.
  { title: '$anyOrder with a duplicate of the one handle', steps: handles('{ handles: { $anyOrder: ["${handle}", "${handle}"] } }'), why: /did not match/ },
  { title: '$contains with a duplicate of the one handle', steps: handles('{ handles: { $contains: ["${handle}", "${handle}"] } }'), why: /did not match/ },
  { title: '$contains of a handle that is not there', steps: handles('{ handles: { $contains: [12345] } }'), why: /did not match/ },
  { title: 'an empty array for a list of one', steps: handles('{ handles: [] }'), why: /did not match/ },
  { title: 'a list of two for a list of one', steps: handles('{ handles: ["${handle}", 1] }'), why: /did not match/ },
  { title: '$length 2 on a list of one', steps: handles('{ handles: { $length: 2 } }'), why: /did not match/ },
  { title: 'a nested array for a flat one', steps: handles('{ handles: [["${handle}"]] }'), why: /did not match/ },
  { title: 'a handle id as text in a list', steps: handles('{ handles: ["x${handle}"] }'), why: /did not match/ },
  { title: '$not $contains of the handle that is there', steps: handles('{ handles: { $not: { $contains: ["${handle}"] } } }'), why: /did not match/ },
  // Regexes.
  { title: 'a version regex for another major', steps: info("{ version_string: { $regex: '^2\\.' } }"), why: DID_NOT_MATCH },
  { title: 'a regex in the wrong case', steps: info("{ name: { $regex: 'janus webrtc' } }"), why: DID_NOT_MATCH },
  { title: 'a regex on a number', steps: info("{ version: { $regex: '1' } }"), why: DID_NOT_MATCH },
  { title: 'an anchored regex that is too short', steps: info("{ version_string: { $regex: '^1\\.1$' } }"), why: DID_NOT_MATCH },
  { title: 'a regex on an absent field', steps: info("{ nothing_here: { $regex: '.*' } }"), why: DID_NOT_MATCH },
  // Numbers and strings.
  { title: 'a number written as text', steps: info('{ version: "1102" }'), why: DID_NOT_MATCH },
  { title: 'text written as a number', steps: info('{ version_string: 1.1 }'), why: DID_NOT_MATCH },
  { title: 'a saved number put in text', steps: '  - request: info\n    save: { v: version }\n' + info('{ version: "v${v}" }'), why: DID_NOT_MATCH },
  { title: 'a number one off', steps: info('{ session-timeout: 61 }'), why: DID_NOT_MATCH },
  { title: 'a float for an integer', steps: info('{ version: 1102.5 }'), why: DID_NOT_MATCH },
  { title: '$gt above the version', steps: info('{ version: { $gt: 1102 } }'), why: DID_NOT_MATCH },
  { title: '$lte below the version', steps: info('{ version: { $lte: 1101 } }'), why: DID_NOT_MATCH },
  { title: 'a $length of a string in characters', steps: info('{ version_string: { $length: 6 } }'), why: DID_NOT_MATCH },
  // null and absent.
  { title: '$null for a string', steps: info('{ transaction: $null }'), why: DID_NOT_MATCH },
  { title: '$null for an absent field', steps: info('{ nothing_here: $null }'), why: DID_NOT_MATCH },
  { title: '$present for an absent field', steps: info('{ nothing_here: $present }'), why: DID_NOT_MATCH },
  { title: '$absent for a present field', steps: info('{ name: $absent }'), why: DID_NOT_MATCH },
  { title: 'null for the hint of an ack', steps: `${fails(ECHO)}    expect: { janus: ack, hint: null }\n`, why: /did not match/ },
  { title: 'null for an absent field', steps: info('{ nothing_here: null }'), why: DID_NOT_MATCH },
  // Booleans.
  { title: 'true for a false flag', steps: info('{ ipv6: true }'), why: DID_NOT_MATCH },
  { title: 'false for a true flag', steps: info('{ data_channels: false }'), why: DID_NOT_MATCH },
  { title: 'a boolean as text', steps: info('{ ipv6: "false" }'), why: DID_NOT_MATCH },
  { title: 'a boolean as a number', steps: info('{ ipv6: 0 }'), why: DID_NOT_MATCH },
  // Markers, types and operators.
  { title: '$integer for text', steps: info('{ name: $integer }'), why: DID_NOT_MATCH },
  { title: '$string for a number', steps: info('{ version: $string }'), why: DID_NOT_MATCH },
  { title: '$array for an object', steps: info('{ plugins: $array }'), why: DID_NOT_MATCH },
  { title: '$type boolean for a number', steps: info('{ version: { $type: boolean } }'), why: DID_NOT_MATCH },
  { title: '$not of the reply type', steps: info('{ janus: { $not: server_info } }'), why: DID_NOT_MATCH },
  { title: 'a whole-message $not that holds', steps: info('{ $not: { janus: server_info } }'), why: DID_NOT_MATCH },
  { title: '$oneOf of other types', steps: info('{ janus: { $oneOf: [success, ack] } }'), why: DID_NOT_MATCH },
  { title: '$oneOf of another version or absent', steps: info('{ version_string: { $oneOf: ["1.0.0", $absent] } }'), why: DID_NOT_MATCH },
  { title: '$janus with a wrong value for the version', steps: info('{ name: { $janus: { ">=0.1.0": nope } } }'), why: DID_NOT_MATCH },
  { title: '$schema of another message', steps: info('{ $schema: core/reply/error }'), why: DID_NOT_MATCH },
  { title: 'a literal $ key that is not there', steps: info('{ $$janus: server_info }'), why: DID_NOT_MATCH },
  { title: 'a wrong transaction', steps: info('{ transaction: wrong }'), why: DID_NOT_MATCH },
  { title: 'a wrong session id on an ack', steps: `${fails(ECHO)}    expect: { janus: ack, session_id: 1 }\n`, why: /did not match/ },
  { title: 'a placeholder holding an error reply that differs', head: 'variables:\n  refused: { janus: error, error: { code: 460 } }\n', steps: `${fails(ATTACH_NOWHERE)}    expect: { $oneOf: ["\${refused}"] }\n`, why: DID_NOT_MATCH },
  // Waits and concurrency.
  { title: 'a wait whose event differs', steps: `${ECHO_ACKED}  - wait: { janus: event, plugindata: { data: { result: ko } } }  # fails\n    within: 2s\n`, why: /no message matching the pattern arrived within 2s; the closest one is shown/ },
  { title: 'a wait for a message that never comes', steps: `${ECHO_ACKED}  - wait: { janus: hangup }  # fails\n    within: 500ms\n`, why: /no message matching the pattern arrived within 500ms/ },
  { title: 'a wrong reply inside concurrently', steps: '  - concurrently:\n      - request: ping\n        expect: { janus: pong }\n      - request: info  # fails\n        expect: { janus: pong }\n', why: DID_NOT_MATCH },
  { title: 'a ping expecting an event', steps: '  - request: ping  # fails\n    expect: { janus: event }\n', why: DID_NOT_MATCH },
  // The Admin API.
  { title: 'an admin list of sessions that must not list ours', steps: '  - admin: list_sessions  # fails\n    expect: { sessions: { $not: { $contains: ["${session}"] } } }\n', why: /^the reply to admin list_sessions did not match/ },
  { title: 'an admin handle_info of another plugin', steps: '  - admin: handle_info  # fails\n    expect: { info: { plugin: janus.plugin.videoroom } }\n', why: /^the reply to admin handle_info did not match/ },
  { title: 'an admin message_plugin answer that differs', steps: '  - admin: { janus: message_plugin, plugin: janus.plugin.echotest, request: { a: 1 } }  # fails\n    expect: { response: { a: 2 } }\n', why: /^the reply to admin message_plugin did not match/ },
  { title: 'an admin request with a wrong secret without expect', steps: '  - admin: { janus: list_sessions, admin_secret: wrong }  # fails\n', why: /^admin list_sessions got an error reply: 403/ },
  { title: 'a wrong admin reply inside concurrently', steps: '  - concurrently:\n      - admin: list_sessions  # fails\n        expect: { sessions: [] }\n      - request: ping\n', why: /^the reply to admin list_sessions did not match/ },
  // Connections and keepalives.
  { title: 'more keepalives than can come', steps: '  - keepalives: { at_least: 50 }  # fails\n    within: 1s\n', why: /^client main had \d+ automatic keepalives? acked after 1s/ },
  { title: 'a closed step on an open connection', steps: '  - closed: true  # fails\n    within: 300ms\n', why: /^client main's connection is still open after 300ms/ },
  { title: 'a close by the server that the client made', steps: '  - close: true\n  - closed: { by: server }  # fails\n', why: /^client main's connection was closed by the client, not as expected/ },
  // Events of another handle, or taken already.
  { title: 'a wait on one handle for the event of another', steps: '  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: a\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: b\n  - request: { janus: message, body: { audio: true } }\n    handle: b\n    expect: { janus: ack }\n  - wait: { janus: event }  # fails\n    handle: a\n    within: 1s\n', why: /^no message matching the pattern arrived within 1s \(none from handle a;/ },
  { title: 'a no_event on a handle while its event comes', steps: '  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: a\n' + ECHO_ACKED + '  - no_event: {}  # fails\n    handle: a\n    for: 1s\n', why: /a message matching the pattern (arrived within 1s|was already in the mailbox)/ },
  { title: 'a second wait for the one event a wait took', steps: `${ECHO_ACKED}  - wait: { janus: event, transaction: "\${transaction}" }\n  - wait: { janus: event, transaction: "\${transaction}" }  # fails\n    within: 1s\n`, why: /^no message matching the pattern arrived within 1s; one that matches, "event" \(transaction \S+\), came earlier and a step before this one took it/ },
  { title: 'a wait for the event its request took', steps: `${ECHO}    expect: { janus: event }\n  - wait: { janus: event, transaction: "\${transaction}" }  # fails\n    within: 1s\n`, why: /^no message matching the pattern arrived within 1s; one that matches, "event" \(transaction \S+\), came earlier and a step before this one took it/ },
  // A known_bug mark of this version over the scenario's own mistake: a failure, never a known issue.
  { title: 'a marked reopen of an open connection', steps: '  - reopen: true  # fails\n    known_bug: { what: made up, janus: ">=1.0.0" }\n', why: /connection is open: only a closed connection can be reopened/ },
  { title: 'a marked step whose $janus says nothing for the server', steps: '  - request: info  # fails\n    expect: { name: { $janus: { ">=90.0.0": Janus WebRTC Server } } }\n    known_bug: { what: made up, janus: ">=1.0.0" }\n', why: /says nothing for this server: \$janus expects a value for Janus >=90\.0\.0/ },
];

/** The scenario file of a case: a session and an EchoTest handle first; the line of its failing step. */
export function failingCaseFile(c: FailingCase): { text: string; line: number } {
  const text = `name: ${JSON.stringify(c.title)}\n${c.head ?? ''}steps:\n  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n${c.steps}`;
  const line = text.split('\n').findIndex((l) => l.includes('# fails')) + 1;
  return { text, line };
}
