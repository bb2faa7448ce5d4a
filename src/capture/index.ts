export { startProxy, type Proxy, type ProxyOptions } from './proxy.js';
export { TrafficLog, type TrafficEntry } from './traffic.js';
export { generateScenarios, type GeneratedScenario } from './generate.js';
export { renderScenario } from './render.js';
