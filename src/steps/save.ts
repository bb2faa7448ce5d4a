import type { JanusMessage } from '../protocol/messages.js';
import { readPath } from './common.js';
import { StepFailure, type StepCompiler, type StepContext } from './contract.js';

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
      throw new StepFailure('assertion', `cannot save ${name}: the message has nothing at ${path}`, { actual: message });
    }
    ctx.save(name, value);
  }
}
