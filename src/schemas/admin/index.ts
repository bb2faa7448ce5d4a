import type { AdminSpec } from '../types.js';

/** Placeholder until the Admin API catalogue is written. */
export const admin: AdminSpec = { requests: {}, success: {} };
