import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { ORG_IDP } from '../../tests/sandbox/org-idp-fixtures';
import { signInAt } from '../../tests/sandbox/org-idp-window';
import { describeOnLoopback, useSandbox } from '../../tests/sandbox/test-kit';
import { JWK_THUMBPRINT_SYSTEM, NHS_NUMBER_SYSTEM, type FhirAuditEvent } from '../shared/audit';
import { dpopProof, type DpopKey } from '../shared/broker/dpop-proof';
import { BROKER_AUDIT_OBSERVER } from './audit-forwarder';
import { auditEndpoint, installationKey, john, jones, patient, testSchema, type ReceivedAuditEvent } from './broker-test-fixtures';
import { startBroker, type RunningBroker } from './start';

/**
 * The whole forwarding path: a broker started as production starts it (startBroker with
 * BROKER_AUDIT_FORWARD_URL and a token), launches through its API against the sandbox's partners and provider,
 * and the organisation's endpoint receiving each audited launch as an AuditEvent. On PostgreSQL when
 * DATABASE_URL is set, on PGlite otherwise.
 */

const TOKEN = `forward-${randomBytes(12).toString('base64url')}`;
const databaseUrl = process.env.DATABASE_URL;
/** A clinician with no NHS role: the broker refuses, and audits, a Black Pear launch for them. */
const lee = ORG_IDP.users.find((u) => u.username === 'student.lee')!;
/** John Smith's NHS number with another check digit: refused by the request's checks. */
const badNhsNumber = `${john.nhsNumber.slice(0, 9)}${(Number(john.nhsNumber[9]) + 1) % 10}`;

/**
 * A PostgreSQL schema for this file alone: the forwarding queue is shared by every broker on a schema, and
 * another one's forwarder would send these entries to its own endpoint.
 */
async function ownSchema(url: string): Promise<{ env: NodeJS.ProcessEnv; drop(): Promise<void> }> {
  const schema = testSchema(url, 'forward');
  await schema.create();
  return { env: { DATABASE_URL: schema.url, BROKER_KEK: randomBytes(32).toString('base64url') }, drop: schema.drop };
}

/** The partner an event names: its Destination Role ID agent. */
const partnerOf = (event: FhirAuditEvent) => event.agent.find((a) => a.type?.coding[0]?.code === '110152')?.who?.display;

// Starting a broker opens its store (seconds on PGlite, more while other test files run): generous limits.
describeOnLoopback('a launch through a running broker reaches the audit endpoint', { timeout: 60_000 }, () => {
  const sandbox = useSandbox();
  let endpoint: Awaited<ReturnType<typeof auditEndpoint>>;
  let database: Awaited<ReturnType<typeof ownSchema>> | undefined;
  let broker: RunningBroker;
  let key: DpopKey;
  let installation = '';
  let token = '';
  /** How many events the endpoint had when the test began: each test looks at its own. */
  let before = 0;

  beforeAll(async () => {
    endpoint = await auditEndpoint();
    database = databaseUrl ? await ownSchema(databaseUrl) : undefined;
    const env = { ...sandboxBrokerEnv(sandbox.urls), ...database?.env, BROKER_AUDIT_FORWARD_URL: endpoint.url, BROKER_AUDIT_FORWARD_TOKEN: TOKEN, BROKER_LOG_LEVEL: 'silent' };
    broker = await startBroker(env, { exitOnSignal: false });
    key = await installationKey();
    installation = await calculateJwkThumbprint(key.jwk);
  });
  beforeEach(async () => {
    token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
    before = endpoint.received.length;
  });
  afterAll(async () => {
    await broker?.stop();
    await endpoint?.close();
    await database?.drop();
  });

  /** POST /v1/launch as the extension sends it: the access token and a DPoP proof signed by the installation's key. */
  async function launch(partnerId: string, options: { accessToken?: string; body?: unknown } = {}): Promise<Response> {
    const accessToken = options.accessToken ?? token;
    const url = `${broker.url}/v1/launch`;
    const proof = await dpopProof(key, { method: 'POST', url, accessToken, nowMs: Date.now() });
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `DPoP ${accessToken}`, dpop: proof },
      body: JSON.stringify(options.body ?? { partnerId, patient }),
    });
  }

  /** The first event this test's launches sent that matches, once the endpoint has it (polled, with a deadline). */
  function forwarded(matches: (event: FhirAuditEvent) => boolean): Promise<ReceivedAuditEvent> {
    return vi.waitFor(
      () => {
        const found = endpoint.received.slice(before).find((r) => matches(r.event));
        if (!found) throw new Error('the endpoint has not received the event yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
  }

  const expectPostedAsFhirWithToken = ({ headers }: ReceivedAuditEvent) => {
    expect(headers['content-type']).toBe('application/fhir+json');
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
  };

  it('a launch answered 200 reaches the endpoint as a successful AuditEvent: patient, clinician, partner and installation', async () => {
    const started = Date.now();
    const response = await launch('parchment');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ instruction: { open: expect.stringContaining(sandbox.urls['parchment-portal']) } });

    const received = await forwarded((event) => partnerOf(event) === 'parchment');
    expectPostedAsFhirWithToken(received);
    const { event } = received;
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: { code: '110110', display: 'Patient Record' },
      action: 'E',
      outcome: '0',
      source: { observer: { display: BROKER_AUDIT_OBSERVER }, type: [{ code: '4', display: 'Application Server' }] },
      entity: [{ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: john.nhsNumber } } }],
    });
    expect(event.outcomeDesc).toBeUndefined();
    expect(event.agent).toEqual([
      expect.objectContaining({
        // The verified clinician: the provider's issuer and subject; the CIS2 username is the SDS user id.
        who: { identifier: { system: sandbox.urls['org-idp'], value: jones.uid }, display: jones.uid },
        role: [expect.objectContaining({ coding: [expect.objectContaining({ code: jones.roles[0]!.person_roleid })] })],
        requestor: true,
      }),
      expect.objectContaining({ who: { display: 'parchment' }, requestor: false }),
      expect.objectContaining({ type: { coding: [expect.objectContaining({ code: '110153' })] }, who: { type: 'Device', identifier: { system: JWK_THUMBPRINT_SYSTEM, value: installation } }, requestor: false }),
    ]);
    expect(Date.parse(event.recorded)).toBeGreaterThanOrEqual(started - 1_000);
    // Sent once: no other event for this launch.
    expect(endpoint.received.slice(before).map((r) => r.event.id)).toEqual([event.id]);
  });

  it('a refusal the broker audits (a clinician with no NHS role, for Black Pear) reaches it as a refused event; requests refused before the audit do not', async () => {
    // Refused before anything is audited: an unknown partner, a patient whose NHS number fails its check digit.
    expect((await launch('no-such-partner')).status).toBe(404);
    expect((await launch('parchment', { body: { partnerId: 'parchment', patient: { ...patient, nhsNumber: badNhsNumber } } })).status).toBe(400);
    const response = await launch('black-pear', { accessToken: (await signInAt(sandbox.urls['org-idp'], lee.username)).accessToken! });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'identity-incomplete' });

    const received = await forwarded((event) => partnerOf(event) === 'black-pear');
    expectPostedAsFhirWithToken(received);
    expect(received.event).toMatchObject({
      resourceType: 'AuditEvent',
      outcome: '4',
      outcomeDesc: 'identity-incomplete',
      entity: [{ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: john.nhsNumber } } }],
      agent: [
        { who: { identifier: { system: sandbox.urls['org-idp'], value: lee.uid }, display: lee.uid }, requestor: true },
        { who: { display: 'black-pear' }, requestor: false },
        { who: { identifier: { system: JWK_THUMBPRINT_SYSTEM, value: installation } }, requestor: false },
      ],
    });
    // Entries go out oldest first, so had the earlier refusals been audited, their events would be here already.
    expect(endpoint.received.slice(before).map((r) => partnerOf(r.event))).toEqual(['black-pear']);
  });
});
