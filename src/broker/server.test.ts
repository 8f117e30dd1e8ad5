import { Writable } from 'node:stream';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { CookieJar, request } from '../../tests/sandbox/cookie-jar';
import { BLACK_PEAR, CLINICIANS } from '../../tests/sandbox/fixtures';
import { SANDBOX_SECRETS } from '../../tests/sandbox/extension-config';
import { signInAt } from '../../tests/sandbox/org-idp-window';
import { control, describeOnLoopback, useSandbox } from '../../tests/sandbox/test-kit';
import { launchThroughBroker } from '../shared/broker/broker-client';
import { dpopProof, type DpopKey } from '../shared/broker/dpop-proof';
import { isLaunchError, type LaunchError } from '../shared/launch-error';
import { installationKey, john, jones, patient } from './broker-test-fixtures';
import { buildBroker } from './server';
import { readSettings } from './settings';
import { openStore, type BrokerStore } from './store/store';

/**
 * The broker as a whole against the sandbox: real access tokens from the CIS2-like provider, DPoP proofs made by
 * the extension's own client code, the partners' simulators, and an in-process PGlite store.
 */


// Starting a broker opens PGlite (seconds, more while other test files run): generous limits.
describeOnLoopback('launch broker', { timeout: 60_000 }, () => {
  const sandbox = useSandbox();
  let url = '';
  let store: BrokerStore;
  let close: () => Promise<void>;
  const logs: string[] = [];
  /** Every answer body the tests below read raw, and every key-encryption key a broker here ran with. */
  const answers: string[] = [];
  const keks: string[] = [];
  const keep = async (response: Response) => (answers.push(await response.clone().text()), response);
  /** Every access token sent to a broker here (the sandbox's are opaque: no pattern finds them, only their value). */
  const tokensSent = new Set<string>();
  let token = '';
  let key: DpopKey;

  async function start(document: Record<string, unknown> = {}, wrap?: (store: BrokerStore) => BrokerStore, fetchImpl?: typeof fetch) {
    const settings = await readSettings(sandboxBrokerEnv(sandbox.urls, { document }));
    keks.push(Buffer.from(settings.kek).toString('base64url'), Buffer.from(settings.kek).toString('base64'));
    const opened = await openStore({});
    store = wrap ? wrap(opened) : opened;
    const app = await buildBroker({ settings, store, ...(fetchImpl ? { fetch: fetchImpl } : {}), logStream: new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }) });
    url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
    settings.publicUrl = url;
    close = async () => {
      await app.close();
      await opened.close();
    };
    await enrol();
  }

  /** Black Pear enrols the broker's JWKS URL (auto-enrolment) instead of one key per desktop. */
  async function enrol() {
    await control(sandbox.urls['black-pear'], 'settings', 'POST', { jwks: [], jwksUrls: [`${url}/.well-known/jwks.json`] });
  }

  function launch(partnerId: string, overrides: Partial<Parameters<typeof launchThroughBroker>[0]> = {}) {
    tokensSent.add(overrides.accessToken ?? token);
    return launchThroughBroker({ brokerUrl: url, partnerId, patient, accessToken: token, dpop: key, fetch, signal: AbortSignal.timeout(20_000), now: Date.now, ...overrides });
  }

  async function refused(promise: Promise<unknown>): Promise<LaunchError> {
    const error = await promise.then(() => undefined, (cause: unknown) => cause);
    if (!isLaunchError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error;
  }

  beforeAll(async () => {
    await start();
    key = await installationKey();
  });
  // The sandbox is reset before each test: sign in again, and enrol the broker's keys again.
  beforeEach(async () => {
    token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
    tokensSent.add(token);
    await enrol();
  });
  afterAll(async () => close());

  it('launches Parchment as the verified clinician, with the user id the organisation maps', async () => {
    const output = await launch('parchment');
    if (!('open' in output.instruction)) throw new Error('expected a URL');
    expect(new URL(output.instruction.open).origin).toBe(sandbox.urls['parchment-portal']);
    // The portal signs the browser in (a session cookie) and sends it on to the patient's prescriptions.
    const jar = new CookieJar();
    const landing = await request(output.instruction.open, jar);
    expect(landing.status).toBe(302);
    const page = await (await request(new URL(landing.headers.get('location')!, output.instruction.open).toString(), jar)).text();
    expect(page).toContain(CLINICIANS[0]!.parchmentUserId);
    expect(page).toContain(john.nhsNumber);
  });

  it('launches the knowledge base for the verified username', async () => {
    const output = await launch('knowledge-base');
    if (!('open' in output.instruction)) throw new Error('expected a URL');
    expect(new URL(output.instruction.open).origin).toBe(sandbox.urls.phpkb);
  });

  it('launches Black Pear with tokens signed by the broker\'s key (published in its JWKS); sub is requesting_user', async () => {
    const output = await launch('black-pear');
    if (!('post' in output.instruction)) throw new Error('expected a form');
    const jwks = createLocalJWKSet((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: JWK[] });
    const { payload } = await jwtVerify(output.instruction.fields.subject_token!, jwks);
    expect(payload).toMatchObject({ iss: BLACK_PEAR.settings.issuers[0], sub: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102', requesting_user: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102', requesting_user_name: 'Dr Alice Jones' });
    // And Black Pear itself accepts the form.
    const response = await fetch(output.instruction.post, { method: 'POST', body: new URLSearchParams(output.instruction.fields), redirect: 'manual' });
    expect(response.status).toBe(302);
  });

  it('lists the partners this clinician may launch; a user with no role cannot launch Black Pear', async () => {
    const proof = await dpopProof(key, { method: 'GET', url: `${url}/v1/partners`, accessToken: token, nowMs: Date.now() });
    const partners = (await (await fetch(`${url}/v1/partners`, { headers: { authorization: `DPoP ${token}`, dpop: proof } })).json()) as { id: string }[];
    expect(partners.map((p) => p.id).sort()).toEqual(['black-pear', 'knowledge-base', 'parchment']);
    const lee = (await signInAt(sandbox.urls['org-idp'], 'student.lee')).accessToken!;
    const error = await refused(launch('black-pear', { accessToken: lee }));
    expect(error.code).toBe('broker-identity-incomplete');
    expect(error.message).toContain('needs an NHS role');
  });

  it('refuses every request it cannot trust, readably', async () => {
    const raw = (headers: Record<string, string>, body: unknown = { partnerId: 'parchment', patient }) =>
      fetch(`${url}/v1/launch`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(keep);
    const proof = () => dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: token, nowMs: Date.now() });
    expect((await raw({})).status).toBe(401);
    expect((await raw({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await raw({ authorization: `DPoP ${token}` })).status).toBe(401);
    // A proof used twice, a proof for another URL, a proof for another token.
    const once = await proof();
    expect((await raw({ authorization: `DPoP ${token}`, dpop: once })).status).toBe(200);
    expect(await (await raw({ authorization: `DPoP ${token}`, dpop: once })).json()).toMatchObject({ code: 'invalid_dpop_proof' });
    const elsewhere = await dpopProof(key, { method: 'POST', url: `${url}/v1/partners`, accessToken: token, nowMs: Date.now() });
    expect((await raw({ authorization: `DPoP ${token}`, dpop: elsewhere })).status).toBe(401);
    const stale = await dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: token, nowMs: Date.now() - 120_000 });
    expect((await raw({ authorization: `DPoP ${token}`, dpop: stale })).status).toBe(401);
    // A token the provider does not know.
    const garbage = 'not-a-real-token';
    tokensSent.add(garbage);
    const garbageProof = await dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: garbage, nowMs: Date.now() });
    expect(await (await raw({ authorization: `DPoP ${garbage}`, dpop: garbageProof })).json()).toMatchObject({ code: 'invalid_token' });
    // Bodies: unknown partner, bad NHS number, a date that is not one, extra keys, too large.
    const bad = async (body: unknown) => {
      const response = await raw({ authorization: `DPoP ${token}`, dpop: await proof() }, body);
      return { status: response.status, body: (await response.json()) as { code: string; message: string } };
    };
    expect(await bad({ partnerId: 'nobody', patient })).toMatchObject({ status: 404, body: { code: 'unknown_partner' } });
    expect(await bad({ partnerId: 'parchment', patient: { ...patient, nhsNumber: '9990000019' } })).toMatchObject({ status: 400, body: { message: expect.stringContaining('check digit') } });
    expect(await bad({ partnerId: 'parchment', patient: { ...patient, birthDate: '1985-02-30' } })).toMatchObject({ status: 400 });
    expect(await bad({ partnerId: 'parchment', patient, extra: true })).toMatchObject({ status: 400 });
    expect(await bad({ partnerId: 'parchment', patient: { ...patient, name: { family: 'x'.repeat(20_000), given: 'y' } } })).toMatchObject({ status: 413 });
  });

  it('answers health, readiness and metrics; writes an audit entry per launch, verified, with the installation', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/broker_launches_total\{partner="parchment",outcome="ok"\} \d+/);
    const entries = await store.listAudit({ limit: 50 });
    const ok = entries.find((entry) => entry.partnerId === 'parchment' && entry.outcome === 'ok')!;
    expect(ok).toMatchObject({ event: 'launch', clinician: jones.uid, nhsNumber: john.nhsNumber, identity: { verified: true, subject: jones.uid, role: '555000000102' } });
    expect(ok.installation).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  /** What no log line and no answer may hold: partner secrets, the access token, a key-encryption key, a private key. */
  function expectNothingSecretIn(text: string) {
    for (const secret of SANDBOX_SECRETS) expect(text).not.toContain(secret.value);
    expect(tokensSent.size).toBeGreaterThan(0);
    for (const sent of tokensSent) expect(text).not.toContain(sent);
    for (const kek of keks) expect(text).not.toContain(kek);
    expect(text).not.toMatch(/"d"\s*:/);
  }

  it('never puts a secret, token or proof in a log line', () => {
    const text = logs.join('');
    expect(text).toContain('"route":"/v1/launch"');
    expectNothingSecretIn(text);
    // No JWT at all: neither the access token, nor a DPoP proof, nor a token the broker signed for a partner.
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('never puts a partner secret, the access token, a proof or a private key in an answer', async () => {
    const proofs: string[] = [];
    const signed = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const proof = await dpopProof(key, { method, url: `${url}${path}`, accessToken: token, nowMs: Date.now() });
      proofs.push(proof);
      return keep(await fetch(`${url}${path}`, { method, headers: { authorization: `DPoP ${token}`, dpop: proof, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    };
    for (const partnerId of ['parchment', 'knowledge-base', 'black-pear']) expect((await signed('POST', '/v1/launch', { partnerId, patient })).status).toBe(200);
    expect((await signed('GET', '/v1/partners')).status).toBe(200);
    for (const path of ['/healthz', '/readyz', '/metrics', '/.well-known/jwks.json', '/nowhere']) await keep(await fetch(`${url}${path}`));
    expect(answers.length).toBeGreaterThan(15);
    const text = answers.join('\n');
    expectNothingSecretIn(text);
    for (const proof of proofs) expect(text).not.toContain(proof);
  });

  it('keeps to the rate limits, per clinician', async () => {
    await close();
    await start({ rateLimits: { perClinicianPerMinute: 2, perInstallationPerMinute: 100 } });
    await launch('knowledge-base');
    await launch('knowledge-base');
    const error = await refused(launch('knowledge-base'));
    expect(error.code).toBe('broker-rate_limited');
  });

  it('keeps to the rate limits, per installation, whichever clinician signs in on it', async () => {
    await close();
    await start({ rateLimits: { perClinicianPerMinute: 100, perInstallationPerMinute: 2 } });
    await launch('knowledge-base');
    const patel = (await signInAt(sandbox.urls['org-idp'], 'dr.patel', '555000000202')).accessToken!;
    await launch('knowledge-base', { accessToken: patel });
    const error = await refused(launch('knowledge-base', { accessToken: patel }));
    expect(error.code).toBe('broker-rate_limited');
    // Another installation (its own key) is counted on its own.
    await launch('knowledge-base', { accessToken: patel, dpop: await installationKey() });
  });

  it('stops asking the identity provider about new tokens from an address whose tokens keep failing; known ones still launch', async () => {
    await close();
    const asked: string[] = [];
    const counting = ((input: RequestInfo | URL, init?: RequestInit) => {
      const target = String(input instanceof Request ? input.url : input);
      if (target.startsWith(sandbox.urls['org-idp'])) asked.push(new URL(target).pathname);
      return fetch(input, init);
    }) as typeof fetch;
    await start({ rateLimits: { perClinicianPerMinute: 100, perInstallationPerMinute: 100, failedChecksPerAddressPerMinute: 2 } }, undefined, counting);
    await launch('knowledge-base'); // this instance now knows the clinician's token
    const madeUp = (n: number) => launch('knowledge-base', { accessToken: `made-up-token-${n}-${'x'.repeat(20)}` });
    expect((await refused(madeUp(1))).code).toBe('broker-invalid_token');
    // The same token again (a revoked sign-in sent with every prefetch): refused at once, not asked about or counted again.
    const once = asked.length;
    expect((await refused(madeUp(1))).code).toBe('broker-invalid_token');
    expect(asked.length).toBe(once);
    expect((await refused(madeUp(2))).code).toBe('broker-invalid_token');
    const before = asked.length;
    expect(before).toBeGreaterThan(0);
    const held = await refused(madeUp(3));
    expect(held.code).toBe('broker-rate_limited');
    expect(held.message).toContain('could not be verified');
    expect(asked.length).toBe(before);
    // A real clinician's new token from the same address waits too; the token this instance knows does not.
    const lee = (await signInAt(sandbox.urls['org-idp'], 'student.lee')).accessToken!;
    expect((await refused(launch('knowledge-base', { accessToken: lee }))).code).toBe('broker-rate_limited');
    await launch('knowledge-base');
  });

  it('with enrolment required, only an enrolled installation launches', async () => {
    await close();
    await start({ enrolment: 'required' });
    const error = await refused(launch('knowledge-base'));
    expect(error.code).toBe('broker-installation_not_enrolled');
    await store.enrol(await calculateJwkThumbprint(key.jwk), 'test desktop');
    await launch('knowledge-base');
  });

  it('says the database is unavailable (503) when it cannot answer, and opens nothing', async () => {
    await close();
    const down = () => Promise.reject(new Error('database down'));
    await start({}, (inner) => ({ ...inner, useJti: down, admit: down, hitMany: down }));
    const error = await refused(launch('knowledge-base'));
    expect(error.code).toBe('broker-store_unavailable');
  });

  it('opens nothing when the launch cannot be audited', async () => {
    await close();
    await start({}, (inner) => ({ ...inner, appendAudit: () => Promise.reject(new Error('database down')) }));
    const error = await refused(launch('knowledge-base'));
    expect(error.code).toBe('broker-audit_unavailable');
  });

  it('the client says so plainly when the broker cannot be reached', async () => {
    await close();
    const error = await refused(launchThroughBroker({ brokerUrl: 'http://127.0.0.1:9', partnerId: 'parchment', patient, accessToken: token, dpop: key, fetch, signal: AbortSignal.timeout(5_000), now: Date.now }));
    expect(error.code).toBe('broker-unreachable');
    await start();
  });

  it('still has no secret in any log line after every refusal and failure above', () => {
    const text = logs.join('');
    expectNothingSecretIn(text);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
