import assert from 'node:assert/strict';
import { knownSchema, pluginSpec } from '../../src/schemas/catalogue.js';

/**
 * The message types of Janus 1.1.2, listed from the protocol reference independently of the
 * catalogue: every one must have a schema. The test names whatever lacks one.
 */
const CORE_VERBS = ['info', 'ping', 'create', 'attach', 'claim', 'keepalive', 'destroy', 'message', 'trickle', 'hangup', 'detach'];
const CORE_SUCCESS = ['create', 'attach', 'claim', 'destroy', 'message', 'hangup', 'detach'];
const CORE_REPLIES = ['ack', 'error', 'server_info', 'pong'];
const CORE_EVENTS = ['event', 'webrtcup', 'media', 'slowlink', 'hangup', 'detached', 'timeout', 'trickle', 'keepalive'];
const ADMIN_VERBS = [
  'get_status', 'set_session_timeout', 'set_log_level', 'set_locking_debug', 'set_refcount_debug', 'set_log_timestamps',
  'set_log_colors', 'set_libnice_debug', 'set_min_nack_queue', 'set_nack_optimizations', 'set_no_media_timer',
  'set_slowlink_threshold', 'accept_new_sessions', 'list_sessions', 'add_token', 'allow_token', 'disallow_token',
  'list_tokens', 'remove_token', 'message_plugin', 'query_transport', 'query_eventhandler', 'query_logger', 'custom_event',
  'custom_logline', 'resolve_address', 'test_stun', 'loops_info', 'destroy_session', 'list_handles', 'handle_info',
  'start_pcap', 'stop_pcap', 'start_text2pcap', 'stop_text2pcap', 'hangup_webrtc', 'detach_handle',
];
const PLUGIN_REQUESTS: Record<string, string[]> = {
  'janus.plugin.echotest': [''],
  'janus.plugin.videoroom': [
    'create', 'edit', 'destroy', 'list', 'exists', 'allowed', 'kick', 'moderate', 'enable_recording', 'listparticipants',
    'listforwarders', 'rtp_forward', 'stop_rtp_forward', 'publish_remotely', 'unpublish_remotely', 'listremotes',
    'add_remote_publisher', 'update_remote_publisher', 'remove_remote_publisher', 'join', 'joinandconfigure', 'configure',
    'publish', 'unpublish', 'start', 'pause', 'switch', 'subscribe', 'unsubscribe', 'update', 'leave',
  ],
  'janus.plugin.audiobridge': [
    'create', 'edit', 'destroy', 'enable_recording', 'enable_mjrs', 'list', 'exists', 'allowed', 'mute', 'unmute', 'mute_room',
    'unmute_room', 'kick', 'kick_all', 'listparticipants', 'resetdecoder', 'rtp_forward', 'stop_rtp_forward', 'listforwarders',
    'play_file', 'is_playing', 'stop_file', 'join', 'configure', 'changeroom', 'leave', 'hangup',
  ],
  'janus.plugin.streaming': ['list', 'info', 'create', 'edit', 'destroy', 'recording', 'enable', 'disable', 'kick_all', 'watch', 'start', 'pause', 'stop', 'configure', 'switch'],
  'janus.plugin.textroom': ['list', 'listparticipants', 'exists', 'create', 'edit', 'announcement', 'allowed', 'kick', 'destroy', 'setup', 'ack', 'restart'],
  'janus.plugin.videocall': ['list', 'register', 'call', 'accept', 'set', 'hangup'],
  'janus.plugin.recordplay': ['list', 'update', 'configure', 'record', 'play', 'start', 'stop'],
  'janus.plugin.sip': ['register', 'unregister', 'call', 'accept', 'decline', 'info', 'message', 'dtmf_info', 'subscribe', 'unsubscribe', 'transfer', 'recording', 'hold', 'unhold', 'update', 'hangup', 'reset'],
  'janus.plugin.nosip': ['generate', 'process', 'hangup', 'recording'],
  'janus.plugin.voicemail': ['record', 'update', 'stop'],
};

describe('catalogue inventory: every message type of Janus 1.1.2 has a schema', function () {
  const missing = (names: string[]) => names.filter((n) => !knownSchema(n));

  it('core requests, replies and events', function () {
    assert.deepEqual(missing([
      ...CORE_VERBS.map((v) => `core/request/${v}`),
      ...CORE_SUCCESS.map((v) => `core/success/${v}`),
      ...CORE_REPLIES.map((v) => `core/reply/${v}`),
      ...CORE_EVENTS.map((v) => `core/event/${v}`),
    ]), []);
  });

  it('admin requests and their replies', function () {
    assert.deepEqual(missing(ADMIN_VERBS.flatMap((v) => [`admin/request/${v}`, `admin/success/${v}`])), []);
  });

  for (const [pkg, requests] of Object.entries(PLUGIN_REQUESTS)) {
    it(`${pkg}: every request, what it answers, an error shape and error codes`, function () {
      const spec = pluginSpec(pkg);
      assert.ok(spec, `no spec for ${pkg}`);
      const lacking = requests.filter((r) => !knownSchema(`${spec.short}/request/${r || 'message'}`)).map((r) => `request ${r}`);
      for (const r of requests) {
        const answers = [...(spec.requests[r]?.replies ?? []), ...(spec.requests[r]?.events ?? [])];
        if (spec.requests[r] && answers.length === 0) lacking.push(`answers to ${r}`);
        for (const a of answers) if (!spec.messages[a]) lacking.push(`message ${a} (named by ${r})`);
      }
      if (!spec.messages.error) lacking.push('the error message');
      if (Object.keys(spec.errors).length === 0) lacking.push('error codes');
      assert.deepEqual(lacking, []);
    });
  }
});
