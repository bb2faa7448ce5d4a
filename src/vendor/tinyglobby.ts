// tinyglobby's glob (with fdir and picomatch under it), bundled into one file by the build
// (scripts/bundle-vendor.mjs): collecting scenario files reads one module instead of ~25.
export { glob } from 'tinyglobby';
