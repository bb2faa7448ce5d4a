/** Planning a suite: which test runs where, which is skipped and why, before anything runs. */
export { planSuite, planUnlessInterrupted } from './plan.js';
export { listing } from './listing.js';
export { DEFAULT_SCENARIO_TIMEOUT_MS, DEFAULT_STEP_TIMEOUT_MS, type Attempt, type Plan, type PlanSettings, type PlannedTest, type StartedPlan } from './contract.js';
export { InfrastructureError } from './server-info.js';
export { withTags, selectedByGrep } from './candidates.js';
export { urlTransport } from './url-transport.js';
