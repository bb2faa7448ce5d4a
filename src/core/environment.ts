/**
 * Environment variables as the engine reads them (`process.env` fits). A type of its own, so
 * the public types need no @types/node.
 */
export type Environment = Readonly<Record<string, string | undefined>>;
