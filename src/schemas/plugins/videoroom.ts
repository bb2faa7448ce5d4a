import type { PluginRequest, PluginSpec } from '../types.js';
import { messages } from './videoroom-messages.js';
import { requestBodies } from './videoroom-requests.js';

/**
 * VideoRoom (plugins/janus_videoroom.c, Janus 1.1.2): an SFU with rooms, publishers and
 * subscribers. Room management, moderation, RTP forwarding and remote publishers are
 * synchronous (`success` reply); joining, publishing and subscribing are asynchronous (`ack`,
 * then an `event` with the same transaction). Pre-validation errors of asynchronous requests
 * (no `request`, unknown `request`) come back synchronously.
 */
const sync = (request: string, ...replies: string[]): PluginRequest => ({ body: requestBodies[request]!, replies });
const async = (request: string, ...events: string[]): PluginRequest => ({ body: requestBodies[request]!, events });

export const videoroom: PluginSpec = {
  package: 'janus.plugin.videoroom',
  adminMessages: true,
  short: 'videoroom',
  errors: {
    499: { name: 'UNKNOWN_ERROR' },
    421: { name: 'NO_MESSAGE' },
    422: { name: 'INVALID_JSON' },
    423: { name: 'INVALID_REQUEST' },
    424: { name: 'JOIN_FIRST' },
    425: { name: 'ALREADY_JOINED' },
    426: { name: 'NO_SUCH_ROOM' },
    427: { name: 'ROOM_EXISTS' },
    428: { name: 'NO_SUCH_FEED' },
    429: { name: 'MISSING_ELEMENT' },
    430: { name: 'INVALID_ELEMENT' },
    431: { name: 'INVALID_SDP_TYPE' },
    432: { name: 'PUBLISHERS_FULL' },
    433: { name: 'UNAUTHORIZED' },
    434: { name: 'ALREADY_PUBLISHED' },
    435: { name: 'NOT_PUBLISHED' },
    436: { name: 'ID_EXISTS' },
    437: { name: 'INVALID_SDP' },
    /** A subscription mixing end-to-end encrypted and plain feeds. */
    438: { name: 'INVALID_FEED', since: '1.2.2' },
  },
  requests: {
    // synchronous
    create: sync('create', 'created'),
    edit: sync('edit', 'edited'),
    destroy: sync('destroy', 'destroyed'),
    list: sync('list', 'rooms'),
    exists: sync('exists', 'exists'),
    allowed: sync('allowed', 'allowed'),
    kick: sync('kick', 'success'),
    moderate: sync('moderate', 'success'),
    enable_recording: sync('enable_recording', 'recording'),
    listparticipants: sync('listparticipants', 'participants'),
    listforwarders: sync('listforwarders', 'forwarders'),
    rtp_forward: sync('rtp_forward', 'rtp_forward'),
    stop_rtp_forward: sync('stop_rtp_forward', 'stop_rtp_forward'),
    publish_remotely: sync('publish_remotely', 'remotized'),
    unpublish_remotely: sync('unpublish_remotely', 'unremotized'),
    listremotes: sync('listremotes', 'remotes'),
    add_remote_publisher: sync('add_remote_publisher', 'remote_publisher'),
    update_remote_publisher: sync('update_remote_publisher', 'success'),
    remove_remote_publisher: sync('remove_remote_publisher', 'success'),
    // asynchronous
    join: async('join', 'joined', 'attached'),
    joinandconfigure: async('joinandconfigure', 'joined', 'attached'),
    configure: async('configure', 'configured'),
    publish: async('publish', 'configured'),
    unpublish: async('unpublish', 'unpublished'),
    start: async('start', 'started'),
    pause: async('pause', 'paused'),
    switch: async('switch', 'switched', 'updated'),
    subscribe: async('subscribe', 'updated', 'updating'),
    unsubscribe: async('unsubscribe', 'updated', 'updating'),
    update: async('update', 'updated', 'updating'),
    leave: async('leave', 'leaving', 'left'),
  },
  messages,
};
