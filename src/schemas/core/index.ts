import type { CoreSpec } from '../types.js';

/** Placeholder until the core catalogue is written. */
export const core: CoreSpec = { requests: {}, success: {}, replies: {}, events: {} };
