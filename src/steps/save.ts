import type { JanusMessage } from '../protocol/messages.js';
import { readPath } from './common.js';
import { mismatchFailure, type StepCompiler, type StepContext } from './contract.js';

export type SaveSpec = Array<[name: string, path: string]>;

export function compileSave(raw: Record<string, unknown>, cc: StepCompiler): SaveSpec {
  const save = Object.entries((raw.save as Record<string, string> | undefined) ?? {});
  cc.declare(save.map(([name]) => name));
  return save;
}

export function applySave(save: SaveSpec, message: JanusMessage, ctx: StepContext): void {
  for (const [name, path] of save) {
    const value = readPath(message, path);
    if (value === undefined) {
      // The message came: the name stays unbound, and a later step that needs it cannot go on.
      throw mismatchFailure(`cannot save ${name}: the message has nothing at ${path}`, { actual: message });
    }
    ctx.save(name, value);
  }
}

/** After a mismatch: binds the names the message has a value for, and leaves the others unbound. */
export function saveWhatIsThere(save: SaveSpec, message: JanusMessage, ctx: StepContext): void {
  for (const [name, path] of save) {
    const value = readPath(message, path);
    if (value !== undefined) ctx.save(name, value);
  }
}
