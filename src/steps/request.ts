import { JANUS_PLUGINS, JANUS_VERBS } from '../schemas/modules.js';
import { checkRequestKeys, exchangeProperties, NAME, refusesErrorReply } from './common.js';
import { closestName } from '../core/diagnostic.js';
import { ownValue } from '../core/own.js';
import type { CompiledStep, StepCompiler, StepKind } from './contract.js';
import { compileExchangeOptions, requestAhead, runExchange, sendEarly, sendExchange, verbLevel, writtenVerb, type ExchangeSpec } from './exchange.js';
import { VERB_LEVEL } from '../protocol/messages.js';

/** `request:` sends a Janus API request and matches its reply (correlated by transaction). */
export const requestStep: StepKind = {
  key: 'request',
  summary: 'send a Janus API request (a verb, or a message object) and match its reply',
  schema: {
    type: 'object',
    required: ['request'],
    additionalProperties: false,
    properties: {
      request: {
        description: 'a verb (create, attach, message, ...) or the whole request; ids, transaction and secrets are filled in unless given (null leaves them out)',
        // The enums are for editor completion; other verbs and plugins are allowed (error tests send them).
        anyOf: [
          { enum: JANUS_VERBS },
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            properties: {
              janus: { anyOf: [{ enum: JANUS_VERBS }, {}], description: 'the request verb' },
              plugin: { anyOf: [{ enum: JANUS_PLUGINS }, {}], description: 'attach: the plugin package name' },
            },
          },
        ],
      },
      ...exchangeProperties,
      as: { ...NAME, description: 'on attach: a name for the new handle' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const request = cc.template(raw.request, ['request']);
    checkRequestKeys(raw, 'request', cc);
    const written = writtenVerb(raw.request);
    checkAs(raw, written, cc);
    checkKnownNames(raw, cc);
    const options = compileExchangeOptions(raw, cc, client, verbLevel(written, VERB_LEVEL, 'request'));
    const verb = typeof raw.request === 'string' ? raw.request : (raw.request as { janus?: unknown }).janus;
    const title = (raw.name as string | undefined) ?? `${client} ${typeof verb === 'string' ? verb : 'request'}`;
    const spec: ExchangeSpec = { api: 'janus', request, ...options };
    const step: CompiledStep = {
      kind: 'request',
      span: cc.span(),
      title,
      client,
      opensClient: true,
      execute: (ctx) => runExchange(spec, ctx.actor(client), ctx, step),
      send: (ctx) => sendExchange(spec, ctx.actor(client), ctx, step),
      ahead: requestAhead(spec, client),
    };
    if (step.ahead) step.sendEarly = sendEarly(spec, client, step);
    return step;
  },
};

/**
 * A verb near one Janus knows (`craete`), or a plugin named by its short name (`echotest`), is
 * always answered with an error; other names stay allowed because error tests send them. A step
 * whose pattern expects no error would fail only after the server was reached: said now, with
 * the name meant. (Other plugin names may be the server's own plugins, so only short names of
 * known plugins are taken for a slip.)
 */
function checkKnownNames(raw: Record<string, unknown>, cc: StepCompiler): void {
  if (!refusesErrorReply(raw.expect)) return;
  const request = raw.request;
  const verb = typeof request === 'string' ? request : ownValue(request, 'janus');
  // Janus reads verbs in any case (strcasecmp).
  if (typeof verb === 'string' && !verb.includes('${') && !JANUS_VERBS.includes(verb.toLowerCase())) {
    // Only a slip of a known verb: a name like none of them is meant as it is (a test server's own verb).
    const meant = closestName(verb.toLowerCase(), JANUS_VERBS);
    if (meant) cc.error(typeof request === 'string' ? ['request'] : ['request', 'janus'], `Janus has no request "${verb}"; did you mean "${meant}"? (its requests: ${JANUS_VERBS.join(', ')}; to test the error reply, expect it: expect: { janus: error })`);
  }
  const plugin = ownValue(request, 'plugin');
  if (typeof plugin !== 'string' || JANUS_PLUGINS.includes(plugin)) return;
  const meant = JANUS_PLUGINS.find((p) => p.endsWith(`.${plugin.toLowerCase()}`) || p === plugin.toLowerCase());
  if (meant) cc.error(['request', 'plugin'], `a plugin is named by its package name: "${plugin}" is "${meant}" (Janus answers a short name with "No such plugin"; to test that error, expect it: expect: { janus: error })`);
}

/** `as:` names the handle an attach makes; on a request known to be something else it would name nothing. */
function checkAs(raw: Record<string, unknown>, verb: string | undefined, cc: StepCompiler): void {
  if (raw.as === undefined || verb === undefined || verb === 'attach') return;
  cc.error(['as'], `\`as:\` names the handle an attach creates, and this request is \`${verb}\`: it would name nothing (a later \`handle: ${String(raw.as)}\` fails at run time); name the handle on its attach step, or leave \`as\` out`);
}
