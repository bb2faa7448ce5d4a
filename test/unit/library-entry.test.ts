import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFiles, type LoadOptions } from '../../src/index.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));

/** A module resolution hook under which `mocha` is not installed, for `node --import`. */
const HIDE_MOCHA = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
    'export async function resolve(specifier, context, next) { if (specifier === "mocha" || specifier.startsWith("mocha/")) { const e = new Error("Cannot find package \'mocha\'"); e.code = "ERR_MODULE_NOT_FOUND"; throw e; } return next(specifier, context); }',
  )}));`,
)}`;

/** Imports a built module in a node where mocha cannot be found; resolves with its export names or the error. */
function importWithoutMocha(module: string): Promise<{ exports?: string[]; error?: string }> {
  const script = `import(${JSON.stringify(join(DIST, module))}).then((m) => console.log(JSON.stringify({ exports: Object.keys(m) })), (e) => console.log(JSON.stringify({ error: String(e.message) })))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', HIDE_MOCHA, '--input-type=module', '-e', script], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as { exports?: string[]; error?: string });
    });
  });
}

describe('the library entry', () => {
  describe('loads without mocha installed', () => {
    it('the entry itself', async () => {
      const { exports, error } = await importWithoutMocha('src/index.js');
      assert.equal(error, undefined);
      for (const name of ['loadFiles', 'runScenario', 'registerStepKind', 'registerOperator', 'registerTransport', 'startJanus']) assert.ok(exports?.includes(name), name);
    });

    it('while the mocha integration, under the same hook, does not (the hook works)', async () => {
      const { error } = await importWithoutMocha('src/mocha/index.js');
      assert.match(error ?? 'it loaded', /Cannot find package 'mocha'/);
    });
  });

  describe('loadFiles knows the catalogue by default', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'jstest-entry-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const load = (expect: string, options: LoadOptions = {}): string[] => {
      const file = join(dir, 'catalogue.yaml');
      writeFileSync(file, `name: catalogue names\nsteps:\n  - request: { janus: create }\n    expect: ${expect}\n`);
      return loadFiles([file], { cwd: dir, ...options }).diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    };

    it('error names under code: and schema names under $schema:', () => {
      assert.deepEqual(load('{ janus: error, error: { code: SESSION_NOT_FOUND } }'), []);
      assert.deepEqual(load('{ janus: error, error: { code: { $oneOf: [UNAUTHORIZED, SESSION_NOT_FOUND] } } }'), []);
      assert.deepEqual(load('{ $schema: core/success/create }'), []);
    });

    it('and refuses names the catalogue does not have, with a suggestion', () => {
      assert.match(load('{ janus: error, error: { code: SESSION_NOT_FUND } }').join('\n'), /^4:44 .*SESSION_NOT_FUND.*SESSION_NOT_FOUND/);
      assert.match(load('{ $schema: core/success/creat }').join('\n'), /^4:\d+ .*core\/success\/creat/);
    });

    it('options replace the catalogue', () => {
      const noNames = { code: () => undefined, names: () => [], plugin: () => undefined };
      assert.notDeepEqual(load('{ janus: error, error: { code: SESSION_NOT_FOUND } }', { errorCodes: noNames }), []);
      assert.notDeepEqual(load('{ $schema: core/success/create }', { knownSchema: () => false }), []);
      assert.deepEqual(load('{ $schema: my/own }', { knownSchema: (name) => name === 'my/own' }), []);
    });
  });
});
