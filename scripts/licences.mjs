// The licence texts of the third-party packages a bundle holds, as a comment to head it
// (scripts/bundle-vendor.mjs, scripts/bundle-package.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** A comment naming each package the bundle holds (from esbuild's inputs, paths from the project's root), with its licence text, under `header`. */
export function licences(header, inputs) {
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
  return `${header}\n *\n${parts.join('\n\n').replaceAll('*/', '* /').split('\n').map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n`;
}
