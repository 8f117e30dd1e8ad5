import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { brokerOpenApi, brokerOpenApiJson, OPENAPI_FILE } from './broker-openapi';

interface Operation {
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const document = brokerOpenApi() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>; securitySchemes: Record<string, { type: string; scheme?: string }> };
};

describe('docs/broker-openapi.json', () => {
  it('is the document generated from the zod schemas (run npm run broker:openapi after changing them)', async () => {
    expect(await readFile(OPENAPI_FILE, 'utf8')).toBe(brokerOpenApiJson());
  });

  it('describes every route the broker serves, and only those', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(['/.well-known/jwks.json', '/healthz', '/metrics', '/readyz', '/v1/launch', '/v1/partners']);
    expect(Object.keys(document.paths['/v1/launch']!)).toEqual(['post']);
    for (const path of ['/v1/partners', '/.well-known/jwks.json', '/healthz', '/readyz', '/metrics']) expect(Object.keys(document.paths[path]!)).toEqual(['get']);
  });

  it('puts the /v1 routes behind DPoP (the scheme and the proof header); the others are open', () => {
    expect(document.components.securitySchemes.DPoP).toMatchObject({ type: 'http', scheme: 'DPoP' });
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const operation of Object.values(methods)) {
        if (path.startsWith('/v1/')) {
          expect(operation.security).toEqual([{ DPoP: [] }]);
          expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'DPoP', in: 'header', required: true }));
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '429', '503']));
        } else {
          expect(operation.security).toEqual([]);
        }
      }
    }
  });

  it('answers every refusal with the problem body {code, message}', () => {
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400 && response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Readiness') {
            expect(response.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/Problem');
          }
        }
      }
    }
    expect(document.components.schemas.Problem!.required).toEqual(['code', 'message']);
  });

  it('takes the launch body and answer from the schemas the broker and the extension check', () => {
    const request = document.components.schemas.LaunchRequest!;
    expect(request.required).toEqual(['partnerId', 'patient']);
    expect(JSON.stringify(request)).toContain('^[0-9]{10}$');
    const answer = document.components.schemas.LaunchAnswer!;
    expect(answer.required).toEqual(['instruction']);
    expect(Object.keys(answer.properties!)).toEqual(['instruction', 'notice', 'expiresAt']);
  });
});
