/**
 * What the runner's side (namespace.ts) and the agent process (agent.ts) agree on: the network
 * inside the namespace, the agent's grace for Janus, and the plan the agent is started with.
 * Its own file so that the agent imports this, not the module that starts it.
 */

/**
 * The private network a media-capable Janus runs in. Janus 1.1.2 never gathers ICE candidates
 * on loopback interfaces, so WebRTC needs another interface; a veth pair with both ends inside
 * a namespace of our own keeps that traffic off every real interface; Janus and the peers gather
 * candidates on both ends. The namespace exists as
 * long as its agent process does: nothing to clean up. Link names must not start with "veth"
 * (some ICE stacks skip such interfaces).
 */
export const NAMESPACE_NETWORK = {
  janusLink: 'jsmedia0',
  peerLink: 'jsmedia1',
  janusAddress: '10.77.0.1',
  peerAddress: '10.77.0.2',
  prefix: 24,
} as const;

/** How long the agent lets Janus stop on SIGTERM before SIGKILL. */
export const AGENT_JANUS_GRACE_MS = 2500;

/** What the agent needs to know, passed as one JSON argument. */
export interface AgentPlan {
  dir: string;
  janus: { file: string; args: string[] };
  /** The namespace's loopback ports Janus listens on; each gets a bridge socket in `dir`. */
  ports: number[];
  /**
   * Loopback ports of services outside the namespace Janus connects to (the brokers of its MQTT
   * and RabbitMQ transports): each is served inside from an outbound bridge socket in `dir`.
   */
  outbound?: number[];
}
