import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Modules that set V8 flags when they load (the regex guards, the heap's tuning) and the
 * bundle's loader, which sets them before it compiles the bundle with its code cache: V8 takes
 * a cache only under the flags it was made with, so one left out of the loader would make every
 * command compile from scratch.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FLAG = /setFlagsFromString\('([^']+)'\)/g;

function flagsIn(text: string): string[] {
  return [...text.matchAll(FLAG)].map((m) => m[1]!);
}

describe('V8 flags set by the package', () => {
  it('the bundle loader sets every flag a source module sets, and no other', () => {
    const fromSource = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => flagsIn(readFileSync(join(ROOT, 'src', f), 'utf8')));
    const fromLoader = flagsIn(readFileSync(join(ROOT, 'scripts/load-bundle.cjs'), 'utf8'));
    assert.ok(fromSource.includes('--no-allocation-site-pretenuring'), 'the heap tuning sets its flag');
    assert.deepEqual([...new Set(fromLoader)].sort(), [...new Set(fromSource)].sort());
  });

  it('the module that runs scenarios loads the heap tuning', () => {
    const runner = readFileSync(join(ROOT, 'src/run/run-scenario.ts'), 'utf8');
    assert.match(runner, /^import '\.\/heap-tuning\.js';$/m);
  });
});
