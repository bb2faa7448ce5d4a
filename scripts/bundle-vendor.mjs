// Replaces dist/src/vendor/<name>.js, which tsc wrote as a re-export of a third-party package,
// with a one-file bundle of what it re-exports (esbuild). Node resolves, reads and compiles one
// module per package instead of dozens (yaml alone is ~130 CommonJS files): about a fifth of a
// second of CPU at the start of a run. The bundles carry no source map (the packages ship none
// of their own source); the .d.ts files stay tsc's, which name the packages' own types.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const folder = new URL('../dist/src/vendor/', import.meta.url);
const entries = readdirSync(folder).filter((f) => f.endsWith('.js'));
for (const file of entries) {
  const path = new URL(file, folder).pathname;
  await build({
    entryPoints: [path],
    outfile: path,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Optional native speed-ups of ws: required only if installed, never bundled.
    external: ['bufferutil', 'utf-8-validate'],
    // CommonJS code in an ES module bundle: its require() of Node's built-ins needs a real require.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module';\nconst require = __vendorRequire(import.meta.url);" },
    legalComments: 'inline',
    logLevel: 'warning',
  });
  rmSync(`${path}.map`, { force: true });
}
console.log(`bundled ${entries.length} vendor packages`);
