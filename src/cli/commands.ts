import { readFileSync } from 'node:fs';
import { registerBuiltinReporters } from '../reporters/builtin.js';
import { closestName } from '../core/diagnostic.js';
import { ExitCode } from '../core/exit-codes.js';
import { escapeControls } from '../core/printable.js';
import { sweepStaleFolders } from '../managed/stale-folders.js';
import { fragmentSchema, scenarioSchema } from '../compile/scenario-schema.js';
import { registerBuiltinTransports } from '../transports/registry.js';
import { loadProjectConfig } from './config.js';
import { initCommand } from './init.js';
import { loadScenarios } from './load-scenarios.js';
import { INIT_OPTIONS, optionHelp, parseOptions, RUN_OPTIONS, SCHEMA_OPTIONS, UsageError, VALIDATE_OPTIONS, type OptionTable } from './options.js';
import { MERGE_OPTIONS, mergeReportsCommand } from './merge-reports.js';
import { runCommand } from './run-command.js';
import { RECORD_OPTIONS, recordCommand } from './record-command.js';
import { COMPARE_OPTIONS, compareCommand } from './compare-command.js';
import { CAPTURE_OPTIONS, captureCommand } from './capture-command.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES = `exit codes: 0 all passed, 1 a scenario failed (or --fail-on-skip / --min-tests),
            2 invalid scenario file, config or usage, 3 the server could not be reached
            or started, 130 interrupted`;

/** Each command: its synopsis, what it does, and its options. */
const COMMANDS: Record<string, { synopsis: string; about: string; options: OptionTable }> = {
  run: { synopsis: 'run [files|dirs|globs] [options]', about: 'run scenarios (starts a managed Janus unless --url is given)', options: RUN_OPTIONS },
  coverage: { synopsis: 'coverage [files|dirs|globs] [options]', about: "run, then print what was exercised: request verbs x plugins x transports, and the error codes covered (takes run's options)", options: RUN_OPTIONS },
  'merge-reports': { synopsis: 'merge-reports <blobs|dirs> [options]', about: 'join the blob reports of a run\'s shards (run --shard i/n --reporter blob) into html, junit, json or tap reports of the whole run', options: MERGE_OPTIONS },
  record: { synopsis: 'record [files|dirs|globs] --out FILE [options]', about: "run scenarios and write every message of every step, and the server's inventory, as a baseline (takes run's options)", options: RECORD_OPTIONS },
  compare: { synopsis: 'compare [files|dirs|globs] --baseline FILE [options]', about: 'run scenarios and report what changed against a baseline: a structural diff, rated breaking, behaviour or additive (see docs/upgrades.md)', options: COMPARE_OPTIONS },
  capture: { synopsis: 'capture --target URL --listen HOST:PORT --out DIR [options]', about: "relay an application's traffic to Janus, then write each Janus session as a scenario (see docs/capture.md)", options: CAPTURE_OPTIONS },
  validate: { synopsis: 'validate [files|dirs|globs]', about: 'check scenario and fragment files without any server', options: VALIDATE_OPTIONS },
  schema: { synopsis: 'schema [--fragment]', about: 'print the JSON Schema of scenario (or fragment) files', options: SCHEMA_OPTIONS },
  init: { synopsis: 'init [dir]', about: 'write a starter folder: a scenario, a fragment, a config file and a GitHub Actions job', options: INIT_OPTIONS },
};

const USAGE = `usage: janus-scenarios <command> [options]

commands:
${Object.values(COMMANDS).map((c) => `  ${c.synopsis.split(' [options]')[0]!.padEnd(30)}${c.about}`).join('\n')}

  janus-scenarios <command> --help    the options of a command
  janus-scenarios --version

Files, folders or globs may be left out when a config file names them: options a project always
passes go in janus-scenarios.config.{json,yaml,yml,js,mjs} or the "janus-scenarios" key of
package.json (keys are option names: transport, url, reporter, timeout, ...; files).
The command line wins over the config file.

${EXIT_CODES}`;

function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  return `usage: janus-scenarios ${c.synopsis}\n\n${c.about}\n\noptions:\n${optionHelp(c.options)}\n\n${EXIT_CODES}`;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

// A server's or a scenario's text in a message never acts on the terminal.
const STANDARD_IO: Io = { out: (s) => process.stdout.write(`${escapeControls(s)}\n`), err: (s) => process.stderr.write(`${escapeControls(s)}\n`) };

/** The whole command line: returns the exit code; prints through `io`. */
export async function main(argv: string[], io: Io = STANDARD_IO): Promise<number> {
  registerBuiltinTransports();
  registerBuiltinReporters();
  // The managed Janus folders of runs that died unclean (SIGKILL) go, whatever this command is.
  sweepStaleFolders();
  const [command, ...args] = argv;
  try {
    if (command && COMMANDS[command] && (args.includes('--help') || args.includes('-h'))) {
      io.out(commandHelp(command));
      return ExitCode.passed;
    }
    switch (command) {
      case 'run':
        return await runCommand(args, io);
      case 'coverage':
        return await runCommand(args, io, { coverage: true });
      case 'record':
        return await recordCommand(args, io);
      case 'compare':
        return await compareCommand(args, io);
      case 'capture':
        return await captureCommand(args, io);
      case 'merge-reports':
        return await mergeReportsCommand(args, io);
      case 'validate':
        return await validate(args, io);
      case 'schema': {
        const { values } = parseOptions(args, SCHEMA_OPTIONS, 'schema');
        io.out(JSON.stringify(values.fragment ? fragmentSchema() : scenarioSchema(), null, 2));
        return ExitCode.passed;
      }
      case 'init':
        return await initCommand(args, io);
      case '--version':
      case '-V':
      case 'version':
        io.out(VERSION);
        return ExitCode.passed;
      case undefined:
      case '-h':
      case '--help':
        io.out(USAGE);
        return command === undefined ? ExitCode.invalidInput : ExitCode.passed;
      case 'help':
        io.out(args[0] && COMMANDS[args[0]] ? commandHelp(args[0]) : USAGE);
        return ExitCode.passed;
      default: {
        const hint = closestName(command, [...Object.keys(COMMANDS), ...(command.startsWith('-') ? ['--version', '--help'] : [])]);
        throw new UsageError(`unknown ${command.startsWith('-') ? 'option' : 'command'} "${command}"${hint ? `; did you mean ${hint}?` : ''}`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command && COMMANDS[command] ? `janus-scenarios ${command} --help` : 'janus-scenarios --help';
      io.err(`error: ${e.message}\n(run ${help} for usage)`);
      return ExitCode.invalidInput;
    }
    throw e;
  }
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, VALIDATE_OPTIONS, 'validate');
  const config = positionals.length > 0 ? undefined : await loadProjectConfig(process.cwd(), values.config as string | undefined, RUN_OPTIONS);
  const inputs = positionals.length > 0 ? positionals : config?.files ?? [];
  if (inputs.length === 0) throw new UsageError('give at least one scenario file, folder or glob (or "files" in a config file)');
  const loaded = await loadScenarios(inputs, { fragments: true });
  if (loaded.problems) {
    io.err(loaded.problems);
    return ExitCode.invalidInput;
  }
  io.out(`${loaded.files.length} file(s) valid`);
  return ExitCode.passed;
}
