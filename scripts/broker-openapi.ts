import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { launchRequestSchema } from '../src/broker/launch-request';
import { partnerBaseFields } from '../src/connectors/partner-base';
import { BROKER_KINDS } from '../src/shared/config';
import { brokerProblemSchema, launchAnswerSchema } from '../src/shared/broker/broker-api';

/**
 * The launch broker's API as an OpenAPI 3.1 document, with the request and answer bodies generated from the zod
 * schemas the broker and the extension check them with, so the published description cannot drift from what
 * either accepts. `npm run broker:openapi` writes docs/broker-openapi.json; a unit test fails when the
 * committed file is out of date.
 */

export const OPENAPI_FILE = resolve(import.meta.dirname, '../docs/broker-openapi.json');

type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema (2020-12, the dialect of OpenAPI 3.1), without its own `$schema`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** Adds a description to one property, found by its path through `properties`. */
function describe(schema: JsonSchema, path: readonly string[], description: string): JsonSchema {
  let node = schema;
  for (const name of path) node = (node.properties as Record<string, JsonSchema>)[name]!;
  node.description = description;
  return schema;
}

/** POST /v1/launch's body, exactly as src/broker/launch-request.ts checks it. */
function launchRequest(): JsonSchema {
  const schema = jsonSchema(launchRequestSchema, 'input');
  schema.description = 'The click: which partner, for which patient. Checked strictly: unknown keys are refused.';
  describe(schema, ['partnerId'], 'The partner id, as in the broker configuration document (and the extension configuration).');
  describe(schema, ['patient'], 'The patient the EHR page shows, as the extension read and re-checked it.');
  describe(schema, ['patient', 'nhsNumber'], 'Ten digits with a valid Modulus 11 check digit.');
  describe(schema, ['patient', 'birthDate'], 'A FHIR date (YYYY-MM-DD): a real calendar date, not in the future. Black Pear needs it.');
  describe(schema, ['patient', 'name'], 'The patient\'s name as the page shows it.');
  return schema;
}

/** The answer to a launch: the instruction the extension checks against its own allow-list, then opens. */
function launchAnswer(): JsonSchema {
  return { ...jsonSchema(launchAnswerSchema, 'output'), description: 'A launch instruction for the verified clinician and this patient. The broker has recorded it in its audit trail before answering.' };
}

function problem(): JsonSchema {
  return { ...jsonSchema(brokerProblemSchema, 'output'), description: 'Every refusal and failure.' };
}

function partnerList(): JsonSchema {
  const partner = z.strictObject({
    id: partnerBaseFields.id,
    label: partnerBaseFields.label,
    kind: z.enum(BROKER_KINDS as [string, ...string[]]),
  });
  return { ...jsonSchema(z.array(partner), 'output'), description: 'The partners this broker launches that the clinician\'s sign-in gives enough for (a partner that needs an NHS role is left out for a clinician without one).' };
}

function jwks(): JsonSchema {
  const key = z.object({
    kty: z.enum(['EC', 'RSA']),
    kid: z.string().describe('The key\'s RFC 7638 SHA-256 thumbprint.'),
    alg: z.enum(['ES256', 'RS256']),
    use: z.literal('sig'),
    crv: z.literal('P-256').optional(),
    x: z.string().optional(),
    y: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
  });
  return {
    ...jsonSchema(z.strictObject({ keys: z.array(key) }), 'output'),
    description: 'The broker\'s public signing keys: the current key for each algorithm a configured partner signs with, and replaced keys until their overlap ends.',
  };
}

const statusSchema = (values: readonly [string, ...string[]], extra: Record<string, z.ZodType> = {}) => jsonSchema(z.strictObject({ status: z.enum(values), ...extra }), 'output');

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const problemResponse = (description: string, headers?: Record<string, unknown>) => ({ description, ...(headers ? { headers } : {}), content: json('Problem') });

const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    description: 'DPoP algs="ES256 RS256", error="invalid_token" or error="invalid_dpop_proof".',
    schema: { type: 'string' },
  },
};
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until the window ends.', schema: { type: 'string' } } };

/** Answers every authenticated route may give before its own work starts. */
const AUTH_RESPONSES = {
  '401': problemResponse('`invalid_token`: no `Authorization: DPoP` header, or the access token is malformed, expired, not accepted by the identity provider, or bound (`cnf.jkt`) to another key. `invalid_dpop_proof`: the DPoP proof is missing, malformed, for another method, URL or access token, more than 60 seconds from the broker\'s clock, used before, or not signed by its own key.', WWW_AUTHENTICATE),
  '403': problemResponse('`installation_not_enrolled`: the broker accepts enrolled installations only, and the proof\'s key is not one.'),
  '429': problemResponse('`rate_limited`: too many requests for this clinician or this installation in the current minute (shared by all instances), too many access tokens that failed their check from this address (shared), or too many requests from this address (per instance).', RETRY_AFTER),
  '500': problemResponse('`internal`: the broker failed unexpectedly; nothing was opened.'),
  '503': problemResponse('`idp_unreachable`: the identity provider could not be asked about the access token; `store_unavailable`: the broker\'s database did not answer (a proof\'s jti and the rate limits are checked there), so nothing was done.'),
};

const DPOP_HEADER = {
  name: 'DPoP',
  in: 'header',
  required: true,
  description: 'A DPoP proof (RFC 9449) for exactly this request, made by the installation\'s key. See the DPoP security scheme.',
  schema: { type: 'string', maxLength: 8192 },
};

export function brokerOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'EHR Launchpad launch broker',
      version: '1',
      description:
        'The organisation\'s launch broker: it holds partner secrets and signing keys and builds launches for clinicians verified by the organisation sign-in. The extension sends it the click; it answers with a launch instruction. Generated by npm run broker:openapi from scripts/broker-openapi.ts and the zod schemas it names: do not edit by hand. Guide: docs/broker.md.',
    },
    paths: {
      '/v1/launch': {
        post: {
          operationId: 'launch',
          summary: 'Build one launch for the verified clinician and this patient',
          description:
            'Checks the caller (DPoP proof, access token, enrolment), the rate limits, the body, and that the clinician\'s sign-in gives what the partner is told; runs the partner\'s connector with the broker\'s secrets and keys; checks the instruction\'s origin against the partner\'s configuration; records the launch in the audit trail; only then answers.',
          security: [{ DPoP: [] }],
          parameters: [DPOP_HEADER],
          requestBody: { required: true, content: json('LaunchRequest') },
          responses: {
            '200': { description: 'The launch instruction.', content: json('LaunchAnswer') },
            '400': problemResponse('`bad_request`: the body is not valid JSON or does not match LaunchRequest (the message names the first field at fault, for example a failed NHS number check digit).'),
            '401': AUTH_RESPONSES['401'],
            '403': problemResponse(
              '`installation_not_enrolled` (as for every authenticated route); `identity-incomplete`: the sign-in did not give a field this partner is told (for example an NHS role for Black Pear); `clinician-incomplete`: the provider\'s mapping does not cover a field this partner is told, and the broker takes no typed values.',
            ),
            '404': problemResponse('`unknown_partner`: this broker does not launch that partner id.'),
            '413': problemResponse('`too_large`: the body is over 16 KB.'),
            '415': problemResponse('`bad_request`: the body is not JSON (send `Content-Type: application/json`).'),
            '429': AUTH_RESPONSES['429'],
            '500': AUTH_RESPONSES['500'],
            '502': problemResponse(
              'The partner\'s part failed, and nothing was opened: the connector\'s own code and message (for example `partner-unreachable`, `partner-timeout`, `partner-bad-answer`, `birthdate-missing`), or `launch-origin-refused` when the partner answered with an address its configuration does not name.',
            ),
            '503': problemResponse('`idp_unreachable`: the identity provider could not be asked about the access token; `store_unavailable`: the broker\'s database did not answer before the launch began; `broker_timeout`: checking the sign-in used up the launch\'s 20 seconds, so the partner was not asked; `audit_unavailable`: the launch could not be recorded, so no instruction is given.'),
          },
        },
      },
      '/v1/partners': {
        get: {
          operationId: 'partners',
          summary: 'The partners this clinician may launch through the broker',
          security: [{ DPoP: [] }],
          parameters: [DPOP_HEADER],
          responses: {
            '200': { description: 'The partners.', content: json('PartnerList') },
            ...AUTH_RESPONSES,
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          operationId: 'jwks',
          summary: 'The broker\'s public signing keys (for Black Pear)',
          security: [],
          responses: {
            '200': {
              description: 'The key set. Cache-Control: public, max-age=300.',
              headers: { 'Cache-Control': { schema: { type: 'string' } } },
              content: json('Jwks'),
            },
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness: the process answers',
          security: [],
          responses: { '200': { description: 'Up.', content: json('Health') } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: the database answers',
          security: [],
          responses: {
            '200': { description: 'Ready to launch.', content: json('Readiness') },
            '503': { description: 'The database did not answer.', content: json('Readiness') },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          description: 'broker_launches_total{partner,outcome}, broker_launch_duration_seconds{partner}, broker_auth_failures_total{code}, and the Node.js process metrics. Not authenticated: expose it to the monitoring system only.',
          security: [],
          responses: { '200': { description: 'The Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        DPoP: {
          type: 'http',
          scheme: 'DPoP',
          description:
            'The clinician\'s access token from the organisation sign-in, as `Authorization: DPoP <access token>` (Bearer is refused), together with a `DPoP` header: a proof (RFC 9449) made for this one request by the installation\'s own key. The proof is a compact JWS with typ `dpop+jwt`, alg ES256 (or RS256), the public key in its `jwk` header (no private members), and the claims `htm` (the request method), `htu` (the broker\'s public URL and the path, without query), `iat` (within 60 seconds of the broker\'s clock), `jti` (never used before) and `ath` (base64url SHA-256 of the access token). The RFC 7638 thumbprint of the proof\'s key is the installation id. The access token is verified locally when it is a JWT for the configured audience, otherwise at the identity provider\'s userinfo endpoint.',
        },
      },
      schemas: {
        LaunchRequest: launchRequest(),
        LaunchAnswer: launchAnswer(),
        Problem: problem(),
        PartnerList: partnerList(),
        Jwks: jwks(),
        Health: statusSchema(['ok']),
        Readiness: statusSchema(['ready', 'not-ready'], { reason: z.literal('database').optional() }),
      },
    },
  };
}

export function brokerOpenApiJson(): string {
  return `${JSON.stringify(brokerOpenApi(), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await writeFile(OPENAPI_FILE, brokerOpenApiJson());
  console.log(`Wrote ${OPENAPI_FILE}`);
}
