/** Core Janus API error codes (src/apierror.h), by name, so failures print both. */
export const CORE_ERROR_NAMES: Record<number, string> = {
  403: 'UNAUTHORIZED',
  405: 'UNAUTHORIZED_PLUGIN',
  450: 'TRANSPORT_SPECIFIC',
  452: 'MISSING_REQUEST',
  453: 'UNKNOWN_REQUEST',
  454: 'INVALID_JSON',
  455: 'INVALID_JSON_OBJECT',
  456: 'MISSING_MANDATORY_ELEMENT',
  457: 'INVALID_REQUEST_PATH',
  458: 'SESSION_NOT_FOUND',
  459: 'HANDLE_NOT_FOUND',
  460: 'PLUGIN_NOT_FOUND',
  461: 'PLUGIN_ATTACH',
  462: 'PLUGIN_MESSAGE',
  463: 'PLUGIN_DETACH',
  464: 'JSEP_UNKNOWN_TYPE',
  465: 'JSEP_INVALID_SDP',
  466: 'TRICKE_INVALID_STREAM',
  467: 'INVALID_ELEMENT_TYPE',
  468: 'SESSION_CONFLICT',
  469: 'UNEXPECTED_ANSWER',
  470: 'TOKEN_NOT_FOUND',
  471: 'WEBRTC_STATE',
  472: 'NOT_ACCEPTING_SESSIONS',
  490: 'UNKNOWN',
};

/** "458 SESSION_NOT_FOUND" for a Janus error reply, undefined otherwise. */
export function describeJanusError(msg: Record<string, unknown>): string | undefined {
  if (msg.janus !== 'error') return undefined;
  const error = msg.error as { code?: unknown; reason?: unknown } | undefined;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  if (code === undefined) return undefined;
  const name = CORE_ERROR_NAMES[code];
  return `${code}${name ? ` ${name}` : ''}${typeof error?.reason === 'string' ? `: ${error.reason}` : ''}`;
}
