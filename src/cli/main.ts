#!/usr/bin/env node
import { registerBuiltinFileReporters } from '../../reporters/registry.js';
import { ExitCode } from '../core/exit-codes.js';
import { escapeControls } from '../core/printable.js';
import { sweepStaleFolders } from '../managed/stale-folders.js';
import { fragmentSchema, scenarioSchema } from '../load/scenario-schema.js';
import { registerBuiltinTransports } from '../transports/builtin.js';
import { loadScenarios } from './load-scenarios.js';
import { UsageError } from './options.js';
import { runCommand } from './run-command.js';

const USAGE = `usage: janus-scenarios <command> [options]

commands:
  run <files|dirs|globs>       run scenarios (starts a managed Janus unless --url is given)
  coverage <files|dirs|globs>  run, then print what was exercised: request verbs x plugins x
                               transports, and the error codes covered (takes run's options)
  validate <files|dirs|globs>  check scenario and fragment files without any server
  schema [--fragment]          print the JSON Schema of scenario (or fragment) files

run options:
  --url URL                 a running Janus (http://host:8088/janus, ws://host:8188); repeatable
  --admin-url URL           its Admin API (http://host:7088/admin, ws://host:7188)
  -t, --transport LIST      http,ws,https,wss: run every scenario once per transport
  --api-secret S            or JANUS_API_SECRET      --token T     or JANUS_TOKEN
  --admin-secret S          or JANUS_ADMIN_SECRET
  --ca FILE                 trust this CA for https/wss   --insecure   skip TLS verification
  -R, --reporter NAME[:PATH] repeatable: spec (the console, default), junit, json, tap
                            or html write PATH ('-': stdout), any other name is a mocha
                            reporter (dot, list, xunit, a module path)
  -O, --reporter-option K=V options of mocha reporters, e.g. output=xunit.xml
  -g, --grep TEXT           run only tests whose title contains TEXT   --invert
  -b, --bail                stop at the first failure                  --retries N
  --tags LIST               only scenarios with one of these tags
  --timeout D               time limit per scenario (default 30s)     --step-timeout D (5s)
  --seed S                  deterministic transaction ids
  -j, --jobs N              run N scenarios at once (default: 2 x CPUs, 2 to 8)
  --janus-binary PATH       the janus executable for the managed Janus
  --schema MODE             check every message against the Janus API catalogue:
                            strict (default: violations and unknown fields fail the step),
                            warn (report only), off

exit codes: 0 all passed, 1 a scenario failed, 2 invalid scenario file or usage,
            3 the server could not be reached or started, 130 interrupted`;

export async function main(argv: string[]): Promise<number> {
  registerBuiltinTransports();
  registerBuiltinFileReporters();
  // The managed Janus folders of runs that died unclean (SIGKILL) go, whatever this command is.
  sweepStaleFolders();
  const [command, ...args] = argv;
  // A server's or a scenario's text in a message never acts on the terminal.
  const io = { out: (s: string) => process.stdout.write(`${escapeControls(s)}\n`), err: (s: string) => process.stderr.write(`${escapeControls(s)}\n`) };
  try {
    switch (command) {
      case 'run':
        return await runCommand(args, io);
      case 'coverage':
        return await runCommand(args, io, { coverage: true });
      case 'validate': {
        if (args.length === 0) throw new UsageError('give at least one scenario file, folder or glob');
        const loaded = await loadScenarios(args, { fragments: true });
        if (loaded.problems) {
          io.err(loaded.problems);
          return ExitCode.invalidInput;
        }
        io.out(`${loaded.files.length} file(s) valid`);
        return ExitCode.passed;
      }
      case 'schema':
        io.out(JSON.stringify(args.includes('--fragment') ? fragmentSchema() : scenarioSchema(), null, 2));
        return ExitCode.passed;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? ExitCode.invalidInput : ExitCode.passed;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n(run janus-scenarios --help for usage)`);
      return ExitCode.invalidInput;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);
