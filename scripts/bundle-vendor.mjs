// Replaces dist/src/vendor/<name>.js, which tsc wrote as a re-export of a third-party package,
// with a one-file bundle of what it re-exports (esbuild). Node resolves, reads and compiles one
// module per package instead of dozens (yaml alone is ~130 CommonJS files): about a fifth of a
// second of CPU at the start of a run. The bundles carry no source map (the packages ship none
// of their own source); the .d.ts files stay tsc's, which name the packages' own types. Each
// bundle starts with the name, version and licence text of every package it holds.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const folder = new URL('dist/src/vendor/', root);
const entries = readdirSync(folder).filter((f) => f.endsWith('.js'));
const HEADER = '/*\n * Bundled by scripts/bundle-vendor.mjs from:';
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
    // CommonJS code in an ES module bundle: its require() of Node's built-ins needs a real require.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module';\nconst require = __vendorRequire(import.meta.url);" },
    legalComments: 'inline',
    metafile: true,
    logLevel: 'warning',
  });
  rmSync(`${path}.map`, { force: true });
  writeFileSync(path, `${licences(Object.keys(metafile.inputs))}${readFileSync(path, 'utf8')}`);
  bundled++;
}
console.log(`bundled ${bundled} vendor package(s)${bundled < entries.length ? `, ${entries.length - bundled} already bundled` : ''}`);

/** A comment naming each package the bundle holds, with its licence text. */
function licences(inputs) {
  // The folder of the innermost package each input is in (a nested node_modules included).
  const folders = new Set(inputs.flatMap((input) => {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+\/)/.exec(input);
    return match ? [match[1]] : [];
  }));
  const parts = [...folders].sort().map((folder) => {
    const dir = new URL(folder, root);
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/$/.exec(folder)[1];
    const { version, license } = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = file && existsSync(new URL(file, dir)) ? readFileSync(new URL(file, dir), 'utf8').trim() : `${license} (no licence file in the package)`;
    return `${name}@${version} (${license}):\n\n${text}`;
  });
  return `${HEADER}\n *\n${parts.join('\n\n').replaceAll('*/', '* /').split('\n').map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n`;
}
