// The line diff of the diff package, bundled into one file by the build (scripts/bundle-vendor.mjs):
// one module instead of the package's ~25.
export { diffLines } from 'diff';
