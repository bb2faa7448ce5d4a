import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from './types.js';

/**
 * Every JSON Schema validator of the project (scenario files, step kinds, the message
 * catalogue) comes from here. The build writes ajv's standalone code for the schemas the
 * project ships (scripts/precompile-validators.mjs): a schema found there by the hash of its
 * text is used as is, with no ajv compile and no ajv compiler loaded at start. Any other schema
 * (a step kind or transport registered by a user, a version not precompiled) is compiled by ajv
 * on first use, with the same options, so the two give the same verdicts and errors.
 */

/** The options of every validator, precompiled or not. */
export const AJV_OPTIONS = { strict: true, allErrors: true, allowUnionTypes: true, verbose: true } as const;

/**
 * Where the build puts the standalone validators, a file each, next to this module in dist/,
 * with PRECOMPILED_INDEX: a CommonJS module whose exports map each hash to a function that
 * requires its file. The bundle (scripts/bundle-package.mjs) bundles the index and the files it
 * requires, so a command runs them from the bundle's code cache instead of resolving, reading
 * and compiling a file each (three before a run's first request, 15 ms).
 */
export const PRECOMPILED_FOLDER = './precompiled/';
export const PRECOMPILED_INDEX = 'index.cjs';

type PrecompiledIndex = Readonly<Record<string, (() => ValidateFunction) | undefined>>;

// ajv and the generated code are CommonJS: loaded synchronously, on first use, by whoever needs them.
const require = createRequire(import.meta.url);
let ajv: Ajv2020 | undefined;

export function schemaHash(schema: JsonSchema): string {
  return createHash('sha1').update(JSON.stringify(schema)).digest('hex');
}

/**
 * A validator for `schema`: the build's, when it wrote one for this very schema; else compiled
 * now. A schema with an `$id` gets an ajv of its own: one ajv takes an id once, and the file
 * schemas are compiled again whenever a transport is registered.
 */
export function compileValidator(schema: JsonSchema): ValidateFunction {
  const ready = precompiledValidator(schemaHash(schema));
  if (ready) return ready;
  return (schema.$id === undefined ? sharedAjv() : newAjv()).compile(schema);
}

/** A new ajv with the project's options (loads the ajv compiler on first call). */
export function newAjv(): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new AjvClass(AJV_OPTIONS);
}

function sharedAjv(): Ajv2020 {
  ajv ??= newAjv();
  return ajv;
}

/** The build's validator for the schema with this hash; undefined when it wrote none (not built, or a schema of the user's). */
function precompiledValidator(hash: string): ValidateFunction | undefined {
  return precompiledIndex()[hash]?.();
}

/** The loaders of the build's validators by hash (PRECOMPILED_INDEX), or none when the build wrote none. */
let precompiled: PrecompiledIndex | undefined;

function precompiledIndex(): PrecompiledIndex {
  if (precompiled) return precompiled;
  try {
    precompiled = require('./precompiled/index.cjs') as PrecompiledIndex;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw e;
    precompiled = {};
  }
  return precompiled;
}
