import { register } from 'node:module';

/**
 * Loaded with `node --import` in a child process: the packages named in
 * JANUS_SCENARIOS_HIDE_PACKAGES (comma-separated) cannot be found, as on a machine where npm
 * could not build them. The tests of optional and lazily loaded bindings run the CLI with it.
 */
const hidden = (process.env['JANUS_SCENARIOS_HIDE_PACKAGES'] ?? '').split(',').filter(Boolean);

const hook = `let hidden = [];
export function initialize(data) { hidden = data; }
export async function resolve(specifier, context, next) {
  if (hidden.includes(specifier)) {
    const err = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`;

// Imported by a test for withoutPackages, it hides nothing.
if (hidden.length > 0) register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: hidden });

/** The environment that runs a child with `packages` missing. */
export function withoutPackages(packages: readonly string[]): NodeJS.ProcessEnv {
  return { NODE_OPTIONS: `--import ${new URL(import.meta.url).pathname}`, JANUS_SCENARIOS_HIDE_PACKAGES: packages.join(',') };
}
