#!/usr/bin/env node
import { carryOnWhenOutputCloses } from './closed-output.js';
import { main } from './commands.js';

carryOnWhenOutputCloses();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);
