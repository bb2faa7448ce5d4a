import type { StepCompiler } from './contract.js';

/** What `close:` and `closed:` share: the WebSocket close code and reason. */

/**
 * Close codes a client may send (RFC 6455 7.4): 1000, or 3000–4999 (3000–3999 registered for
 * libraries, as janus.js's 3504; 4000–4999 private). 1001–2999 are the protocol's own.
 */
export function sendableCloseCode(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999);
}

/** Codes a close may carry on the wire, or be reported with (1006: no close frame came). */
export function observableCloseCode(code: number): boolean {
  return code >= 1000 && code <= 4999;
}

/** A close reason fits in a close frame: at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

export const CLOSE_CODE_SCHEMA = {
  type: 'integer',
  description: 'the WebSocket close code: 1000 (normal), or 3000–4999 (3504: janus.js after a session timeout)',
} as const;

export const CLOSE_REASON_SCHEMA = {
  type: 'string',
  description: 'the WebSocket close reason (at most 123 bytes of UTF-8)',
} as const;

/** Checks `code`/`reason` under `key`; true when either is given (the step then needs close codes). */
export function checkCloseFields(raw: Record<string, unknown>, key: string, cc: StepCompiler, codeOk: (code: number) => boolean, codeRule: string): boolean {
  const value = raw[key];
  if (value === null || typeof value !== 'object') return false;
  const { code, reason } = value as { code?: unknown; reason?: unknown };
  if (typeof code === 'number' && !codeOk(code)) cc.error([key, 'code'], `close code ${code} is not one ${codeRule}`);
  if (typeof reason === 'string' && Buffer.byteLength(reason, 'utf8') > MAX_CLOSE_REASON_BYTES) {
    cc.error([key, 'reason'], `a close reason is at most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8 (a close frame holds no more); this one has ${Buffer.byteLength(reason, 'utf8')}`);
  }
  return code !== undefined || reason !== undefined;
}
