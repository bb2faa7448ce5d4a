// Replaces dist/src/vendor/<name>.js, which tsc wrote as a re-export of a third-party package,
// with a one-file bundle of what it re-exports (esbuild). Node resolves, reads and compiles one
// module per package instead of dozens (yaml alone is ~130 CommonJS files): about a fifth of a
// second of CPU at the start of a run. The bundles carry no source map (the packages ship none
// of their own source); the .d.ts files stay tsc's, which name the packages' own types. Each
// bundle starts with the name, version and licence text of every package it holds.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { licences } from './licences.mjs';

const root = new URL('../', import.meta.url);
const folder = new URL('dist/src/vendor/', root);
const entries = readdirSync(folder).filter((f) => f.endsWith('.js'));
const HEADER = '/*\n * Bundled by scripts/bundle-vendor.mjs from:';

/**
 * How some packages are bundled, so that a command reads and runs only what it uses:
 * - `entry`: the module bundled for the package. yaml's ES module build (the same code as the
 *   CommonJS one Node would load): esbuild drops what the project does not use and evaluates no
 *   CommonJS wrapper per module, and yaml loads in about half the time. ws's client alone
 *   (lib/websocket.js, what the package's main exports as default): not its server.
 * - `fromNodeBuild`: modules of an ES module build whose browser variant differs (yaml's
 *   warnings through console.warn instead of process.emitWarning, !!binary as a Uint8Array
 *   instead of a Buffer), taken from the Node build with the names they export.
 * - `lazyBuiltins`: Node modules the package requires at load but uses only on some paths,
 *   required on first use instead: a ws:// client never loads TLS, HTTPS or zlib (they are
 *   about a third of what loading ws costs), a wss:// one loads them when it connects. ws's
 *   own client handshake (HTTP, node:net, querystring) is never used: the ws transport makes
 *   its own (src/transports/ws-handshake.ts), so a WebSocket run loads no node:http.
 * - `edits`: text replaced in a module, each `[find, replace, times]`, for what the package does
 *   at a cost the project measured. ws ends its frame parser, and the TCP socket, once more when
 *   the socket ends and again when it closes, after a close handshake had already ended both:
 *   Node's Writable.end() on an ended stream builds an error with a stack trace for nothing
 *   (ERR_STREAM_ALREADY_FINISHED, thrown away when no callback is given). Three a connection:
 *   without them, side by side in one process, a scenario each over WebSocket took the runner
 *   0.92 to 0.94 of its time.
 *   The guarded call does what the call did, without the error: end() on an ended stream with
 *   no callback changes nothing else. test/unit/ws-vendor.test.ts checks that no stream is ended twice.
 *   ws's buffer-util asks node:http for native masking functions that Node does not have (only
 *   for that, at load: 3 ms of a run's start-up); the edit asks nothing, so ws masks as it does
 *   when they are absent. ws-vendor.test.ts checks that this Node's node:http has none.
 */
const PACKAGES = {
  yaml: {
    entry: 'node_modules/yaml/browser/dist/index.js',
    fromNodeBuild: {
      'node_modules/yaml/browser/dist/log.js': { node: 'node_modules/yaml/dist/log.js', names: ['debug', 'warn'] },
      'node_modules/yaml/browser/dist/schema/yaml-1.1/binary.js': { node: 'node_modules/yaml/dist/schema/yaml-1.1/binary.js', names: ['binary'] },
    },
  },
  ws: {
    entry: 'node_modules/ws/lib/websocket.js',
    lazyBuiltins: { 'node_modules/ws/lib/websocket.js': ['http', 'https', 'net', 'querystring', 'tls'], 'node_modules/ws/lib/permessage-deflate.js': ['zlib'] },
    edits: {
      'node_modules/ws/lib/buffer-util.js': [["const { websocketMask, websocketUnmask } = require('http');", 'const { websocketMask, websocketUnmask } = {};', 1]],
      'node_modules/ws/lib/websocket.js': [
        ['websocket._receiver.end();', 'if (!websocket._receiver.writableEnded) websocket._receiver.end();', 2],
        ['\n  this.end();\n', '\n  if (!this.writableEnded) this.end();\n', 1],
      ],
    },
  },
};

/** A Node module required on the first use of one of its properties (see lazyBuiltins). */
const LAZY_BUILTIN = 'const __lazyBuiltin = (name) => { let loaded; return new Proxy({}, { get: (_, key) => (loaded ??= require(name))[key] }); };';

/**
 * `text` with `find` replaced by `replace`, when it occurs exactly `times` times; otherwise as it
 * was, with a warning: a new version of the package written otherwise still bundles and works,
 * only without the edit (the test named with the edit fails).
 */
function edited(file, text, find, replace, times) {
  const found = text.split(find).length - 1;
  if (found === times) return text.replaceAll(find, replace);
  console.warn(`bundle-vendor: ${file} has ${JSON.stringify(find)} ${found} time(s), not ${times}; left as it is`);
  return text;
}

const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Applies PACKAGES while bundling. */
const packageChoices = {
  name: 'package-choices',
  setup(b) {
    const at = (path) => new URL(path, root).pathname;
    for (const [name, { entry, fromNodeBuild = {}, lazyBuiltins = {}, edits = {} }] of Object.entries(PACKAGES)) {
      b.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: at(entry) }));
      for (const [browser, { node, names }] of Object.entries(fromNodeBuild)) {
        b.onLoad({ filter: new RegExp(`${escaped(at(browser))}$`) }, () => ({
          contents: `export { ${names.join(', ')} } from ${JSON.stringify(at(node))};`,
          resolveDir: at('.'),
          loader: 'js',
        }));
      }
      // One onLoad a file: esbuild takes the first that returns contents.
      for (const file of new Set([...Object.keys(lazyBuiltins), ...Object.keys(edits)])) {
        b.onLoad({ filter: new RegExp(`${escaped(at(file))}$`) }, (args) => {
          let text = readFileSync(args.path, 'utf8');
          for (const [find, replace, times] of edits[file] ?? []) text = edited(file, text, find, replace, times);
          const builtins = lazyBuiltins[file] ?? [];
          for (const builtin of builtins) {
            const required = `require('${builtin}')`;
            // A new version that requires it otherwise: the bundle still works, it only loads the module at once.
            if (!text.includes(required)) console.warn(`bundle-vendor: ${file} no longer has ${required}; it is loaded at once`);
            text = text.replaceAll(required, `__lazyBuiltin('${builtin}')`);
          }
          return { contents: builtins.length > 0 ? `${LAZY_BUILTIN}\n${text}` : text, loader: 'js' };
        });
      }
    }
  },
};

let bundled = 0;
for (const file of entries) {
  const path = new URL(file, folder).pathname;
  // Already a bundle (the script ran twice without tsc in between): bundling it again would not do.
  if (readFileSync(path, 'utf8').startsWith(HEADER)) continue;
  const { metafile } = await build({
    entryPoints: [path],
    outfile: path,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Optional native speed-ups of ws: required only if installed, never bundled.
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [packageChoices],
    // CommonJS code in an ES module bundle: its require() of Node's built-ins needs a real require.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module';\nconst require = __vendorRequire(import.meta.url);" },
    legalComments: 'inline',
    metafile: true,
    logLevel: 'warning',
  });
  rmSync(`${path}.map`, { force: true });
  writeFileSync(path, `${licences(HEADER, Object.keys(metafile.inputs))}${readFileSync(path, 'utf8')}`);
  bundled++;
}
console.log(`bundled ${bundled} vendor package(s)${bundled < entries.length ? `, ${entries.length - bundled} already bundled` : ''}`);
