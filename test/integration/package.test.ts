import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The package as a user gets it: packed, installed into a new project that has only TypeScript
 * (no @types/node, no @types/mocha), its public types compiled with skipLibCheck off.
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

  it('installs with neither @types/node nor @types/mocha, and its types compile with skipLibCheck off', () => {
    const project = dirname(dirname(installed));
    assert.equal(existsSync(join(project, 'node_modules/@types/node')), false);
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
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true }, files: ['use.ts'] }));
    try {
      execFileSync(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`the public types do not compile:\n${(e as { stdout?: string }).stdout}`);
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
