import type { ManagedTransport, TransportDefinition } from './contract.js';
import { NANOMSG_THREAD_ENDED, UNIX_THREAD_ENDED } from './start-races.js';

/**
 * What the registry knows of a built-in transport before its module is loaded: its name, URL
 * schemes and traits (a scenario is checked and a run planned with these), and how to load the
 * module that makes its definition. A unit test holds each trait equal to the module's.
 */
export interface BuiltinTransport {
  name: string;
  schemes: readonly string[];
  secure: boolean;
  connection?: TransportDefinition['connection'];
  /** How the managed Janus serves it, when through the definition (`managed`, whose prepare loads the module). */
  managed?: Omit<ManagedTransport, 'prepare'>;
  define(): Promise<TransportDefinition>;
}

// Each transport's module (and the client library under it) is imported when a run first loads
// or connects that transport: a run over WebSocket never reads the HTTP, MQTT, RabbitMQ, Unix
// socket or Nanomsg code. The TLS variants differ only in scheme.
const http = (name: string, secure: boolean) => async () => (await import('./http.js')).httpTransport({ name, schemes: [name], secure });
const ws = (name: string, secure: boolean) => async () => (await import('./ws.js')).wsTransport({ name, schemes: [name], secure });

/**
 * The transports janus-scenarios ships with. Unix sockets take SOCK_DGRAM from their URL
 * (`?type=dgram`); the managed Janus uses SOCK_SEQPACKET.
 */
export const BUILTIN_TRANSPORT_TABLE: readonly BuiltinTransport[] = [
  { name: 'http', schemes: ['http'], secure: false, connection: { closeCodes: false, sessionsFollow: true }, define: http('http', false) },
  { name: 'https', schemes: ['https'], secure: true, connection: { closeCodes: false, sessionsFollow: true }, define: http('https', true) },
  { name: 'ws', schemes: ['ws'], secure: false, connection: { closeCodes: true }, define: ws('ws', false) },
  { name: 'wss', schemes: ['wss'], secure: true, connection: { closeCodes: true }, define: ws('wss', true) },
  { name: 'mqtt', schemes: ['mqtt', 'mqtts'], secure: false, define: async () => (await import('./mqtt.js')).mqttTransport({ name: 'mqtt' }) },
  { name: 'rabbitmq', schemes: ['amqp', 'amqps'], secure: false, define: async () => (await import('./rabbitmq.js')).rabbitmqTransport({ name: 'rabbitmq' }) },
  { name: 'unix', schemes: ['unix'], secure: false, managed: { library: 'pfunix', flakyStart: UNIX_THREAD_ENDED }, define: async () => (await import('./unix.js')).unixTransport({ name: 'unix' }) },
  { name: 'nanomsg', schemes: ['ipc', 'tcp'], secure: false, managed: { library: 'nanomsg', flakyStart: NANOMSG_THREAD_ENDED }, define: async () => (await import('./nanomsg.js')).nanomsgTransport({ name: 'nanomsg' }) },
];

/** The built-in transports as registry entries: definitions whose functions load the module first. */
export const BUILTIN_TRANSPORTS: readonly TransportDefinition[] = BUILTIN_TRANSPORT_TABLE.map(lazyTransport);

/**
 * A definition with the built-in's traits whose `load`, `connect` and managed `prepare` import its
 * module first (once) and then do what the module's definition does.
 */
export function lazyTransport(builtin: BuiltinTransport): TransportDefinition {
  let defining: Promise<TransportDefinition> | undefined;
  let defined: TransportDefinition | undefined;
  const definition = (): Promise<TransportDefinition> => (defining ??= builtin.define().then((d) => (defined = d)));
  const managed: ManagedTransport | undefined = builtin.managed && { ...builtin.managed, prepare: async (context) => (await definition()).managed!.prepare(context) };
  return {
    name: builtin.name,
    schemes: builtin.schemes,
    secure: builtin.secure,
    ...(builtin.connection && { connection: builtin.connection }),
    ...(managed && { managed }),
    load: async () => (await definition()).load?.(),
    // Once loaded, straight through: an await of the loaded definition would open the socket a
    // turn later, after the rest of the run's set-up, not while it is made (see connectAhead).
    connect: (options, sink) => (defined ? defined.connect(options, sink) : definition().then((d) => d.connect(options, sink))),
    // Never loaded, nothing held.
    release: async () => defined?.release?.(),
  };
}
