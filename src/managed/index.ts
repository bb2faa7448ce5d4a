/**
 * Managed Janus: throw-away Janus instances for scenario runs, each in its own temp folder
 * with only the plugins and transports it needs, on free loopback ports.
 */
export { JanusStartError } from './errors.js';
export { type ManagedJanus, type StartOptions, startJanus } from './launcher.js';
export { stopAllJanus, killAllJanusSync } from './live.js';
export type { ManagedEndpoints } from './listeners.js';
export { type JanusNeeds, type JanusTransportName, type GeneralConfig, needsKey } from './needs.js';
export { namespaceUnavailable } from './netns/namespace.js';
export { installedModules, type InstalledModules, type ModuleNeeds } from './availability.js';
export { checkOverrides } from './overrides.js';
