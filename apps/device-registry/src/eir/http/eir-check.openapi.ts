import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_CONTENT_TYPE } from '@darvazeh/http';
import type { EirColour, EirReason } from '../domain/eir-classifier.js';

// Records, not arrays: the compiler then fails when a colour or reason is added and not listed here.
const COLOURS: Record<EirColour, true> = { white: true, grey: true, black: true };
const REASONS: Record<EirReason, true> = {
  BLOCKED: true,
  REPORTED_STOLEN: true,
  REGISTERED: true,
  PRE_SCHEME: true,
  IN_GRACE_PERIOD: true,
  UNREGISTERED: true,
  MALFORMED_IMEI: true,
};

const problem = (description: string, example: { status: number; code: string; detail: string }) => ({
  description,
  content: {
    [PROBLEM_CONTENT_TYPE]: {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'code', 'detail'],
        properties: {
          type: { type: 'string', example: `urn:darvazeh:problem:${example.code}` },
          title: { type: 'string' },
          status: { type: 'integer', example: example.status },
          code: { type: 'string', example: example.code },
          detail: { type: 'string', example: example.detail },
          instance: { type: 'string', example: '/eir/check' },
          errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
});

/**
 * The OpenAPI operation of `GET /eir/check`. The route is raw Fastify (EirFastCheckRoute), so
 * Nest's Swagger scan of the controllers cannot see it; this is what it answers.
 */
export const EIR_CHECK_OPERATION = {
  tags: ['eir'],
  summary: 'Check one IMEI: white, grey or black, and why',
  description:
    'The fast lane of the EIR (an in-memory index, no query per check). Needs an `operator` token. ' +
    'The colour depends on the device alone; `imsi` is accepted as MAP CheckIMEI and Diameter S13 pass it along.',
  operationId: 'EirFastCheckRoute_check',
  security: [{ bearer: [] }],
  parameters: [
    {
      name: 'imei',
      in: 'query',
      required: true,
      description: '15-digit IMEI (14 digits are completed with the check digit, a 16-digit IMEISV is reduced to its IMEI); anything else is answered grey MALFORMED_IMEI',
      schema: { type: 'string', maxLength: 32, example: '490154203237518' },
    },
    { name: 'imsi', in: 'query', required: false, description: 'the IMSI the device attaches with: 15 digits when given', schema: { type: 'string', pattern: '^[0-9]{15}$', example: '432111234567890' } },
  ],
  responses: {
    '200': {
      description: 'The IMEI (normalised to 15 digits when valid), its colour and the reason',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['imei', 'colour', 'reason'],
            properties: {
              imei: { type: 'string', example: '490154203237518' },
              colour: { type: 'string', enum: Object.keys(COLOURS), example: 'white' },
              reason: { type: 'string', enum: Object.keys(REASONS), example: 'REGISTERED' },
            },
          },
        },
      },
    },
    '400': problem('imei missing or longer than 32 characters, or imsi not 15 digits (REQUEST.INVALID, naming the field)', { status: 400, code: 'REQUEST.INVALID', detail: 'imsi must be 15 digits' }),
    '401': problem('no valid bearer token (AUTH.TOKEN_INVALID, with WWW-Authenticate: Bearer)', { status: 401, code: 'AUTH.TOKEN_INVALID', detail: 'a valid bearer token is required' }),
    '403': problem('the token has no operator role or operator code (AUTH.ROLE_REQUIRED)', { status: 403, code: 'AUTH.ROLE_REQUIRED', detail: 'this endpoint needs the operator role' }),
  },
};

/** Where the platform serves the app's OpenAPI document (libs/http `setupDocs`). */
const DOCUMENT_URL = '/docs/openapi.json';

interface FastifyRouteHooks {
  addHook(name: 'onRoute', hook: (route: { url: string; method: string | string[]; onSend?: unknown }) => void): void;
}
type OnSend = (request: unknown, reply: unknown, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => void;

/** Puts the raw Fastify routes' operations into a served OpenAPI document (JSON text). */
export function withFastRoutes(documentJson: string): string {
  const document = JSON.parse(documentJson) as { paths?: Record<string, Record<string, unknown>> };
  document.paths ??= {};
  document.paths['/eir/check'] = { get: EIR_CHECK_OPERATION, ...document.paths['/eir/check'] };
  return JSON.stringify(document);
}

/**
 * Adds `GET /eir/check` to the document at `/docs/openapi.json`. The platform builds that document
 * from the controllers before the app's routes exist, so the operation is spliced into the served
 * JSON: an `onSend` hook on the document's route alone (installed through `onRoute`, hence in the
 * constructor, before the document route is registered), so no other route — least of all the
 * fast lane itself — runs an extra hook.
 */
@Injectable()
export class FastRouteDocs {
  constructor(@Inject(HttpAdapterHost) host: HttpAdapterHost) {
    const fastify = host.httpAdapter?.getInstance?.() as FastifyRouteHooks | undefined;
    if (!fastify || typeof fastify.addHook !== 'function') return;
    const splice: OnSend = (_request, _reply, payload, done) => {
      try {
        done(null, typeof payload === 'string' ? withFastRoutes(payload) : payload);
      } catch (e) {
        done(e as Error);
      }
    };
    fastify.addHook('onRoute', (route) => {
      if (route.url !== DOCUMENT_URL) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes('GET')) return;
      const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
      route.onSend = [...existing, splice];
    });
  }
}
