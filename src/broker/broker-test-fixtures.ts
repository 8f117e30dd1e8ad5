import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import pg from 'pg';
import { PATIENTS } from '../../tests/sandbox/fixtures';
import { ORG_IDP } from '../../tests/sandbox/org-idp-fixtures';
import type { AuditEntry, FhirAuditEvent } from '../shared/audit';
import type { DpopKey } from '../shared/broker/dpop-proof';
import type { PatientContext } from '../shared/patient';

/** What the broker's tests launch with: John Smith, read as the extension reads him, for Dr Jones. */

export const john = PATIENTS[0]!;
export const patient: PatientContext = { nhsNumber: john.nhsNumber, birthDate: john.birthDate, name: { family: john.family, given: john.given } };
export const jones = ORG_IDP.users.find((u) => u.username === 'dr.jones')!;

/** One audit entry as the broker writes it (a launch of John Smith's record by Dr Jones), with `overrides`. */
export const auditEntry = (overrides: Partial<AuditEntry & { installation?: string }> = {}): AuditEntry & { installation?: string } => ({
  time: '2025-03-04T05:06:07.089Z',
  event: 'launch',
  clinician: 'dr.jones',
  partnerId: 'black-pear',
  nhsNumber: '9434765919',
  outcome: 'ok',
  ms: 412,
  ...overrides,
});

/**
 * A PostgreSQL schema of a test file's own on `databaseUrl` (named `<prefix>_<random>`): brokers given `url` keep
 * their tables there, so no other file's broker shares their queues or counters. create() and drop() it around
 * the file.
 */
export function testSchema(databaseUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name,
    url: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${name}`)}`,
    create: () => run(`CREATE SCHEMA ${name}`),
    drop: () => run(`DROP SCHEMA ${name} CASCADE`),
  };
}

/** A new installation's DPoP key, non-extractable as the extension makes it. */
export async function installationKey(): Promise<DpopKey> {
  const pair = await generateKeyPair('ES256', { extractable: false });
  return { key: pair.privateKey as CryptoKey, jwk: (await exportJWK(pair.publicKey)) as JWK, alg: 'ES256' };
}

/** One POST the audit endpoint received. */
export interface ReceivedAuditEvent {
  headers: IncomingHttpHeaders;
  event: FhirAuditEvent;
}

/**
 * The organisation's audit endpoint, on 127.0.0.1: records each POST and answers it with `answer(n)` (n counts
 * from 1), or never ('hang').
 */
export async function auditEndpoint(answer: (n: number) => number | 'hang' = () => 201) {
  const received: ReceivedAuditEvent[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, event: JSON.parse(body) as FhirAuditEvent });
      const status = answer(received.length);
      if (status === 'hang') return;
      // A body the broker must never log.
      response.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'endpoint-answer-body' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fhir/AuditEvent`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
