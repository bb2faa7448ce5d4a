#!/usr/bin/env node
// Makes sure a `janus` binary is on PATH before tests or conformance runs start managed
// instances, and with --test-peers also what only the tests use: `sipp` and `turnserver` (SIP
// and STUN peers), `xmllint` (JUnit reports against a JUnit schema) and Debian's `chromium`
// (the HTML report, opened headless). As root it installs the Debian packages; otherwise it says what to run and
// exits 3 (the CLI's "infrastructure" exit code). Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
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

/**
 * Makes sure `binary` is on PATH, installing the Debian package `pkg` as root; exits 3 with
 * what to run otherwise.
 */
function ensure(binary, pkg) {
  const found = findOnPath(binary);
  if (found) {
    console.log(`${binary} found: ${found}`);
    return;
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`ensure-janus: ${binary} is not installed (no \`${binary}\` on PATH).`);
    console.error(`Install it with:  sudo apt-get install -y ${pkg}`);
    console.error('(on Debian/Ubuntu; run `sudo apt-get update` first if the package is not found)');
    process.exit(3);
  }
  console.log(`ensure-janus: ${binary} not found, installing the Debian package ${pkg}`);
  // A fresh container often has no package lists yet; only then is the update worth its time.
  const installed = aptGet(['install', '-y', pkg]) || (aptGet(['update']) && aptGet(['install', '-y', pkg]));
  const path = findOnPath(binary);
  if (!installed || !path) {
    console.error(`ensure-janus: installing ${pkg} failed; try \`apt-get update && apt-get install -y ${pkg}\` by hand.`);
    process.exit(3);
  }
  console.log(`${binary} found: ${path}`);
}

ensure('janus', 'janus');
// Media scenarios run Janus in a network namespace set up with `ip` (iproute2); without it they
// are skipped with the reason, so only root installs it and nobody is stopped for lack of it.
if (!findOnPath('ip') && typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log('ensure-janus: ip not found, installing iproute2 for the media scenarios');
  aptGet(['install', '-y', 'iproute2']) || (aptGet(['update']) && aptGet(['install', '-y', 'iproute2']));
}
// The tests also need peers, a schema checker and a browser; a conformance run does not.
if (process.argv.includes('--test-peers')) {
  ensure('sipp', 'sip-tester');
  ensure('turnserver', 'coturn');
  ensure('xmllint', 'libxml2-utils');
  ensure('chromium', 'chromium');
  ensureJanusBuilds(['1.3.3', '1.4.1']);
}

/** install.sh of the Janus builds: $JANUS_BUILDS, or shared/janus-builds beside the repository or above it. */
function buildsInstaller() {
  const candidates = [process.env.JANUS_BUILDS, '../../shared/janus-builds', '../../../shared/janus-builds', '/work/shared/janus-builds']
    .filter(Boolean)
    .map((dir) => (dir.startsWith('/') ? `${dir}/install.sh` : new URL(`${dir}/install.sh`, import.meta.url).pathname));
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

/**
 * The upgrade tests run later Janus releases, built from the upstream tags into
 * /opt/janus-<version> by ../shared/janus-builds/install.sh (next to the repository). As root
 * a missing one is installed; otherwise the command to run is printed and the run stops (exit 3).
 */
function ensureJanusBuilds(versions) {
  const script = buildsInstaller();
  for (const version of versions) {
    const binary = `/opt/janus-${version}/bin/janus`;
    try {
      accessSync(binary, constants.X_OK);
      console.log(`janus ${version} found: ${binary}`);
      continue;
    } catch {
      // not installed yet
    }
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      console.error(`ensure-janus: Janus ${version} is not installed (${binary}); run \`${script} ${version}\` as root.`);
      process.exit(3);
    }
    const result = spawnSync(script, [version], { stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`ensure-janus: installing Janus ${version} with ${script} failed.`);
      process.exit(3);
    }
  }
}
