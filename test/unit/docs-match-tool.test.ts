import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/commands.js';
import { COMPARE_REPORT_VERSION } from '../../src/compare/report.js';
import { registerBuiltinReporters } from '../../src/reporters/builtin.js';
import { reporterNames } from '../../src/reporters/registry.js';

/**
 * README.md and docs/*.md against the tool they describe, read from the tool itself (its --help,
 * its registries, its schemas, src/): the options the commands print and the options the docs
 * speak of are the same set (an option added without a word in the docs fails here, and so does a
 * documented option no command has); the built-in reporters are named; the scenario language's
 * tables of keys list what the schemas have; the README's picture of src/ names every folder.
 * (The YAML examples are doc-examples.test.ts's.)
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `--name`s in the docs that are no option of janus-scenarios, each for a reason. */
const NOT_OURS = new Set([
  '--version', // the top-level flag, printed by `janus-scenarios --help` as a line of its own
  '--transprt', // README's example of a typo the CLI answers with "did you mean"
  '--save-dev', // npm install --save-dev
  '--cpu', // scripts/under-load.mjs
  '--max-semi-space-size', // node flags tried in docs/speed-history.md
  '--single-threaded-gc',
  '--trace-opt', // the V8 flag the README's speed section (and its history) traced the compiler with
  '--no-allocation-site-pretenuring', // the V8 flag docs/speed-history.md measured the garbage with
]);

function docsText(): string {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...docs].map((f) => readFileSync(f, 'utf8')).join('\n');
}

async function helpOf(args: string[]): Promise<string> {
  let out = '';
  const code = await main(args, { out: (s) => (out += `${s}\n`), err: (s) => (out += `${s}\n`) });
  assert.equal(code, 0, out);
  return out;
}

/** The options an options listing prints: `  -t, --transport LIST  ...` and `      --url URL  ...`. */
const optionsIn = (help: string): string[] => [...help.matchAll(/^ {2}(?:-\w, | {4})(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);

describe('the options in --help and in the docs', function () {
  let byCommand: Map<string, string[]>;

  before(async () => {
    const top = await helpOf(['--help']);
    const commands = [...top.matchAll(/^ {2}([a-z][a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'janus-scenarios');
    assert.ok(commands.length >= 10, `commands read from --help: ${commands.join(' ')}`);
    byCommand = new Map();
    for (const command of commands) byCommand.set(command, optionsIn(await helpOf([command, '--help'])));
  });

  it('every option a command prints in --help is documented in README.md or docs/', () => {
    const docs = docsText();
    const missing = [...byCommand].flatMap(([command, options]) => options.filter((o) => o !== '--help' && !new RegExp(`${o}(?![a-z-])`).test(docs)).map((o) => `${command} ${o}`));
    assert.deepEqual(missing, []);
  });

  it('every built-in reporter is named by run --help and by the README (its Reports table)', async () => {
    registerBuiltinReporters();
    const help = await helpOf(['run', '--help']);
    const reporterHelp = /--reporter NAME\[:PATH\]([\s\S]*?)\n {2}-O/.exec(help)?.[1] ?? '';
    // The first cells of the README's tables: `spec` (default), `console` | `junit[:path]` | ...
    const firstCells = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|')[1]!);
    const inTable = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`(\w+)(?:\[:path\])?`/g)].map((m) => m[1]!)));
    const unnamed = reporterNames().flatMap((name) => [
      ...(new RegExp(`\\b${name}\\b`).test(reporterHelp) ? [] : [`run --help: ${name}`]),
      ...(inTable.has(name) ? [] : [`README: ${name}`]),
    ]);
    assert.deepEqual(unnamed, []);
  });

  it('every option in a command line the docs show is an option of that command (its --help)', async () => {
    const ownOptions = new Map<string, Set<string>>();
    for (const command of byCommand.keys()) {
      const help = await helpOf([command, '--help']);
      ownOptions.set(command, new Set(['--help', ...[...help.matchAll(/^ {2}(?:(-\w), | {4})(--[a-z][a-z-]*)/gm)].flatMap((m) => [m[1], m[2]!].filter((o): o is string => o !== undefined))]));
    }
    // `janus-scenarios run a b --x y \` and its continuation lines, up to a comment, a code span's end or a table cell's.
    const lines = docsText().replace(/\\\n\s*/g, ' ');
    const misplaced: string[] = [];
    let seen = 0;
    for (const m of lines.matchAll(/janus-scenarios ([a-z][a-z-]+)((?: +[^\s`#|]+)*)/g)) {
      const own = ownOptions.get(m[1]!);
      if (own === undefined) continue;
      seen++;
      for (const word of m[2]!.trim().split(/\s+/)) {
        const option = word.split('=')[0]!;
        if (/^--?[a-zA-Z]/.test(option) && !own.has(option)) misplaced.push(`${m[1]} ${option} (in: ${m[0].slice(0, 80)})`);
      }
    }
    assert.ok(seen >= 30, `command lines found in the docs: ${seen}`);
    assert.deepEqual(misplaced, []);
  });

  it('every scenario file the docs name exists (a path from the project, from scenarios/ or from scenarios/plugins/)', () => {
    // Files the docs show being written in the reader's own project, not files of this one.
    const theReaders = new Set(['scenarios/echotest.yaml', 'captured/session-1-echotest-videoroom.yaml', 'scenarios/core/x.yaml', 'admin-N.yaml']);
    const named = new Set([...docsText().matchAll(/`([\w./-]+\.yaml)`/g)].map((m) => m[1]!).filter((p) => p.includes('/') || !p.startsWith('.')));
    assert.ok(named.size >= 30, `scenario files named: ${named.size}`);
    const missing = [...named].filter((p) => !theReaders.has(p) && !['', 'scenarios/', 'scenarios/plugins/', 'test/scenarios/'].some((base) => existsSync(join(ROOT, base, p))));
    assert.deepEqual(missing, []);
  });

  it('compare --help and docs/upgrades.md name the JSON report version compare writes, and compare\'s own exit codes', async () => {
    const help = await helpOf(['compare', '--help']);
    assert.match(help, new RegExp(`format janus-scenarios-compare,\\s+version ${COMPARE_REPORT_VERSION}\\b`));
    assert.match(readFileSync(join(ROOT, 'docs', 'upgrades.md'), 'utf8'), new RegExp(`format \`janus-scenarios-compare\`, version ${COMPARE_REPORT_VERSION}\\b`));
    // compare's exit 1 is a difference, not a failed scenario: a scenario fails on every upgrade that changes its replies.
    assert.doesNotMatch(help, /1 a scenario failed/);
    assert.match(help, /1 such a difference, or no test could be compared/);
  });

  it('load --help names every built-in transport run --help names (load runs over any one of them)', async () => {
    const transports = (help: string): string[] => /^ {2}-t, --transport (?:LIST|NAME) +([\s\S]*?)\n {2}(?:-\w,| {4}--)/m.exec(help)![1]!.match(/\b(https?|wss?|unix|mqtt|rabbitmq|nanomsg)\b/g) ?? [];
    const ofRun = new Set(transports(await helpOf(['run', '--help'])));
    assert.equal(ofRun.size, 8, [...ofRun].join(' '));
    const ofLoad = new Set(transports(await helpOf(['load', '--help'])));
    assert.deepEqual([...ofRun].filter((t) => !ofLoad.has(t)), []);
  });

  it('every --option the docs mention is an option of some command', () => {
    const known = new Set([...byCommand.values()].flat());
    assert.ok(known.has('--transport') && known.has('--baseline') && known.has('--users'), [...known].join(' '));
    const mentioned = new Set([...docsText().matchAll(/(?<![\w-])--[a-z][a-z-]*[a-z](?![\w-])/g)].map((m) => m[0]));
    const unknown = [...mentioned].filter((o) => !known.has(o) && !NOT_OURS.has(o));
    assert.deepEqual(unknown, []);
  });
});

describe("the scenario language's table of keys shared by several step kinds", function () {
  /** Keys a kind's schema lets through so that the loader can refuse them with a reason of its own. */
  const REFUSED_WITH_A_REASON = new Set(['exact on no_event', 'known_bug on include']);

  it('names, for each key, the step kinds whose schema has it', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8')) as { $defs: { step: { oneOf: Array<{ required: string[]; properties: Record<string, unknown> }> } } };
    const kinds = new Map(schema.$defs.step.oneOf.map((s) => [s.required[0]!, Object.keys(s.properties)]));
    const text = readFileSync(join(ROOT, 'docs/scenario-language.md'), 'utf8');
    const table = text.slice(text.indexOf('Keys shared by several kinds:')).split('\n\n')[1]!;
    const rows = [...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.replace(/`/g, '').trim()] as const);
    assert.ok(rows.length >= 8, `rows read: ${rows.map((r) => r[0]).join(' ')}`);
    const wrong = rows.flatMap(([key, cell]) => {
      const listed = (s: string): string[] => s.split(/,\s*|\s+and\s+/).map((k) => k.trim()).filter(Boolean);
      const but = /^all(?: but (.*))?$/.exec(cell);
      const documented = but ? [...kinds.keys()].filter((k) => !listed(but[1] ?? '').includes(k)) : listed(cell);
      const actual = [...kinds].filter(([kind, keys]) => keys.includes(key) && !REFUSED_WITH_A_REASON.has(`${key} on ${kind}`)).map(([kind]) => kind);
      return documented.sort().join(',') === actual.sort().join(',') ? [] : [`${key}: the table says ${documented.join(', ')}; the schemas have ${actual.join(', ')}`];
    });
    assert.deepEqual(wrong, []);
  });
});

describe("the scenario language's tables of top-level keys and of requires", function () {
  /** The keys in the first column of the first table after `heading`. */
  function tableKeys(heading: string): string[] {
    const text = readFileSync(join(ROOT, 'docs/scenario-language.md'), 'utf8');
    const after = text.slice(text.indexOf(`\n${heading}\n`) + heading.length + 2);
    const table = after.slice(after.indexOf('\n|')).split('\n\n')[0]!;
    return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!).sort();
  }

  it('list exactly the keys the scenario schema has', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8')) as { properties: Record<string, { properties?: Record<string, unknown> }> };
    assert.deepEqual(tableKeys('## Top-level keys'), Object.keys(schema.properties).sort());
    assert.deepEqual(tableKeys('### `requires`'), Object.keys(schema.properties.requires!.properties!).sort());
  });
});

describe("the README's picture of how it is built", function () {
  it('names every folder of src/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## How it is built\n'), readme.indexOf('\n## Development\n'));
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    assert.deepEqual(folders.filter((f) => !section.includes(`src/${f}`)), []);
  });
});
