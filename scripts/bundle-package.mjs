// Bundles the package's own modules (tsc's output in dist/src and dist/reporters) into
// dist/bundle/ with esbuild: Node then resolves, reads and compiles a handful of files at start
// instead of ~150 modules one by one, most of a command's start-up.
//
// ONE build whose entry points are the command line AND every public entry of the exports map:
// a user's module that imports 'janus-scenarios' (a --transport-module file, a mocha reporter,
// a config file) loads the very same files as the command line that loaded it, so there is one
// copy of each registry and `instanceof TransportFault` holds. `splitting` keeps each command's
// `import()` a chunk of its own, loaded only when that command runs, and puts what entries share
// in shared chunks. All output files sit in one folder, so a chunk's `import.meta.url` is that
// folder whichever chunk a module lands in.
//
// What a module reaches relative to its own file (package.json, schema/*.json, the precompiled
// validators, the vendor bundles, the peer process and netns agent it forks) still resolves from
// where tsc put it: each module's `import.meta.url` is rewritten to the URL of its own file in
// dist/. The vendor bundles (scripts/bundle-vendor.mjs) stay files of their own, with their
// licence headers; third-party packages stay imports by name (native ones, and the optional
// ones loaded on demand, must stay so). No source map: `types` still name tsc's .d.ts files and
// dist/src keeps tsc's modules and maps for a debugger and for the tests that import them.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = resolve(root, 'dist');
const outdir = resolve(dist, 'bundle');
const vendor = resolve(dist, 'src/vendor');

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
 * compiles and runs the modules (the catalogue was a sixth of a run's start). An export that
 * does not survive JSON unchanged fails the build.
 */
const DATA_MODULES = ['src/schemas/core/index.js', 'src/schemas/admin/index.js', 'src/schemas/plugins/index.js'];

async function dataModuleText(path) {
  const exports = await import(pathToFileURL(path).href);
  return Object.entries(exports).map(([name, value]) => {
    const json = JSON.stringify(value);
    try {
      deepStrictEqual(JSON.parse(json), value);
    } catch {
      throw new Error(`${relative(dist, path)}: export ${name} is not plain JSON data, so it cannot be bundled as its value (see DATA_MODULES)`);
    }
    return `export const ${name} = JSON.parse(${JSON.stringify(json)});\n`;
  }).join('');
}
const dataModules = new Map(await Promise.all(DATA_MODULES.map(async (m) => [resolve(dist, m), await dataModuleText(resolve(dist, m))])));

/** A path from the bundle folder, as an import specifier or URL. */
const fromBundle = (path) => relative(outdir, path).split('\\').join('/');

/** Each of the project's modules as it was, but with its own file's URL as `import.meta.url`. */
const ownFileUrls = {
  name: 'own-file-urls',
  setup(b) {
    // The vendor bundles: imported from where they are, not copied in.
    b.onResolve({ filter: /\/vendor\/[^/]+\.js$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return dirname(path) === vendor ? { path: `./${fromBundle(path)}`.replace(/^\.\/\.\.\//, '../'), external: true } : undefined;
    });
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(`${dist}/`)) return undefined;
      const data = dataModules.get(args.path);
      if (data !== undefined) return { contents: `// ${relative(root, args.path)}: its exports' values (DATA_MODULES)\n${data}`, loader: 'js', resolveDir: dirname(args.path) };
      let text = readFileSync(args.path, 'utf8');
      if (/\bimport\.meta\.url\b/.test(text)) {
        const hashbang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
        text = `${hashbang}const __ownFileUrl = new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href;\n${text.slice(hashbang.length).replace(/\bimport\.meta\.url\b/g, '__ownFileUrl')}`;
      }
      return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, resolve(dist, path)])),
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every package by name: installed next to the package, native or optional ones among them.
  packages: 'external',
  plugins: [ownFileUrls],
  legalComments: 'inline',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
});
// The package scope of every file in the folder, found at once: Node looks for a package.json
// beside each module it loads (for its type), and would otherwise look in dist/bundle, then
// dist, before the package's own, for each of the ~60 files a run loads.
writeFileSync(resolve(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
const outputs = Object.keys(metafile.outputs);
console.log(`bundled ${Object.keys(metafile.inputs).length} modules into ${outputs.length} files in dist/bundle`);
