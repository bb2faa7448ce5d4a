import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadFiles } from '../../src/compile/load-files.js';
import { renderDiagnostics } from '../../src/core/diagnostic.js';
import { loadProjectConfig } from '../../src/cli/config.js';
import { RUN_OPTIONS } from '../../src/cli/options.js';

/**
 * Every YAML example in README.md and docs/*.md loads, as `validate` would load it, so an example
 * the tool no longer accepts fails here rather than in a new user's first run.
 *
 * A block is taken for what its shape says: a list is a scenario's steps, a map without `name` or
 * `steps` part of a scenario (the test adds what is missing), a block whose modeline names
 * fragment.schema.json a fragment. Context an excerpt leaves out is stated in an HTML comment on
 * the line before the block, a YAML map (`<!-- example: { saved: [sid], handles: [echo] } -->`):
 *   saved: [names]        values earlier steps saved (`${sid}`)
 *   handles: [names]      handles attached earlier with `as:` (an echotest attach each)
                        (a steps excerpt is put after a create of each client, and these attaches)
 *   clients: [names]      the scenario's clients
 *   transports: [names]   its `requires.transports`
 * and `<!-- example: not a scenario -->` marks YAML of another tool (a CI job), which need only parse;
 * `<!-- example: config file -->` before a ```json block: a janus-scenarios.config.json `run` must accept.
 * Environment variables the examples read (`${env.PIN}`) are set to 1234.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;
const CONTEXT_KEYS = ['saved', 'handles', 'clients', 'transports'];

interface Example {
  /** Where the block starts, `docs/x.md:12`. */
  at: string;
  text: string;
  /** The marker's text on the line before the block, if any. */
  marker?: string;
}

/** The fenced blocks of one language in a Markdown file (indented ones in lists too). */
function blocks(file: string, language: string): Example[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s{${indent}}\`\`\`\\s*$`).test(lines[end])) end++;
    if (open[2] === language) {
      const marker = i > 0 ? MARKER.exec(lines[i - 1])?.[1] : undefined;
      out.push({ at: `${file}:${i + 2}`, text: lines.slice(i + 1, end).map((l) => l.slice(indent)).join('\n'), marker });
    }
    i = end;
  }
  return out;
}

function docFiles(): string[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

type Context = Partial<Record<'saved' | 'handles' | 'clients' | 'transports', string[]>>;

function contextOf(example: Example): Context {
  if (example.marker === undefined) return {};
  const context = parseYaml(example.marker) as Context;
  assert.ok(context !== null && typeof context === 'object', `${example.at}: the example marker is no map: ${example.marker}`);
  for (const key of Object.keys(context)) assert.ok(CONTEXT_KEYS.includes(key), `${example.at}: unknown key "${key}" in the example marker`);
  return context;
}

const indent = (text: string, by: string): string => text.split('\n').map((l) => (l.trim() === '' ? l : by + l)).join('\n');
/** A steps excerpt shown at the depth it has in its file (`  - request: ...`), moved to column 1. */
function dedent(text: string): string {
  const depth = Math.min(...text.split('\n').filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return text.split('\n').map((l) => l.slice(depth)).join('\n');
}
const flowList = (names: string[]): string => `[${names.join(', ')}]`;

/** The scenario file an example makes: the block itself when whole, else the block inside what it leaves out. */
function scenarioText(example: Example, doc: unknown): string {
  const context = contextOf(example);
  const head: string[] = [];
  const isMap = doc !== null && typeof doc === 'object' && !Array.isArray(doc);
  const has = (key: string): boolean => isMap && key in (doc as object);
  if (!has('name')) head.push(`name: example at ${example.at}`);
  if (context.clients && !has('clients')) head.push(`clients: ${flowList(context.clients)}`);
  if (context.transports && !has('requires')) head.push(`requires: { transports: ${flowList(context.transports)} }`);
  if (context.saved && !has('variables')) head.push(`variables: { ${context.saved.map((n) => `${n}: 1234`).join(', ')} }`);
  // An excerpt of steps comes after requests: each client has sent one (a wait before any does not load).
  const creates = context.clients ? context.clients.map((c) => `- { request: create, client: ${c} }`) : ['- request: create'];
  const before = [...creates, ...(context.handles ?? []).map((h) => `- { request: { janus: attach, plugin: janus.plugin.echotest }, as: ${h} }`)];
  if (!isMap) return [...head, 'steps:', indent([...before, dedent(example.text)].join('\n'), '  ')].join('\n');
  return [...head, example.text, ...(has('steps') ? [] : ['steps: [{ request: info }]'])].join('\n');
}

describe('the YAML examples of README.md and docs/', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'doc-examples-'));
    // Examples include ../fragments/echotest-session.fragment.yaml, as the shipped scenarios do.
    symlinkSync(join(ROOT, 'scenarios/fragments'), join(dir, 'fragments'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const examples = docFiles().flatMap((f) => blocks(f, 'yaml'));

  it('finds the examples (the extraction itself works)', () => {
    assert.ok(examples.length >= 30, `only ${examples.length} YAML blocks found`);
    assert.ok(examples.some((e) => e.marker !== undefined), 'no example marker found');
  });

  it('every example marker stands right before a yaml block (a marker elsewhere states nothing)', () => {
    const stray = docFiles().flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      return lines.flatMap((line, i) => (MARKER.test(line) && !/^\s*```(yaml|json)\s*$/.test(lines[i + 1] ?? '') ? [`${file}:${i + 1}`] : []));
    });
    assert.deepEqual(stray, []);
  });

  // A config file shown in the docs (marked `<!-- example: config file -->`) is read as the CLI reads one.
  for (const example of docFiles().flatMap((f) => blocks(f, 'json')).filter((e) => e.marker === 'config file')) {
    it(`${example.at} is a config file run accepts`, async () => {
      const folder = join(dir, 'config');
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
      writeFileSync(join(folder, 'janus-scenarios.config.json'), example.text);
      const config = await loadProjectConfig(folder, undefined, RUN_OPTIONS);
      assert.ok(config.files !== undefined || Object.keys(config.values).length > 0, `${example.at}: nothing read`);
    });
  }

  for (const example of examples) {
    it(`${example.at} loads`, () => {
      const doc: unknown = parseYaml(example.text);
      if (example.marker === 'not a scenario') return;
      if (doc === null || doc === undefined) return; // only comments: a modeline shown alone
      const fragment = /\$schema=\S*fragment\.schema\.json/.test(example.text);
      const file = join(dir, 'x', `${example.at.replace(/[/:.]/g, '-')}${fragment ? '.fragment' : ''}.yaml`);
      rmSync(join(dir, 'x'), { recursive: true, force: true });
      mkdirSync(join(dir, 'x'));
      writeFileSync(file, fragment ? example.text : scenarioText(example, doc));
      const env = Object.fromEntries([...example.text.matchAll(/\$\{env(?:_int)?\.(\w+)\}/g)].map((m) => [m[1], '1234']));
      const result = loadFiles([file], { env, cwd: dir });
      if (result.diagnostics.length > 0) {
        assert.fail(`${example.at}:\n${renderDiagnostics(result.diagnostics, result.sources)}\n--- as loaded:\n${readFileSync(file, 'utf8')}`);
      }
    });
  }
});

