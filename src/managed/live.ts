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
/** The interrupts (Ctrl-C, SIGTERM) of the commands running: each stops every start under way. */
const interrupts = new Set<AbortSignal>();
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

/**
 * Ties every Janus start of this process to `signal` until the returned function is called:
 * when it aborts, the starts under way stop at once (their Janus killed, their folder removed)
 * and no new one begins. How a command's Ctrl-C reaches the starts its plan makes.
 */
export function interruptStartsWith(signal: AbortSignal): () => void {
  interrupts.add(signal);
  return () => void interrupts.delete(signal);
}

/** What stops a start: the caller's own signal and the interrupts of the commands running. */
export function startInterrupts(own?: AbortSignal): AbortSignal | undefined {
  const signals = [...(own ? [own] : []), ...interrupts];
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
}
