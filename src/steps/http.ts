import { MAX_MESSAGE_BYTES, TooLargeError } from '../transports/limits.js';
import { describeError } from '../transports/wire.js';
import { HttpCall, httpOrigin } from '../transports/http-client.js';
import { formatDuration } from '../core/duration.js';
import { answeredRuntime, answeringModule, checkExpectKeys, commonProperties, compiledParts, EACH_ELEMENT, errorRefusal, fixedReading, leavesOut, missingValues, namesValues, perRun, pluginError, pluginErrorRefusal, POSITIVE_DURATION, requireValues, saveProperty, unmatched } from './common.js';
import { isRecord, ownValue } from '../core/own.js';
import type { DocPath } from '../core/source.js';
import type { Mismatch } from '../match/contract.js';
import { describeJanusError } from '../protocol/errors.js';
import type { JanusMessage, Route } from '../protocol/messages.js';
import { mismatchFailure, ownMistake, StepFailure, type CompiledStep, type StepCompiler, type StepContext, type StepKind } from './contract.js';
import { silenceVerdict } from './liveness.js';
import { applySave, compileSave, saveWhatIsThere } from './save.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/**
 * `http:` sends one HTTP request to a path below the run's Janus API URL (or, with `api: admin`,
 * its Admin API URL) and matches the status, headers and body, for what only HTTP has: paths,
 * methods, long-polls, 404s. It runs on the http and https transports only; sessions it creates
 * are the scenario's to destroy.
 */
export const httpStep: StepKind = {
  key: 'http',
  summary: 'send a raw HTTP request below the Janus API URL (http/https runs only) and match status, headers and body',
  schema: {
    type: 'object',
    required: ['http'],
    additionalProperties: false,
    properties: {
      http: {
        type: 'object',
        description: 'the request: method, path below the Janus API URL (or the Admin API URL), body, headers',
        additionalProperties: false,
        properties: {
          api: { enum: ['janus', 'admin'], description: 'below which URL: the Janus API (default) or the Admin API (the run needs an HTTP Admin API URL)' },
          method: { enum: METHODS, description: 'default GET' },
          // A path without its leading / would be glued to the URL's last segment (/janusinfo).
          path: { type: 'string', pattern: '^($|/|\\?|\\$\\{)', description: 'appended to the Janus API URL, starting with / or ?: "", "/${session}?maxev=5", "/info"' },
          body: { description: 'an object (sent as JSON) or a string (sent verbatim)' },
          headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'request headers, name: value' },
        },
      },
      expect: { type: 'object', description: 'pattern for { status, headers, body }; body is parsed JSON when it parses, else the text' },
      exact: { type: 'boolean', description: 'match the pattern exactly: no extra keys at any depth' },
      ...saveProperty,
      timeout: { ...POSITIVE_DURATION, description: 'how long to wait for the response (default --step-timeout)' },
      name: commonProperties.name,
    },
  },
  compile(raw, cc) {
    const spec = raw.http as { api?: 'janus' | 'admin'; method?: string; path?: string; body?: unknown; headers?: Record<string, string> };
    const api = spec.api ?? 'janus';
    const method = spec.method ?? 'GET';
    const path = cc.template(spec.path ?? '', ['http', 'path']);
    const body = spec.body === undefined ? undefined : cc.template(spec.body, ['http', 'body']);
    const headers = spec.headers ?? {};
    checkExpectKeys(raw, cc, "any response but an HTTP error status, a Janus error or a plugin's refusal");
    // The parts of `expect` as compiled: a placeholder standing for one is read in the run.
    const parts = compiledParts();
    const expect = raw.expect === undefined ? undefined : cc.pattern(raw.expect, ['expect'], raw.exact === true, parts.watch);
    const readsValues = namesValues(raw.expect);
    checkHeaderNames(raw, cc);
    // Without expect, a plugin's refusal in the body fails too, as for a request step (not in cleanup: "destroy it if it is there").
    const refusesStatus = perRun(raw.expect, ['expect'], parts.at, (version, run, at) => leavesOut(raw.expect, ['status'], version, run, at));
    const refusesJanusError = errorRefusal(raw.expect, ['body'], ['expect'], parts.at);
    const refusesPluginError = cc.cleanup ? fixedReading(false) : pluginErrorRefusal(raw.expect, ['body'], ['expect'], parts.at);
    // A long-poll with `maxev` answers with an array: each of its messages is checked as one body is.
    const refusesJanusErrorIn = errorRefusal(raw.expect, ['body', EACH_ELEMENT], ['expect'], parts.at);
    const refusesPluginErrorIn = cc.cleanup ? fixedReading(false) : pluginErrorRefusal(raw.expect, ['body', EACH_ELEMENT], ['expect'], parts.at);
    const save = compileSave(raw, cc);
    const timeoutMs = raw.timeout === undefined ? undefined : cc.durationMs(raw.timeout, ['timeout'], { positive: true });
    const client = cc.client({});
    const step: CompiledStep = {
      kind: 'http',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? ['HTTP', method, api === 'admin' ? 'admin' : '', spec.path ?? ''].filter(Boolean).join(' '),
      client,
      ...(api === 'admin' && { usesAdminApi: true }),
      async execute(ctx) {
        if (ctx.target.transport !== 'http' && ctx.target.transport !== 'https') {
          throw ownMistake(`an http step needs the http or https transport, not ${ctx.target.transport}: add requires: { transports: [http, https] }`);
        }
        const actor = ctx.actor(client);
        const url = baseUrl(ctx.target, api).replace(/\/+$/, '') + String(ctx.resolve(path, actor));
        const payload = body === undefined ? undefined : ctx.resolve(body, actor);
        const limit = timeoutMs ?? ctx.stepTimeoutMs;
        const resolvedPath = String(ctx.resolve(path, actor));
        const route = routeOf(resolvedPath);
        // Every request is in the transcript, with its method and path, JSON body or not.
        const sent = payload !== null && typeof payload === 'object' ? (payload as JanusMessage) : payload === undefined ? '' : String(payload);
        ctx.traffic(actor, 'out', sent, route, { method, path: urlPath(url) }, api);
        let reply: HttpReply;
        try {
          const sentBody = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
          const res = await sendRequest(url, method, headers, sentBody, ctx, limit);
          reply = { status: res.status, headers: res.headers, body: parseOrText(res.text) };
        } catch (e) {
          if (ctx.signal.aborted) throw new StepFailure('infrastructure', 'interrupted');
          const timedOut = e instanceof NoResponse;
          const reason = timedOut ? `no response within ${formatDuration(limit)}` : e instanceof TooLargeError ? e.message : describeError(e);
          const what = `HTTP ${method} ${url.replace(/\?.*$/, '')}: ${reason}`;
          // Slower than the step allows is the scenario's failure when the server still answers.
          if (timedOut) throw await silenceVerdict(await ctx.janus(actor), ctx, what);
          throw new StepFailure('infrastructure', what);
        }
        const status = { status: reply.status };
        if (Array.isArray(reply.body) && reply.body.length > 0) for (const event of reply.body) ctx.traffic(actor, 'in', event as JanusMessage, undefined, status, api);
        else if (reply.body !== null && typeof reply.body === 'object') ctx.traffic(actor, 'in', reply.body as JanusMessage, undefined, status, api);
        else ctx.traffic(actor, 'in', typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), undefined, status, api);
        // An Admin API reply's `response` is from the module the request named: a plugin's error name there is that plugin's.
        const answeredBy = api === 'admin' ? answeringModule(payload) : undefined;
        const rt = answeredRuntime(ctx.matchRuntime(actor), answeredBy);
        const inArray = Array.isArray(reply.body);
        const refuses = { status: refusesStatus(rt, reply), janusError: (inArray ? refusesJanusErrorIn : refusesJanusError)(rt, reply), pluginError: (inArray ? refusesPluginErrorIn : refusesPluginError)(rt, reply) };
        let failure = refusal(reply, refuses, step.title, raw.expect, answeredBy);
        const mismatches: Mismatch[] = [];
        if (!failure && expect) expect(reply, '', rt, mismatches);
        if (mismatches.length > 0) failure = unmatched(`the HTTP reply to ${step.title} did not match`, { expected: raw.expect, actual: reply, mismatches }, readsValues ? missingValues(expect!, ctx, actor) : undefined);
        if (failure) {
          // The response came: what it has is saved, so a run that goes on after mismatches can.
          saveWhatIsThere(save, reply as unknown as Record<string, unknown>, ctx);
          throw failure;
        }
        // As a request's: a match that never read a value the pattern names ($not, a $oneOf branch not tried) is no pass.
        if (expect && readsValues) requireValues(expect, ctx, actor);
        applySave(save, reply as unknown as Record<string, unknown>, ctx);
      },
    };
    return step;
  },
};

/**
 * The response's header names are in lower case (as Node reads them; HTTP names are
 * case-insensitive): a pattern or save path naming `Content-Type` would never find it, failing
 * a response that has it. Refused where written, with the name to write.
 */
function checkHeaderNames(raw: Record<string, unknown>, cc: StepCompiler): void {
  const say = (path: DocPath, name: string): void =>
    cc.error(path, `response header names are in lower case: write ${name.toLowerCase()}, not ${name} (HTTP header names are case-insensitive)`);
  const walk = (pattern: unknown, path: DocPath): void => {
    if (Array.isArray(pattern)) pattern.forEach((p, i) => walk(p, [...path, i]));
    if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return;
    for (const [key, value] of Object.entries(pattern)) {
      // Operators ($exact, $not, $oneOf, ...) hold patterns of the same headers object.
      if (key.startsWith('$') && !key.startsWith('$$')) walk(value, [...path, key]);
      else if (key !== key.toLowerCase()) say([...path, key], key);
    }
  };
  if (isRecord(raw.expect) && Object.hasOwn(raw.expect, 'headers')) walk(raw.expect.headers, ['expect', 'headers']);
  for (const [name, path] of Object.entries(isRecord(raw.save) ? raw.save : {})) {
    const header = typeof path === 'string' ? /^headers\.([^.[]+)/.exec(path)?.[1] : undefined;
    if (header !== undefined && header !== header.toLowerCase()) say(['save', name], header);
  }
}

interface HttpReply {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

/**
 * What an http step checks of the response without `expect`, and of what its `expect` leaves out
 * (as request steps do): an HTTP error status, a Janus `error` in the body, and (without `expect`,
 * outside cleanup) a plugin's refusal in it.
 */
function refusal(reply: HttpReply, refuses: { status: boolean; janusError: boolean; pluginError: boolean }, title: string, expected: unknown, answeredBy: string | undefined): StepFailure | undefined {
  if (refuses.status && reply.status >= 400) return mismatchFailure(`${title} got HTTP status ${reply.status}`, { expected, actual: reply });
  // A long-poll's array of messages, or the one message of the body.
  const messages = (Array.isArray(reply.body) ? reply.body : [reply.body]).filter(isRecord) as JanusMessage[];
  const error = refuses.janusError ? messages.find((m) => ownValue(m, 'janus') === 'error') : undefined;
  if (error) return mismatchFailure(`${title} got an error reply: ${describeJanusError(error) ?? '(no error code)'}`, { expected, actual: reply });
  const refused = refuses.pluginError ? messages.map((m) => pluginError(m, answeredBy)).find((r) => r !== undefined) : undefined;
  if (refused) return mismatchFailure(`${title} got a plugin error: ${refused}`, { expected, actual: reply });
  return undefined;
}

/** The step's own time limit ended the request. */
class NoResponse extends Error {}

/**
 * One request through the process's agent for the run's TLS setting (the transport's too), ended
 * by the step's time limit or the run's signal (Ctrl-C, the scenario's time limit).
 */
async function sendRequest(url: string, method: string, headers: Record<string, string>, body: string | undefined, ctx: StepContext, limitMs: number) {
  const parsed = new URL(url);
  const origin = await httpOrigin(parsed, ctx.target.tls, ctx.stepTimeoutMs);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const call = new HttpCall(origin, method, parsed.pathname + parsed.search, headers, body, MAX_MESSAGE_BYTES);
  const timer = setTimeout(() => call.abort(new NoResponse()), limitMs);
  const interrupt = () => call.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  try {
    return await call.reply;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', interrupt);
  }
}

/** The URL the path goes below: the Janus API's, or the Admin API's when it is reached over HTTP. */
function baseUrl(target: StepContext['target'], api: 'janus' | 'admin'): string {
  if (api === 'janus') return target.url;
  const admin = target.admin;
  if (!admin) throw new StepFailure('infrastructure', 'no Admin API address is known: give --admin-url');
  if (!/^https?:/.test(admin.url)) throw ownMistake(`an http step with api: admin needs an HTTP Admin API URL, not ${admin.url.replace(/\/\/.*@/, '//')}`);
  return admin.url;
}

/** The path of the URL requested, without its query (which may carry an apisecret or token). */
function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.replace(/\?.*$/, '');
  }
}

/** "/123/456?maxev=2" addresses session 123, handle 456. */
function routeOf(path: string): Route {
  const [sessionId, handleId] = path.split('?')[0]!.split('/').filter(Boolean).map(Number);
  return {
    ...(Number.isInteger(sessionId) && { sessionId }),
    ...(Number.isInteger(handleId) && { handleId }),
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
