import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { makeOwnedFolder, removeStaleFolders } from '../../src/managed/stale-folders.js';

/**
 * Every temp folder the tool (and its test peers) makes names its owner: a later command removes
 * those of runs that died unclean, never those of live runs, whatever their kind (suffix).
 */
describe('stale owned folders', () => {
  const made: string[] = [];
  after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('removes the folders of a dead owner, of every kind, and keeps those of a live one; 0700', () => {
    const kinds = ['', 'cert-', 'peers-'];
    const live = kinds.map((k) => makeOwnedFolder(k));
    const dead = kinds.map((k) => makeOwnedFolder(k));
    made.push(...live, ...dead);
    // A pid that existed and is gone: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    for (const dir of dead) writeFileSync(join(dir, 'owner.json'), JSON.stringify({ pid: Number(gone), started: '1' }));
    for (const dir of [...live, ...dead]) {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')).pid > 0, true);
    }
    const peers = dead[2]!;
    assert.match(basename(peers), /^janus-scenarios-peers-/);
    removeStaleFolders(tmpdir());
    assert.deepEqual(dead.filter(existsSync), []);
    assert.deepEqual(live.filter((d) => !existsSync(d)), []);
  });

  it('leaves folders without an owner file alone', () => {
    const foreign = mkdtempSync(join(tmpdir(), 'janus-scenarios-foreign-'));
    made.push(foreign);
    removeStaleFolders(tmpdir());
    assert.ok(existsSync(foreign));
  });
});
