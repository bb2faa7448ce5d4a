#!/usr/bin/env node
// Makes sure a `janus` binary is on PATH before tests or conformance runs start managed
// instances. As root it installs the Debian package; otherwise it says what to run and
// exits 3 (the CLI's "infrastructure" exit code). Plain Node, no dependencies.
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

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// Media scenarios run Janus in a network namespace set up with `ip` (iproute2); without it
// they are skipped, so only root installs it, and nobody is stopped for lack of it.
if (!findOnPath('ip') && isRoot) {
  console.log('ensure-janus: ip not found, installing iproute2 for the media scenarios');
  aptGet(['install', '-y', 'iproute2']) || (aptGet(['update']) && aptGet(['install', '-y', 'iproute2']));
}

const found = findOnPath('janus');
if (found) {
  console.log(`janus found: ${found}`);
  process.exit(0);
}

if (!isRoot) {
  console.error('ensure-janus: janus is not installed (no `janus` on PATH).');
  console.error('Install it with:  sudo apt-get install -y janus');
  console.error('(on Debian/Ubuntu; run `sudo apt-get update` first if the package is not found)');
  process.exit(3);
}

console.log('ensure-janus: janus not found, installing the Debian package');
// A fresh container often has no package lists yet; only then is the update worth its time.
const installed = aptGet(['install', '-y', 'janus']) || (aptGet(['update']) && aptGet(['install', '-y', 'janus']));
const path = findOnPath('janus');
if (!installed || !path) {
  console.error('ensure-janus: installing janus failed; try `apt-get update && apt-get install -y janus` by hand.');
  process.exit(3);
}
console.log(`janus found: ${path}`);
