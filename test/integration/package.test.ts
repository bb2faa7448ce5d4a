import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The package as a user gets it: packed, installed into a new project that has only TypeScript
 * (no @types/node of its own, no @types/mocha), its public types compiled with skipLibCheck off
 * and no ambient types.
 */
describe('the npm package', function () {
  this.timeout(300_000);
  let work: string;
  let installed: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'jstest-package-'));
    // dist/ is built by `npm test`; --ignore-scripts packs it as it is.
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const project = join(work, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    const typescript = (JSON.parse(readFileSync(join(ROOT, 'node_modules/typescript/package.json'), 'utf8')) as { version: string }).version;
    // The npm cache holds every dependency after `npm ci`: no network needed.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, tarball), `typescript@${typescript}`], { cwd: project, stdio: 'ignore' });
    installed = join(project, 'node_modules', 'janus-scenarios');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('asks for no @types package, and its types compile with skipLibCheck off and no ambient types', () => {
    const project = dirname(dirname(installed));
    // A dependency may bring @types/node along (mqtt does); the package itself asks for none, and
    // `types: []` below keeps any that is installed out of the program.
    const own = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(own.dependencies ?? {}).filter((d) => d.startsWith('@types/')), []);
    assert.equal(existsSync(join(project, 'node_modules/@types/mocha')), false);
    writeFileSync(join(project, 'use.ts'), `import { loadFiles, runScenario, buildReport, registerReporter, startJanus, ExitCode, type ScenarioResult, type RunReport, type SuiteEvent, type Reporter, type RunTarget } from 'janus-scenarios';
export function summary(result: ScenarioResult, target: RunTarget): RunReport {
  void loadFiles; void runScenario; void startJanus; void target;
  const counter: Reporter = { onTestEnd: (e) => void e.result.status };
  registerReporter('counter', () => counter);
  const id = \`\${result.file}#\${result.name}[\${result.transport}]\`;
  const events: SuiteEvent[] = [
    { type: 'run:begin', at: result.startedAt, tests: [{ id, file: result.file, name: result.name, transport: result.transport, title: result.name, tags: [] }], transports: [result.transport] },
    { type: 'test:end', at: result.startedAt + result.durationMs, testId: id, attempt: 1, result, retrying: false },
    { type: 'run:end', at: result.startedAt + result.durationMs, status: ExitCode.interrupted === 130 ? 'passed' : 'failed' },
  ];
  return buildReport(events);
}
`);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['use.ts'] }));
    try {
      execFileSync(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`the public types do not compile:\n${(e as { stdout?: string }).stdout}`);
    }
  });

  it('exports its library, mocha entry, reporters, schemas and package.json by name, and only those', () => {
    const project = dirname(dirname(installed));
    const script = `
      const names = {};
      for (const path of ['janus-scenarios', 'janus-scenarios/mocha', 'janus-scenarios/reporters/junit', 'janus-scenarios/reporters/json', 'janus-scenarios/reporters/tap', 'janus-scenarios/reporters/html']) {
        const m = await import(path);
        names[path] = Object.keys(m).map((k) => k === 'default' ? 'default:' + typeof m.default : k);
      }
      const schema = (await import('janus-scenarios/schema/scenario.schema.json', { with: { type: 'json' } })).default;
      const fragment = (await import('janus-scenarios/schema/fragment.schema.json', { with: { type: 'json' } })).default;
      const pkg = (await import('janus-scenarios/package.json', { with: { type: 'json' } })).default;
      const { writeFileSync } = await import('node:fs');
      writeFileSync('catalogue.yaml', 'name: catalogue names\\nsteps:\\n  - request: { janus: create }\\n    expect: { $schema: core/success/create }\\n  - request: { janus: attach, plugin: janus.plugin.echotest, session_id: 1 }\\n    expect: { janus: error, error: { code: SESSION_NOT_FOUND } }\\n');
      const { loadFiles } = await import('janus-scenarios');
      const loaded = loadFiles(['catalogue.yaml']);
      let deep;
      try { await import('janus-scenarios/dist/src/schemas/error-names.js'); deep = 'imported'; } catch (e) { deep = e.code; }
      console.log(JSON.stringify({ names, schema: schema.title, fragment: fragment.title, version: pkg.version, deep, catalogue: { scenarios: loaded.scenarios.length, diagnostics: loaded.diagnostics.map((d) => d.message) } }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' })) as {
      names: Record<string, string[]>; schema: string; fragment: string; version: string; deep: string; catalogue: { scenarios: number; diagnostics: string[] };
    };
    for (const name of ['loadFiles', 'runScenario', 'registerStepKind', 'registerOperator', 'registerTransport', 'knownSchema']) assert.ok(out.names['janus-scenarios']!.includes(name), name);
    assert.ok(out.names['janus-scenarios/mocha']!.length > 0);
    // A mocha reporter is a class, the module's default export.
    for (const format of ['junit', 'json', 'tap', 'html']) assert.ok(out.names[`janus-scenarios/reporters/${format}`]!.includes('default:function'), format);
    assert.match(out.schema, /scenario file/);
    assert.match(out.fragment, /fragment file/);
    assert.equal(out.version, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    assert.equal(out.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'a path outside the exports map is not importable');
    // The catalogue's error and schema names load through the entry, with no deep import.
    assert.deepEqual(out.catalogue, { scenarios: 1, diagnostics: [] });
  });

  it('resolves the types of every exported entry with tsc', () => {
    const project = dirname(dirname(installed));
    writeFileSync(join(project, 'entries.ts'), `import { loadFiles, registerStepKind, type LoadOptions, type StepKind } from 'janus-scenarios';
import * as mocha from 'janus-scenarios/mocha';
import junit from 'janus-scenarios/reporters/junit';
import json from 'janus-scenarios/reporters/json';
import tap from 'janus-scenarios/reporters/tap';
import html from 'janus-scenarios/reporters/html';
const options: LoadOptions = { cwd: '.' };
const kind: StepKind | undefined = undefined;
export const used = [loadFiles, registerStepKind, options, kind, mocha, junit, json, tap, html];
`);
    // The mocha entry and the mocha reporters name mocha's types, which a mocha user has: skip
    // checking inside libraries here; a path that does not resolve is still an error (TS2307).
    writeFileSync(join(project, 'tsconfig.entries.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true }, files: ['entries.ts'] }));
    try {
      execFileSync(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.entries.json')], { cwd: project, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`the exported entries' types do not resolve:\n${(e as { stdout?: string }).stdout}`);
    }
  });

  it('its library entry loads without mocha installed; its mocha entry needs mocha', () => {
    const project = dirname(dirname(installed));
    const mochas = [join(project, 'node_modules/mocha'), join(installed, 'node_modules/mocha')].filter((m) => existsSync(m));
    assert.ok(mochas.length > 0, 'mocha was installed with the package');
    const importing = (path: string) => `import(${JSON.stringify(path)}).then((m) => console.log(Object.keys(m).length), (e) => console.log(e.code))`;
    for (const m of mochas) renameSync(m, `${m}.hidden`);
    try {
      const library = execFileSync(process.execPath, ['--input-type=module', '-e', importing('janus-scenarios')], { cwd: project, encoding: 'utf8' }).trim();
      assert.ok(Number(library) > 0, `the library entry did not load without mocha: ${library}`);
      const integration = execFileSync(process.execPath, ['--input-type=module', '-e', importing('janus-scenarios/mocha')], { cwd: project, encoding: 'utf8' }).trim();
      // The bundle requires mocha (CommonJS): Node says MODULE_NOT_FOUND, an import would say ERR_MODULE_NOT_FOUND.
      assert.match(integration, /^(ERR_)?MODULE_NOT_FOUND$/);
    } finally {
      for (const m of mochas) renameSync(`${m}.hidden`, m);
    }
  });

  it('ships a LICENSE, builds on prepack (no install script), and its source maps point at shipped sources', () => {
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { license: string; scripts: Record<string, string> };
    assert.equal(pkg.license, 'MIT');
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) assert.equal(pkg.scripts[script], undefined, script);
    assert.match(pkg.scripts.prepack ?? '', /npm run build/);
    const maps = walk(installed).filter((f) => f.endsWith('.map'));
    assert.ok(maps.length > 0);
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourceRoot?: string };
      return sources.map((s) => resolve(dirname(map), sourceRoot, s)).filter((s) => !existsSync(s));
    });
    assert.deepEqual(missing, []);
    // Every module that names a source map names a shipped one; the bundle (bin and exports) names none.
    const dangling = walk(installed).filter((f) => f.endsWith('.js')).flatMap((file) => {
      const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'))?.[1];
      return named !== undefined && (named.startsWith('data:') || !existsSync(resolve(dirname(file), named))) ? [file] : [];
    });
    assert.deepEqual(dangling, []);
    const shipped = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, string | { default: string }> };
    const targets = [...Object.values(shipped.bin), ...Object.values(shipped.exports).map((t) => (typeof t === 'string' ? t : t.default))];
    for (const target of targets) assert.ok(existsSync(join(installed, target)), `${target} is shipped`);
    for (const target of targets.filter((t) => t.endsWith('.js'))) assert.doesNotMatch(readFileSync(join(installed, target), 'utf8'), /sourceMappingURL/, target);
  });

  it('its installed command runs: version, schema and a shipped scenario found from where it is installed', () => {
    const project = dirname(dirname(installed));
    const bin = join(project, 'node_modules/.bin/janus-scenarios');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(execFileSync(bin, ['--version'], { cwd: project, encoding: 'utf8' }).trim(), version);
    assert.match(execFileSync(bin, ['schema'], { cwd: project, encoding: 'utf8' }), /scenario file/);
    assert.match(execFileSync(bin, ['validate', join(installed, 'scenarios/core')], { cwd: project, encoding: 'utf8' }), /file\(s\) valid/);
  });

  it('its shipped scenarios name the schema the docs tell a project to use', () => {
    assert.ok(existsSync(join(installed, 'schema/scenario.schema.json')));
    const docs = readFileSync(join(installed, 'docs/scenario-language.md'), 'utf8');
    assert.match(docs, /# yaml-language-server: \$schema=\.\.\/node_modules\/janus-scenarios\/schema\/scenario\.schema\.json/);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'node_modules' ? [] : walk(path)) : [path];
  });
}
