// The WebSocket client of the ws package, bundled into one file by the build (scripts/bundle-vendor.mjs)
// so that a run over WebSocket reads one module instead of the package's dozen.
export { default } from 'ws';
