/**
 * The Janus instances this process has running, and how to end them all. Kept apart from the
 * launcher: a command that started none (a run with --url) stops "all" of them, and handles a
 * second Ctrl-C, without loading the launcher.
 */
export interface LiveInstance {
  stop(): Promise<void>;
  killSync(): void;
}

const live = new Set<LiveInstance>();
/** What else dies with the instances on a hard stop (the brokers they used), added by whoever starts such things. */
const syncCleanups = new Set<() => void>();

export function addLive(instance: LiveInstance): void {
  live.add(instance);
}

export function removeLive(instance: LiveInstance): void {
  live.delete(instance);
}

export function onKillAll(cleanup: () => void): void {
  syncCleanups.add(cleanup);
}

export async function stopAllJanus(): Promise<void> {
  await Promise.all([...live].map((instance) => instance.stop()));
}

export function killAllJanusSync(): void {
  for (const instance of live) instance.killSync();
  live.clear();
  for (const cleanup of syncCleanups) cleanup();
}
