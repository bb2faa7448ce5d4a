// The parts of the yaml package the project uses. The build replaces this file's output with a
// one-file bundle of the package (scripts/bundle-vendor.mjs): Node then reads one file at start
// instead of the package's ~130 CommonJS modules. Without the build step it re-exports the package.
export { Document, LineCounter, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parse, parseDocument, stringify, visit } from 'yaml';
export type { Alias, Node, Pair, YAMLError, YAMLMap } from 'yaml';
