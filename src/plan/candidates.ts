import type { CompiledScenario } from '../compile/scenario.js';
import { closestName } from '../core/diagnostic.js';
import { UsageError } from '../core/usage-error.js';
import type { TestInfo } from '../events/events.js';
import { getTransport, transportNames } from '../transports/registry.js';
import { urlTransport } from './url-transport.js';

/** One scenario on one transport, before anything is known of the server it runs on. */
export interface Candidate {
  info: TestInfo;
  scenario: CompiledScenario;
}

/** What people call a transport, for the name it has here (too far apart for a spelling hint). */
const TRANSPORT_ALIASES: Record<string, string> = { websocket: 'ws', websockets: 'ws', 'secure-websocket': 'wss', longpoll: 'http', 'long-poll': 'http', amqp: 'rabbitmq' };

/** The transports a run uses: those asked for, else those of the `--url`s, else http and ws. */
export function runTransports(asked: string[] | undefined, urls: string[]): string[] {
  const transports = asked ?? (urls.length > 0 ? urls.map((url) => urlTransport('--url', url).name) : ['http', 'ws']);
  for (const t of transports) {
    if (getTransport(t)) continue;
    const hint = TRANSPORT_ALIASES[t.toLowerCase()] ?? closestName(t, transportNames());
    throw new UsageError(`unknown transport "${t}"${hint ? `; did you mean ${hint}?` : ''} (known: ${transportNames().join(', ')})`);
  }
  return transports;
}

/** `--tags`: scenarios with any of the tags; all of them when none is given. */
export function withTags(scenarios: CompiledScenario[], tags: string[]): CompiledScenario[] {
  return scenarios.filter((s) => tags.length === 0 || s.tags.some((t) => tags.includes(t)));
}

/** Every scenario on every transport, in file order, then `--grep` / `--invert`. */
export function candidates(scenarios: CompiledScenario[], transports: string[], grep?: string, invert = false): Candidate[] {
  const all = scenarios.flatMap((scenario) => transports.map((transport) => ({ info: testInfo(scenario, transport), scenario })));
  return all.filter((c) => selectedByGrep(c.info, grep, invert));
}

export function testInfo(scenario: CompiledScenario, transport: string): TestInfo {
  const { file, name } = scenario;
  return { id: `${file}#${name}[${transport}]`, file, name, transport, title: `${name} [${transport}]`, tags: [...scenario.tags] };
}

/** --grep: tests whose full title (file, name, transport) contains the text, or with --invert the others. */
export function selectedByGrep(info: Pick<TestInfo, 'file' | 'title'>, grep: string | undefined, invert: boolean): boolean {
  return !grep || `${info.file} ${info.title}`.includes(grep) !== invert;
}
