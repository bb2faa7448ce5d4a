/**
 * A media-capable Janus runs in a private user + network namespace (see agent-plan.ts for its
 * network): the command that starts the namespace agent there, how long to let it stop, and
 * probes of what this machine allows and of what is still running in a namespace.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JanusInstallation } from '../installation.js';
import { janusCommand } from '../janus-process.js';
import { AGENT_JANUS_GRACE_MS, type AgentPlan } from './agent-plan.js';

/**
 * How long the runner lets the agent stop: Janus's grace, then time for the agent to see Janus
 * go, end its peer processes and exit, which takes seconds on a loaded machine. A shorter limit
 * kills the agent while Janus is still stopping, and Janus then outlives the run.
 */
export const AGENT_STOP_GRACE_MS = AGENT_JANUS_GRACE_MS + 3000;

const AGENT_SCRIPT = fileURLToPath(new URL('./agent.js', import.meta.url));

/**
 * The command that starts the agent in a new user + network namespace (`unshare -Urn` works
 * without root where unprivileged user namespaces are allowed). setpriv inside makes the agent
 * die with this process; the agent does the same for Janus.
 */
export function agentCommand(installation: JanusInstallation, dir: string, ports: number[], outbound: number[] = []): { file: string; args: string[] } {
  const plan: AgentPlan = { dir, janus: janusCommand(installation, dir), ports, outbound };
  const agent = [process.execPath, AGENT_SCRIPT, JSON.stringify(plan)];
  const inside = installation.setpriv ? [installation.setpriv, '--pdeathsig', 'KILL', '--', ...agent] : agent;
  return { file: 'unshare', args: ['-Urn', '--', ...inside] };
}

let probed: string | undefined | null = null;

/**
 * Why this machine cannot run a Janus in a private network namespace, or undefined when it
 * can: `unshare -Urn` and `ip` must both work. Probed once per process (~10 ms).
 */
export function namespaceUnavailable(): string | undefined {
  if (probed !== null) return probed;
  const result = spawnSync('unshare', ['-Urn', '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 5000 });
  probed = result.error
    ? `cannot run unshare (${result.error.message}); media scenarios need util-linux unshare and iproute2`
    : result.status !== 0
      ? `this machine does not allow a private network namespace (unshare -Urn: ${(result.stderr || `exit ${result.status}`).trim()})`
      : undefined;
  return probed;
}

/** The network namespace a process is in (its /proc ns link), or undefined once it is gone. */
export function namespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** Whether any process is still in the network namespace (it exists as long as one is). */
function namespaceInUse(namespace: string): boolean {
  return readdirSync('/proc').some((entry) => /^\d+$/.test(entry) && namespaceOf(Number(entry)) === namespace);
}

/** How long the processes an agent leaves (Janus on its parent-death signal, peer processes) may take to go. */
const NAMESPACE_EMPTY_LIMIT_MS = 5000;

/**
 * Waits until no process is left in an agent's network namespace: a killed agent's Janus and
 * peer processes die a moment after it, and the run is over only when they are gone. What is
 * still there after the limit (only descendants of our agent can be) is killed.
 */
export async function namespaceEmptied(namespace: string): Promise<void> {
  const deadline = Date.now() + NAMESPACE_EMPTY_LIMIT_MS;
  while (namespaceInUse(namespace)) {
    if (Date.now() > deadline) return killNamespace(namespace);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function killNamespace(namespace: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || namespaceOf(Number(entry)) !== namespace) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
