#!/usr/bin/env node
// Makes sure a `janus` binary (and `xmllint`, for the tests) is on PATH before tests or
// conformance runs start managed instances. As root it installs the Debian packages; otherwise
// it says what to run and exits 3 (the CLI's "infrastructure" exit code). Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Runs apt-get with the terminal attached, so its progress and prompts-turned-errors are visible. */
function aptGet(args) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) console.error(`ensure-janus: could not run apt-get: ${result.error.message}`);
  return result.status === 0;
}

// What the tests and runs need from Debian: the binary, and the package that has it.
const NEEDED = [
  { binary: 'janus', pkg: 'janus' },
  // The tests check JUnit reports against a JUnit schema with xmllint.
  { binary: 'xmllint', pkg: 'libxml2-utils' },
];

const missing = NEEDED.filter(({ binary }) => {
  const found = findOnPath(binary);
  if (found) console.log(`${binary} found: ${found}`);
  return !found;
});
if (missing.length === 0) process.exit(0);
const packages = missing.map((m) => m.pkg);

if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`ensure-janus: not installed (not on PATH): ${missing.map((m) => m.binary).join(', ')}.`);
  console.error(`Install with:  sudo apt-get install -y ${packages.join(' ')}`);
  console.error('(on Debian/Ubuntu; run `sudo apt-get update` first if a package is not found)');
  process.exit(3);
}

console.log(`ensure-janus: installing the Debian packages ${packages.join(', ')}`);
// A fresh container often has no package lists yet; only then is the update worth its time.
const installed = aptGet(['install', '-y', ...packages]) || (aptGet(['update']) && aptGet(['install', '-y', ...packages]));
const stillMissing = missing.filter(({ binary }) => !findOnPath(binary));
if (!installed || stillMissing.length > 0) {
  console.error(`ensure-janus: installing failed; try \`apt-get update && apt-get install -y ${packages.join(' ')}\` by hand.`);
  process.exit(3);
}
for (const { binary } of missing) console.log(`${binary} found: ${findOnPath(binary)}`);
