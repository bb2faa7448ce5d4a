import { TransportFault } from './contract.js';
import { displayUrl } from './wire.js';

/**
 * The address of a message broker with the options of a broker transport in its query string
 * (`mqtt://host:1883?to_janus=...&qos=1`). Credentials stay in the URL's user-info and are
 * never shown: `shown` has neither user-info nor query.
 */
export interface BrokerUrl {
  url: URL;
  shown: string;
  username: string | undefined;
  password: string | undefined;
  options: Map<string, string>;
}

export function parseBrokerUrl(transport: string, text: string, allowed: readonly string[]): BrokerUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password: say what is wrong without repeating it.
    throw new TransportFault(`${transport}: invalid URL (expected ${transport === 'MQTT' ? 'mqtt://host:1883?to_janus=...' : 'amqp://user:password@host:5672/vhost?to_janus=...'})`);
  }
  const shown = displayUrl(url);
  const options = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!allowed.includes(key)) throw new TransportFault(`${transport} ${shown}: unknown option '${key}' (known: ${allowed.join(', ')})`);
    options.set(key, value);
  }
  return {
    url,
    shown,
    username: url.username ? safeDecode(url.username) : undefined,
    password: url.password ? safeDecode(url.password) : undefined,
    options,
  };
}

/** A non-empty option, else the default. */
export function optionOr(broker: BrokerUrl, key: string, fallback: string): string {
  const value = broker.options.get(key);
  return value === undefined || value === '' ? fallback : value;
}

/** A value from a fixed list. */
export function choiceOption<T extends string>(transport: string, broker: BrokerUrl, key: string, choices: readonly T[], fallback: T): T {
  const value = broker.options.get(key);
  if (value === undefined || value === '') return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new TransportFault(`${transport} ${broker.shown}: option ${key}=${value} must be one of ${choices.join(', ')}`);
  return value as T;
}

/** Removes credentials from a library's error text, in case it quotes them. */
export function withoutCredentials(text: string, broker: BrokerUrl): string {
  let out = text;
  for (const secret of [broker.url.href, broker.url.password, broker.password]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
