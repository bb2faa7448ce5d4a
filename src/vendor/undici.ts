// What the project uses of undici (the HTTP transport and the http step), bundled into one file by
// the build (scripts/bundle-vendor.mjs): a run over HTTP reads one module instead of the package's ~100.
export { Agent, request } from 'undici';
