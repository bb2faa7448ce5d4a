import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { makeOwnedFolder } from './stale-folders.js';
import { join } from 'node:path';
import { JanusStartError } from './errors.js';

/** A self-signed certificate for CN=localhost with SANs DNS:localhost and IP:127.0.0.1. */
export interface TlsCertificate {
  certPem: string;
  keyPem: string;
}

let cached: Promise<TlsCertificate> | undefined;

/**
 * One certificate per process: RSA key generation costs about 120 ms, and every instance can
 * share it because clients trust it by content (caPem), not by instance.
 */
export function selfSignedCertificate(): Promise<TlsCertificate> {
  cached ??= generateCertificate().catch((err: unknown) => {
    cached = undefined; // let a later call try again, e.g. after openssl gets installed
    throw err;
  });
  return cached;
}

async function generateCertificate(): Promise<TlsCertificate> {
  const dir = makeOwnedFolder('cert-');
  try {
    const args = [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
      '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ];
    await new Promise<void>((resolve, reject) => {
      execFile('openssl', args, { cwd: dir }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'openssl not found (needed for https/wss); run `apt-get install -y openssl`'
          : `openssl could not create the test certificate: ${stderr.trim().split('\n').pop() ?? err.message}`;
        reject(new JanusStartError(reason));
      });
    });
    const [certPem, keyPem] = await Promise.all([readFile(join(dir, 'cert.pem'), 'utf8'), readFile(join(dir, 'key.pem'), 'utf8')]);
    return { certPem, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
