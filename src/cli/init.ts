import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../core/exit-codes.js';
import { fileError } from '../core/file-errors.js';
import { makeFolders } from '../core/folders.js';
import { toolVersion } from '../core/tool-version.js';
import { INIT_OPTIONS, parseOptions, UsageError } from './options.js';

/** This package's folder (the shipped schema/ is in it): dist/src/cli/ is three levels down. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `janus-scenarios init [dir]`: a starter project that passes against the managed Janus at
 * once: a scenario and a fragment with the editor modeline, a config file naming them, and a
 * GitHub Actions job. Existing files are kept unless --force.
 */
export async function initCommand(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values, positionals } = parseOptions(args, INIT_OPTIONS, 'init');
  if (positionals.length > 1) throw new UsageError(`init takes one folder, got ${positionals.length}`);
  const root = resolve(positionals[0] ?? '.');
  const files = starterFiles(root);
  if (!existsSync(join(root, 'package.json'))) files['package.json'] = starterPackage();
  const existing = Object.keys(files).filter((f) => existsSync(join(root, f)));
  if (existing.length > 0 && !values.force) throw new UsageError(`${existing.map((f) => join(root, f)).join(', ')} already exist(s); give --force to overwrite`);
  for (const [file, text] of Object.entries(files)) {
    await writeStarterFile(join(root, file), text);
    io.out(`wrote ${relative(process.cwd(), join(root, file)) || file}`);
  }
  const cd = relative(process.cwd(), root);
  io.out(`\nnext: ${cd ? `cd ${cd} && ` : ''}npx janus-scenarios run   (a managed Janus needs the janus binary: apt-get install -y janus)`);
  return ExitCode.passed;
}

/** Writes one starter file, its folders made; a folder that cannot be made or a file that cannot be written is a usage error in words. */
async function writeStarterFile(path: string, text: string): Promise<void> {
  try {
    makeFolders(dirname(path));
    await writeFile(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${fileError(e).words}`);
  }
}

/**
 * The modeline's schema path, relative to the file's folder: the project's installed copy
 * (node_modules/janus-scenarios/schema/, in the folder or above), else this package's own.
 */
function schemaPath(fromDir: string, name: string): string {
  let schemaDir = join(PACKAGE_ROOT, 'schema');
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', 'janus-scenarios', 'schema');
    if (existsSync(installed)) {
      schemaDir = installed;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return relative(fromDir, join(schemaDir, name)).split(sep).join('/');
}

/** A package.json for a folder that has none: the tool as a dev dependency, `npm test` runs the scenarios. */
function starterPackage(): string {
  const version = toolVersion();
  return `${JSON.stringify({ name: 'janus-tests', private: true, scripts: { test: 'janus-scenarios run' }, devDependencies: { 'janus-scenarios': `^${version}` } }, null, 2)}\n`;
}

function starterFiles(root: string): Record<string, string> {
  const scenarioDir = join(root, 'scenarios');
  const fragmentDir = join(scenarioDir, 'fragments');
  return {
    'scenarios/echotest.yaml': `# yaml-language-server: $schema=${schemaPath(scenarioDir, 'scenario.schema.json')}
name: echotest answers a message with an ack, then an event
description: A starter scenario; the scenario language is in node_modules/janus-scenarios/docs/scenario-language.md
tags: [starter]
requires: { plugins: [janus.plugin.echotest] }
steps:
  - include: fragments/echotest-session.fragment.yaml
  - request: { janus: message, body: { audio: true } }
    expect: { janus: ack }
  - wait:
      janus: event
      transaction: "\${last.transaction}"
      plugindata: { plugin: janus.plugin.echotest, data: { echotest: event, result: ok } }
    within: 2s
`,
    'scenarios/fragments/echotest-session.fragment.yaml': `# yaml-language-server: $schema=${schemaPath(fragmentDir, 'fragment.schema.json')}
description: A session with a handle on the EchoTest plugin; include it to start a scenario.
steps:
  - request: create
    expect: { janus: success, data: { id: $integer } }
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: success, data: { id: $integer } }
`,
    'janus-scenarios.config.json': `${JSON.stringify({ files: ['scenarios'], transport: ['http', 'ws'], reporter: ['spec', 'junit:reports/junit.xml', 'html:reports/report.html'], timeout: '30s' }, null, 2)}\n`,
    '.github/workflows/janus-scenarios.yml': `name: janus-scenarios
on: [push, pull_request]
jobs:
  scenarios:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: sudo apt-get update && sudo apt-get install -y janus
      - run: npm ci
      # Options come from janus-scenarios.config.json; FORCE_COLOR keeps the log in colour.
      - run: npx janus-scenarios run --fail-on-skip
        env: { FORCE_COLOR: '1' }
      - uses: actions/upload-artifact@v4
        if: always()
        with: { name: janus-scenarios-reports, path: reports/ }
`,
  };
}
