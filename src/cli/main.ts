#!/usr/bin/env node
import { carryOnWhenOutputCloses } from './closed-output.js';
import { main } from './commands.js';
import { ExitCode } from '../core/exit-codes.js';
import { moduleImportsUnderWay } from '../load/option-file.js';

carryOnWhenOutputCloses();
let finished = false;
main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    finished = true;
    process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);

/**
 * Node ends a process that has nothing left to wait on, with code 0, even while the command is
 * unfinished: a config or transport module whose top-level await nothing settles did that, a
 * silent "passed" with nothing run. Such an end says why and never exits 0; an exit the command
 * chose (Ctrl-C's 130) is left alone.
 */
process.on('exit', (code) => {
  if (finished || code !== 0) return;
  const [waiting] = moduleImportsUnderWay();
  process.stderr.write(waiting ? `error: ${waiting}: the module never finished loading (a top-level await that nothing settles); nothing was run\n` : 'internal error: the command stopped before it finished, with nothing left to wait on\n');
  process.exitCode = waiting ? ExitCode.invalidInput : 70;
});
