import { loadSuite } from '../compile/load-suite.js';
import { nothingFoundMessage } from '../load/collect.js';
import { stopAllJanus } from '../managed/index.js';
import { planSuite, type StartedPlan } from '../plan/index.js';
import { randomSeed } from '../run/seeded.js';
import { registerBuiltinTransports } from '../transports/registry.js';
import type { DescribeOptions, PlannedScenario, ScenarioPlanner, SuitePlan } from './planner.js';

/**
 * describeScenarios' planner: the library's own pipeline (loadSuite, planSuite), so a user's
 * mocha gets exactly the CLI's tests, skips, managed Janus instances and locks.
 */
export const libraryPlanner: ScenarioPlanner = {
  async plan(inputs: string[], options: DescribeOptions): Promise<SuitePlan> {
    registerBuiltinTransports();
    const loaded = await loadSuite(inputs, { fragments: false });
    if (loaded.missing.length > 0) throw new Error(nothingFoundMessage(loaded.missing));
    if (loaded.problems) throw new Error(loaded.problems);
    const env = process.env;
    const plan = await planSuite(loaded.scenarios, {
      transports: options.transports,
      urls: options.urls,
      adminUrls: options.adminUrls,
      secrets: options.secrets ?? { apisecret: env.JANUS_API_SECRET, token: env.JANUS_TOKEN, admin_secret: env.JANUS_ADMIN_SECRET },
      janusBinary: options.janusBinary,
      grep: options.grep,
      tags: options.tags,
      stepTimeoutMs: options.stepTimeoutMs,
      scenarioTimeoutMs: options.scenarioTimeoutMs,
    });
    const seed = options.seed ?? randomSeed();
    let started: StartedPlan | undefined;
    const tests = plan.tests.map((test): PlannedScenario => ({
      info: test.info,
      serverVersion: () => started?.target(test)?.serverVersion,
      run: (signal) => started!.run(test, { seed, signal: signal ?? new AbortController().signal }),
    }));
    return {
      tests,
      start: async () => {
        if (plan.fault) throw new Error(plan.fault);
        started = await plan.start();
      },
      close: async () => {
        await started?.close();
        await stopAllJanus();
      },
    };
  },
};
