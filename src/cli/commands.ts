import { readFileSync } from 'node:fs';
import { closestName } from '../core/diagnostic.js';
import { ExitCode } from '../core/exit-codes.js';
import { escapeControls } from '../core/printable.js';
import { toolVersion } from '../core/tool-version.js';
import { sweepStaleFolders } from '../managed/stale-folders.js';
import { helpColumns, INIT_OPTIONS, optionHelp, parseOptions, RUN_OPTIONS, SCHEMA_OPTIONS, UsageError, VALIDATE_OPTIONS, type OptionTable, wrap } from './options.js';

// Each command loads what it needs when it runs (import() below): `--help` loads no command,
// `schema` no scenario loader, `run` no other command, and no command a reporter nobody chose.

const EXIT_CODES = `exit codes: 0 all passed, 1 a scenario failed (or --fail-on-skip / --min-tests),
            2 invalid scenario file, config or usage, 3 the server could not be reached
            or started (or a report file could not be written), 130 interrupted`;

// record and compare do not exit on the scenarios' verdicts: a CI job reads these.
const RECORD_EXIT_CODES = `exit codes: 0 recorded (failed scenarios too, as far as they got), 1 no test ran,
            2 invalid scenario file, config or usage, 3 the server could not be reached
            or started (or a file could not be written), 130 interrupted`;
const COMPARE_EXIT_CODES = `exit codes: 0 no difference rated --fail-on or worse (the scenarios' verdicts do not
            count), 1 such a difference, or no test could be compared, 2 invalid scenario
            file, baseline, config or usage, or a baseline holding none of the planned tests,
            3 the server could not be reached or started (or a report file could not be
            written), 130 interrupted`;

/** Each command: its synopsis, what it does, and its options (loaded with the command's module when they live there). */
const COMMANDS: Record<string, { synopsis: string; about: string; options: () => Promise<OptionTable>; exitCodes?: string }> = {
  run: { synopsis: 'run [files|dirs|globs] [options]', about: 'run scenarios (starts a managed Janus unless --url is given)', options: async () => RUN_OPTIONS },
  coverage: { synopsis: 'coverage [files|dirs|globs] [options]', about: "run, then print what was exercised: request verbs x plugins x transports, and the error codes covered (takes run's options)", options: async () => RUN_OPTIONS },
  'merge-reports': { synopsis: 'merge-reports <blobs|dirs> [options]', about: 'join the blob reports of a run\'s shards (run --shard i/n --reporter blob) into html, junit, json or tap reports of the whole run', options: async () => (await import('./merge-reports.js')).MERGE_OPTIONS },
  record: { synopsis: 'record [files|dirs|globs] --out FILE [options]', about: "run scenarios and write every message of every step, and the server's inventory, as a baseline (takes run's options)", options: async () => (await import('./record-command.js')).RECORD_OPTIONS, exitCodes: RECORD_EXIT_CODES },
  compare: { synopsis: 'compare [files|dirs|globs] --baseline FILE [options]', about: 'run scenarios and report what changed against a baseline: a structural diff, rated breaking, behaviour or additive (see docs/upgrades.md)', options: async () => (await import('./compare-command.js')).COMPARE_OPTIONS, exitCodes: COMPARE_EXIT_CODES },
  load: { synopsis: 'load <scenario> --users N [--ramp D] [--duration D] [options]', about: 'run one scenario as N concurrent virtual users: latency percentiles per step, throughput, errors, sessions left; --threshold fails the run (see docs/load.md)', options: async () => (await import('../load-test/options.js')).LOAD_OPTIONS },
  capture: { synopsis: 'capture --target URL --listen HOST:PORT --out DIR [options]', about: "relay an application's traffic to Janus, then write each Janus session as a scenario (see docs/capture.md)", options: async () => (await import('./capture-command.js')).CAPTURE_OPTIONS },
  validate: { synopsis: 'validate [files|dirs|globs]', about: 'check scenario and fragment files without any server', options: async () => VALIDATE_OPTIONS },
  schema: { synopsis: 'schema [--fragment]', about: 'print the JSON Schema of scenario (or fragment) files', options: async () => SCHEMA_OPTIONS },
  init: { synopsis: 'init [dir]', about: 'write a starter folder: a scenario, a fragment, a config file and a GitHub Actions job', options: async () => INIT_OPTIONS },
};

const USAGE = `usage: janus-scenarios <command> [options]

commands:
${helpColumns(Object.values(COMMANDS).map((c) => [c.synopsis.split(' [options]')[0]!, c.about]))}

  janus-scenarios <command> --help    the options of a command
  janus-scenarios --version

Files, folders or globs may be left out when a config file names them: options a project always
passes go in janus-scenarios.config.{json,yaml,yml,js,mjs} or the "janus-scenarios" key of
package.json (keys are option names: transport, url, reporter, timeout, ...; files).
The command line wins over the config file.

${EXIT_CODES}`;

async function commandHelp(name: string): Promise<string> {
  const c = COMMANDS[name]!;
  return `usage: janus-scenarios ${c.synopsis}\n\n${wrap(c.about, 100).join('\n')}\n\noptions:\n${optionHelp(await c.options())}\n\n${c.exitCodes ?? EXIT_CODES}`;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

// A server's or a scenario's text in a message never acts on the terminal.
const STANDARD_IO: Io = { out: (s) => process.stdout.write(`${escapeControls(s)}\n`), err: (s) => process.stderr.write(`${escapeControls(s)}\n`) };

/** The whole command line: returns the exit code; prints through `io`. */
export async function main(argv: string[], io: Io = STANDARD_IO): Promise<number> {
  // The managed Janus folders of runs that died unclean (SIGKILL) go, whatever this command is.
  sweepStaleFolders();
  const [command, ...args] = argv;
  try {
    if (command && COMMANDS[command] && (args.includes('--help') || args.includes('-h'))) {
      io.out(await commandHelp(command));
      return ExitCode.passed;
    }
    switch (command) {
      case 'run':
        return await (await import('./run-command.js')).runCommand(args, io);
      case 'coverage':
        return await (await import('./run-command.js')).runCommand(args, io, { coverage: true });
      case 'record':
        return await (await import('./record-command.js')).recordCommand(args, io);
      case 'compare':
        return await (await import('./compare-command.js')).compareCommand(args, io);
      case 'load':
        return await loadCommand(args, io);
      case 'capture':
        return await (await import('./capture-command.js')).captureCommand(args, io);
      case 'merge-reports':
        return await (await import('./merge-reports.js')).mergeReportsCommand(args, io);
      case 'validate':
        return await validate(args, io);
      case 'schema': {
        const { values } = parseOptions(args, SCHEMA_OPTIONS, 'schema');
        io.out(await schemaText(values.fragment === true));
        return ExitCode.passed;
      }
      case 'init':
        return await (await import('./init.js')).initCommand(args, io);
      case '--version':
      case '-V':
      case 'version':
        io.out(toolVersion());
        return ExitCode.passed;
      case undefined:
      case '-h':
      case '--help':
        io.out(USAGE);
        return command === undefined ? ExitCode.invalidInput : ExitCode.passed;
      case 'help':
        io.out(args[0] && COMMANDS[args[0]] ? await commandHelp(args[0]) : USAGE);
        return ExitCode.passed;
      default: {
        const hint = closestName(command, [...Object.keys(COMMANDS), ...(command.startsWith('-') ? ['--version', '--help'] : [])]);
        throw new UsageError(`unknown ${command.startsWith('-') ? 'option' : 'command'} "${command}"${hint ? `; did you mean ${hint}?` : ''}`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command && COMMANDS[command] ? `janus-scenarios ${command} --help` : 'janus-scenarios --help';
      // A usage error may quote what it refuses (a URL, an option's value): never a secret.
      const { commandLineRedactor } = await import('./command-line-secrets.js');
      io.err(`error: ${commandLineRedactor(argv, process.env).text(e.message)}\n(run ${help} for usage)`);
      return ExitCode.invalidInput;
    }
    throw e;
  }
}

/** `load`: its modules (the histogram library among them) are loaded only when it runs. */
async function loadCommand(args: string[], io: Io): Promise<number> {
  const { LOAD_OPTIONS, loadSettings } = await import('../load-test/options.js');
  const { values, positionals } = parseOptions(args, LOAD_OPTIONS, 'load');
  const settings = loadSettings(values, positionals, process.env);
  (await import('./output-paths.js')).checkOutputFiles([
    { option: '--report-json', path: settings.reportJson },
    { option: '--report-html', path: settings.reportHtml },
  ]);
  const [{ runLoad }, { withInterrupts }, { stopAllJanus }, { guardOutput }] = await Promise.all([
    import('../load-test/command.js'),
    import('./interrupts.js'),
    import('../managed/live.js'),
    import('./output-guard.js'),
  ]);
  const { loadScenarios } = await import('./load-scenarios.js');
  const host = { loadScenarios: (inputs: string[]) => loadScenarios(inputs, { fragments: false }), withInterrupts, stopAllJanus, guardOutput };
  return runLoad(settings, host, io);
}

/**
 * `schema`: the file the build wrote from the same step kinds (schema/*.schema.json, shipped in
 * the package), which spares loading every step kind, matcher and transport; computed when the
 * file is not there. The CLI registers nothing of its own before this command, so both are the same.
 */
async function schemaText(fragment: boolean): Promise<string> {
  try {
    return readFileSync(new URL(`../../../schema/${fragment ? 'fragment' : 'scenario'}.schema.json`, import.meta.url), 'utf8').trimEnd();
  } catch {
    const { fragmentSchema, scenarioSchema } = await import('../compile/scenario-schema.js');
    return JSON.stringify(fragment ? fragmentSchema() : scenarioSchema(), null, 2);
  }
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, VALIDATE_OPTIONS, 'validate');
  const { loadProjectConfig } = await import('./config.js');
  const { loadScenarios } = await import('./load-scenarios.js');
  // Read also when files are named: a --config given, or the project's config, is checked as run checks it (it was not read at all).
  const config = await loadProjectConfig(process.cwd(), values.config as string | undefined, RUN_OPTIONS);
  const inputs = positionals.length > 0 ? positionals : config.files ?? [];
  if (inputs.length === 0) throw new UsageError('give at least one scenario file, folder or glob (or "files" in a config file)');
  const loaded = await loadScenarios(inputs, { fragments: true });
  if (loaded.problems) {
    io.err(loaded.problems);
    return ExitCode.invalidInput;
  }
  io.out(`${loaded.files.length} file(s) valid`);
  return ExitCode.passed;
}
