'use strict';
// Copied into dist/bundle/ by scripts/bundle-package.mjs. Compiles bundle.cjs (every module of
// the package in one function) once per process, with the V8 code cache the build wrote
// beside it (bundle.cjs.cache), and exports what the bundle exports: each public entry as a
// function that runs its modules and returns its exports. Compiling through node:vm is how
// Node 20 lets a script use a code cache; the cache saves most of the compiling a command
// does before its first request.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

// The flags src/match/safe-regex.ts and src/run/heap-tuning.ts set when they load, set before
// compiling: V8 takes a cache only under the flags it was made with, and the build's run made it
// after they loaded (v8-flags.test.ts checks that this list is theirs).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--no-allocation-site-pretenuring');

const file = join(__dirname, 'bundle.cjs');
const cacheFile = `${file}.cache`;
const bytes = readFileSync(file);
// The cache starts with the id of the bundle it was made from (the build's SHA-1 of it, its last
// line): V8 checks only a source's length, and running another bundle's compiled code would be
// anything but a clear error.
const id = bundleId();
const cachedData = cachedCode();
// The bundle is one function expression (scripts/bundle-package.mjs), in ASCII alone.
const script = new Script(bytes.toString('latin1'), { filename: file, cachedData });
if (process.env.JANUS_SCENARIOS_WRITE_CODE_CACHE) {
  // At exit: the cache then holds what the process compiled on its way, not only the top level.
  process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([id, script.createCachedData()])));
}
const bundle = { exports: {} };
// A real import() (a package or a user's module by a name known at run time), resolved from
// this folder as the bundle's own would be.
const importModule = (specifier) => import(specifier);
// JANUS_SCENARIOS_TRACE_MODULES=1: whether V8 took the code cache, and each module's path
// (dist/src/...) when it first runs, on stderr.
let traceModule;
if (process.env.JANUS_SCENARIOS_TRACE_MODULES) {
  process.stderr.write(`code cache ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'taken'}\n`);
  traceModule = (path) => process.stderr.write(`module ${path}\n`);
}
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, __dirname, importModule, traceModule);
module.exports = bundle.exports;

/** The code cache made from this very bundle, or undefined (none, or made from another). */
function cachedCode() {
  try {
    const cache = readFileSync(cacheFile);
    return id.length > 0 && cache.subarray(0, id.length).equals(id) ? cache.subarray(id.length) : undefined;
  } catch {
    return undefined;
  }
}

/** The hexadecimal id of the bundle's last line (`//# bundle-id <40 digits>`), as bytes; none without one. */
function bundleId() {
  const line = bytes.subarray(Math.max(0, bytes.length - 56));
  const found = /\n\/\/# bundle-id ([0-9a-f]{40})\n$/.exec(line.toString('latin1'));
  return found ? Buffer.from(found[1], 'latin1') : Buffer.alloc(0);
}
