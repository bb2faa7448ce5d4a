import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { JanusStartError } from './errors.js';

/** Where an installed Janus keeps its binary, modules and shared scripts. */
export interface JanusInstallation {
  /** Absolute path of the janus executable. */
  binary: string;
  /** Folder with plugins/, transports/, events/, loggers/ (e.g. /usr/lib/x86_64-linux-gnu/janus). */
  moduleDir: string;
  /** Folder with lua/ and duktape/ scripts (e.g. /usr/share/janus). */
  shareDir: string;
  /** util-linux setpriv, used to tie Janus's life to ours; undefined where it is missing. */
  setpriv: string | undefined;
}

const INSTALL_HINT = 'run `npm run ensure-janus` or `apt-get install -y janus`';

export async function findInstallation(binary = 'janus', moduleDir?: string): Promise<JanusInstallation> {
  const binaryPath = await findExecutable(binary);
  if (!binaryPath) throw new JanusStartError(`Janus binary '${binary}' ${await whyNotABinary(binary)}`);
  // Debian installs /usr/bin/janus with modules in /usr/lib/<triplet>/janus; source builds
  // use <prefix>/bin/janus and <prefix>/lib/janus. Follow symlinks to find the real prefix.
  const prefix = dirname(dirname(await realpath(binaryPath)));
  const candidates = moduleDir
    ? [moduleDir]
    : [join(prefix, 'lib', multiarchTriplet(), 'janus'), join(prefix, 'lib', 'janus'), join(prefix, 'lib64', 'janus')];
  for (const dir of candidates) {
    if (await isDirectory(join(dir, 'plugins'))) {
      return { binary: binaryPath, moduleDir: dir, shareDir: join(prefix, 'share', 'janus'), setpriv: await findExecutable('setpriv') };
    }
  }
  throw new JanusStartError(`Janus modules not found (looked for plugins/ in ${candidates.join(', ')}); ${INSTALL_HINT}`);
}

/**
 * What is wrong with a binary findExecutable refused: a path given that is a folder (an install
 * prefix: its bin/janus is named) or a file that cannot run says so, instead of sending the user
 * to install a Janus they have.
 */
async function whyNotABinary(binary: string): Promise<string> {
  if (binary.includes('/')) {
    if (await isDirectory(binary)) {
      const inside = join(binary, 'bin', 'janus');
      return (await isExecutableFile(inside)) ? `is a folder; its janus is ${inside}` : 'is a folder, not the janus executable';
    }
    if (await exists(binary)) return 'is not executable';
  }
  return `not found; ${INSTALL_HINT}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A path as given when it contains a '/', else the first match on PATH, like a shell. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [name]
    : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Debian's multiarch folder name for this CPU (/usr/lib/<triplet>/janus). */
function multiarchTriplet(): string {
  const triplets: Record<string, string> = {
    x64: 'x86_64-linux-gnu',
    arm64: 'aarch64-linux-gnu',
    arm: 'arm-linux-gnueabihf',
    ia32: 'i386-linux-gnu',
    ppc64: 'powerpc64le-linux-gnu',
    s390x: 's390x-linux-gnu',
  };
  return triplets[process.arch] ?? `${process.arch}-linux-gnu`;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
