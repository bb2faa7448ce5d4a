// Bundles the package's own modules (tsc's output in dist/src and dist/reporters) into ONE
// CommonJS file, dist/bundle/bundle.cjs, with esbuild, and writes V8's code cache for it
// (bundle.cjs.cache): a command then reads two files and deserialises compiled code instead of
// resolving, reading and compiling dozens of modules, most of a command's start-up. Node 20 has
// no code cache for ES modules (module.enableCompileCache came in Node 22); for a script compiled
// through node:vm it has one, which is why the bundle is CommonJS and loaded by
// scripts/load-bundle.cjs (copied beside it).
//
// ONE bundle for the command line AND every public entry of the exports map: a user's module
// that imports 'janus-scenarios' (a --transport-module file, a mocha reporter, a config file)
// reaches the very same loaded bundle as the command line that loaded it (Node's require cache
// holds load-bundle.cjs once), so there is one copy of each registry and `instanceof
// TransportFault` holds. Each entry is an `import()` of the bundle's own entry module, so esbuild
// wraps every module in a function run on first use: a command runs only the modules its
// `import()`s reach, as the chunks of a split build did. The files of the exports map and the
// bin stay ES modules of a few lines that take their entry's exports from the bundle.
//
// What a module reaches relative to its own file (package.json, schema/*.json, the precompiled
// validators, the peer process and netns agent it forks) still resolves from where tsc put it:
// each module's `import.meta.url` is rewritten to the URL of its own file in dist/. The vendor
// bundles (scripts/bundle-vendor.mjs) are bundled in, their licence headers heading the bundle;
// third-party packages stay `require`s by name (native ones, and the optional ones loaded on
// demand by a real `import()`, must stay so), but ajv's compiler (see BUNDLED_REQUIRES). No
// source map: `types` still name tsc's .d.ts files and dist/src keeps tsc's modules and maps
// for a debugger and for the tests that import them.
import { deepStrictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transformSync } from 'esbuild';
import { licences } from './licences.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = resolve(root, 'dist');
const outdir = resolve(dist, 'bundle');
/** Set (to anything) in the environment of a process whose loader is to write the code cache when it exits. */
const WRITE_CODE_CACHE = 'JANUS_SCENARIOS_WRITE_CODE_CACHE';

/** Output file name (no extension) → tsc's module; the exports map and bin point at these. */
export const ENTRIES = {
  cli: 'src/cli/main.js',
  index: 'src/index.js',
  mocha: 'src/mocha/index.js',
  'reporter-junit': 'reporters/junit.js',
  'reporter-json': 'reporters/json.js',
  'reporter-tap': 'reporters/tap.js',
  'reporter-html': 'reporters/html/index.js',
};

/**
 * Modules whose exports are plain data built by code (the message catalogue: core, Admin API and
 * plugin schemas, composed with helper functions): the bundle holds their value, computed here
 * from the very modules of this build, as JSON that Node parses many times faster than it
 * compiles and runs the modules (the catalogue was a sixth of a run's start). An export that is
 * a function of no arguments returns data: the bundle's parses it on its first call and returns
 * that ever after (the plugins' schemas, which a run needs at its first plugin message, not at
 * start). An export that does not survive JSON unchanged fails the build.
 */
const DATA_MODULES = ['src/schemas/core/index.js', 'src/schemas/admin/index.js', 'src/schemas/plugins/index.js'];

async function dataModuleText(path) {
  const exports = await import(pathToFileURL(path).href);
  return Object.entries(exports).map(([name, exported]) => {
    const lazy = typeof exported === 'function';
    if (lazy && exported.length > 0) throw new Error(`${relative(dist, path)}: export ${name} is a function of arguments, not data (see DATA_MODULES)`);
    const value = lazy ? exported() : exported;
    const json = JSON.stringify(value);
    try {
      deepStrictEqual(JSON.parse(json), value);
    } catch {
      throw new Error(`${relative(dist, path)}: export ${name} is not plain JSON data, so it cannot be bundled as its value (see DATA_MODULES)`);
    }
    if (!lazy) return `export const ${name} = JSON.parse(${JSON.stringify(json)});\n`;
    return `let ${name}Value;\nexport function ${name}() {\n  return (${name}Value ??= JSON.parse(${JSON.stringify(json)}));\n}\n`;
  }).join('');
}
const dataModules = new Map(await Promise.all(DATA_MODULES.map(async (m) => [resolve(dist, m), await dataModuleText(resolve(dist, m))])));

/** A path from the bundle folder, as a relative URL. */
const fromBundle = (path) => relative(outdir, path).split('\\').join('/');

/**
 * Modules bundled in, not left to Node to resolve and compile file by file, though the module
 * named loads them with a require of its own (createRequire): ajv's compiler (about 90 CommonJS
 * files, 50 ms of a one-flow run), which the message checks load on their first message, and the
 * build's standalone validators (scripts/precompile-validators.mjs), three of which a run loads
 * before its first request. Each call, `call`, becomes a call of a module whose require esbuild
 * bundles, still made on first use only. What it requires in turn is bundled with it (see
 * packagesByName): the files whose path holds `within`.
 */
const BUNDLED_REQUIRES = new Map([
  ['src/schemas/validators.js', [
    { call: "require('ajv/dist/2020.js')", module: 'ajv/dist/2020.js', within: '/node_modules/' },
    { call: "require('./precompiled/index.cjs')", module: resolve(dist, 'src/schemas/precompiled/index.cjs'), within: `${resolve(dist, 'src/schemas/precompiled')}/` },
  ]],
]);
const bundledWithin = [...BUNDLED_REQUIRES.values()].flat().map(({ within }) => within);

/**
 * Every package by name stays a require of the installed package (native ones, and the
 * optional ones loaded on demand, must), but the modules of BUNDLED_REQUIRES and what they
 * require in turn.
 */
const packagesByName = {
  name: 'packages-by-name',
  setup(b) {
    b.onResolve({ filter: /^bundled-require:/ }, (args) => ({ path: args.path.slice('bundled-require:'.length), namespace: 'bundled-require' }));
    b.onLoad({ filter: /.*/, namespace: 'bundled-require' }, (args) => ({ contents: `export const load = () => require(${JSON.stringify(args.path)});\n`, loader: 'js', resolveDir: root }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || isBuiltin(args.path)) return { path: args.path, external: true };
      const bundled = args.namespace === 'bundled-require' || bundledWithin.some((part) => args.importer.includes(part));
      return bundled ? undefined : { path: args.path, external: true };
    });
  },
};

/** A module of BUNDLED_REQUIRES with its calls replaced by the bundled modules'; any other as it is. */
function withBundledRequire(module, text) {
  const imports = (BUNDLED_REQUIRES.get(module) ?? []).map((bundled, i) => {
    if (!text.includes(bundled.call)) throw new Error(`${module} no longer has ${bundled.call}: see BUNDLED_REQUIRES in scripts/bundle-package.mjs`);
    text = text.replace(bundled.call, `__bundledLoad${i}()`);
    return `import { load as __bundledLoad${i} } from ${JSON.stringify(`bundled-require:${bundled.module}`)};\n`;
  });
  return `${imports.join('')}${text}`;
}

/** Each of the project's modules as it was, but with its own file's URL as `import.meta.url`. */
const ownFileUrls = {
  name: 'own-file-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(`${dist}/`)) return undefined;
      const data = dataModules.get(args.path);
      if (data !== undefined) return { contents: `// ${relative(root, args.path)}: its exports' values (DATA_MODULES)\n${data}`, loader: 'js', resolveDir: dirname(args.path) };
      let text = readFileSync(args.path, 'utf8');
      if (text.startsWith('#!')) text = text.slice(text.indexOf('\n') + 1);
      text = withBundledRequire(relative(dist, args.path), text);
      if (/\bimport\.meta\.url\b/.test(text)) {
        text = `const __ownFileUrl = new URL(${JSON.stringify(fromBundle(args.path))}, __bundleUrl).href;\n${text.replace(/\bimport\.meta\.url\b/g, '__ownFileUrl')}`;
      }
      return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** The bundle's entry module: each public entry as an `import()`, run when asked for. */
const entryModule = `export const entries = {\n${Object.entries(ENTRIES).map(([name, path]) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(resolve(dist, path))}),`).join('\n')}\n};\n`;

rmSync(outdir, { recursive: true, force: true });
const bundleFile = resolve(outdir, 'bundle.cjs');
const { metafile } = await build({
  stdin: { contents: entryModule, resolveDir: dist, sourcefile: 'entries.js', loader: 'js' },
  outfile: bundleFile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [packagesByName, ownFileUrls],
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'inline',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(bundleFile, withBundleId(asciiScript(`${thirdPartyLicences(Object.keys(metafile.inputs))}${asFunction(withoutWhitespace(importsThroughLoader(tracedInits(readFileSync(bundleFile, 'utf8')))))}`)));

/**
 * The licence texts of the third-party code in the bundle, heading it: the packages bundled
 * here (BUNDLED_REQUIRES), and the vendor bundles' own headers (scripts/bundle-vendor.mjs),
 * which esbuild does not keep (they are no legal comments).
 */
function thirdPartyLicences(inputs) {
  const here = inputs.some((input) => input.includes('node_modules/')) ? licences('/*\n * Bundled by scripts/bundle-package.mjs from:', inputs) : '';
  const vendor = inputs.filter((input) => input.startsWith('dist/src/vendor/')).sort().map((input) => {
    const text = readFileSync(resolve(root, input), 'utf8');
    return text.startsWith('/*') ? text.slice(0, text.indexOf('*/') + 3) : '';
  });
  return [here, ...vendor].join('');
}

/**
 * Each module's function (esbuild's `__esm` and `__commonJS` helpers) tells the loader's `__traceModule` the
 * module's path when it first runs, if the loader was asked to trace (what a command ran, for
 * the tests that check it loads no more than it needs).
 */
function tracedInits(text) {
  const init = 'var __esm = (fn, res, err) => function __init() {\n';
  if (!text.includes(init)) throw new Error(`esbuild's __esm helper is no longer "${init.trim()}": see tracedInits in scripts/bundle-package.mjs`);
  // A CommonJS module bundled in (BUNDLED_REQUIRES) runs on its first require, through __commonJS.
  const required = /^var __commonJS = \(cb, mod\) => function __require\d*\(\) \{\n/m;
  return text
    .replace(init, `${init}  if (fn && __traceModule) __traceModule(__getOwnPropNames(fn)[0]);\n`)
    .replace(required, (helper) => `${helper}  if (!mod && __traceModule) __traceModule(__getOwnPropNames(cb)[0]);\n`);
}

/**
 * The `import()`s left in the bundle are real ones (a package or a user's module, by a name
 * known at run time): a script compiled by node:vm cannot run them, so they call the loader's
 * `__import` instead, which resolves from the bundle's folder as the bundle's own would.
 */
function importsThroughLoader(text) {
  return text.replace(/(?<![\w$.])import\(/g, '__import(');
}

/**
 * The bundle's code without the whitespace and comments it can do without (names and licence
 * comments stay): a third less to read and decode at each start, 3 ms of a run's start-up. Its
 * stack traces name functions as before, at lines of their own no longer (dist/src keeps tsc's
 * modules, maps and all, for a debugger).
 */
function withoutWhitespace(text) {
  return transformSync(text, { loader: 'js', format: 'cjs', minifyWhitespace: true, legalComments: 'inline', target: 'node20' }).code;
}

/**
 * The bundle as one function expression, which the loader compiles as it reads it and calls
 * with what a CommonJS module is given, and its own `__import` and `__traceModule` (a wrapper
 * added at load would make V8 copy 3 MB into one string first). Strict, as the ES modules it was
 * made from are (esbuild writes no directive for them).
 */
function asFunction(text) {
  return `(function (exports, require, module, __filename, __dirname, __import, __traceModule) {'use strict';\n${text}\n})`;
}

/**
 * The bundle with its id as its last line: the SHA-1 of all before it. The loader reads it there
 * and takes the code cache only when the cache starts with the same id, so a cache is never
 * used with a bundle other than the one it was made from, without hashing 3 MB at each start.
 */
function withBundleId(text) {
  return `${text}\n//# bundle-id ${createHash('sha1').update(text).digest('hex')}\n`;
}

/**
 * The bundle in ASCII alone (any other character as a \\u escape, the same in a string, a
 * template, a regular expression or a comment): the loader reads it as Latin-1, five times
 * faster than decoding UTF-8.
 */
function asciiScript(text) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

writeFileSync(resolve(outdir, 'load-bundle.cjs'), readFileSync(resolve(root, 'scripts/load-bundle.cjs')));
// The files of the exports map: ES modules that take their entry's exports from the bundle. The
// bin is CommonJS (cli.cjs): an ES module as the main file makes Node start its ES module loader
// first (a dozen of its own modules), about 7 ms of every command's start-up for nothing.
for (const [name, path] of Object.entries(ENTRIES)) {
  const take = `createRequire(import.meta.url)('./load-bundle.cjs').entries[${JSON.stringify(name)}]()`;
  const generated = `// Generated by scripts/bundle-package.mjs: ${path} from the bundle (bundle.cjs).\n`;
  if (name === 'cli') {
    writeFileSync(resolve(outdir, 'cli.cjs'), `#!/usr/bin/env node\n${generated}'use strict';\nrequire('./load-bundle.cjs').entries.cli();\n`);
    continue;
  }
  const names = Object.keys(await import(pathToFileURL(resolve(dist, path)).href));
  const named = names.filter((n) => n !== 'default');
  const text = `import { createRequire } from 'node:module';\nconst entry = await ${take};\n`
    + (named.length > 0 ? `export const { ${named.join(', ')} } = entry;\n` : '')
    + (names.includes('default') ? 'export default entry.default;\n' : '');
  writeFileSync(resolve(outdir, `${name}.js`), `${generated}${text}`);
}
// The package scope of every file in the folder, found at once: Node looks for a package.json
// beside each module it loads (for its type), and would otherwise look in dist/bundle, then dist.
writeFileSync(resolve(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
console.log(`bundled ${Object.keys(metafile.inputs).length} modules into dist/bundle/bundle.cjs`);
await writeCodeCache();

/**
 * Writes bundle.cjs.cache: V8's code for what a command compiles on its way to a first request
 * (loading, checking and compiling a scenario, planning, connecting over WebSocket and HTTP,
 * reporting), from a run of the bin with nothing listening at its URLs (exit 3). Functions it
 * did not reach are compiled on first use, as without a cache. The cache holds only for this
 * Node (V8 rejects another's): the build runs where the package is built, and elsewhere the
 * bundle is compiled as any script is.
 */
async function writeCodeCache() {
  const { schemaNames } = await import(pathToFileURL(resolve(dist, 'src/schemas/catalogue.js')).href);
  const compiledAtRunTime = schemaNames().find((name) => !name.startsWith('core/'));
  const port = await closedPort();
  const folder = mkdtempSync(resolve(tmpdir(), 'janus-scenarios-build-'));
  try {
    const scenario = resolve(folder, 'one.yaml');
    writeFileSync(scenario, 'name: code cache\nsteps:\n  - request: create\n    expect: { janus: success, data: { id: $integer } }\n  - request: destroy\n    expect: { janus: success }\n');
    // Both transports a first run most likely uses: each connects (and is refused) in the one
    // run. Before it, ajv compiles one schema of the catalogue that the build did not
    // (src/schemas/validators.ts), as a run's first plugin message makes it do.
    const argv = [resolve(outdir, 'cli.cjs'), 'run', scenario, '--url', `ws://127.0.0.1:${port}/`, '--url', `http://127.0.0.1:${port}/janus`];
    const workload = `
      const bundle = require(${JSON.stringify(resolve(outdir, 'load-bundle.cjs'))});
      bundle.entries.index().then((library) => {
        library.validateSchema(${JSON.stringify(compiledAtRunTime)}, {});
        process.argv = [process.execPath, ...${JSON.stringify(argv)}];
        return bundle.entries.cli();
      });`;
    const run = spawnSync(process.execPath, ['-e', workload], { cwd: folder, encoding: 'utf8', timeout: 60_000, env: { ...process.env, [WRITE_CODE_CACHE]: '1', NO_COLOR: '1' } });
    if (run.status !== 3 || !existsSync(`${bundleFile}.cache`)) throw new Error(`the run that writes the code cache ended with ${run.status ?? run.signal}, not 3: ${run.stderr.slice(-500)}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A loopback port nothing listens on (one the system just gave and took back). */
async function closedPort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}
