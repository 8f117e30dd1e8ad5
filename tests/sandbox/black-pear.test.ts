import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BLACK_PEAR } from './fixtures';
import { control, cookiePair, testId, useSandbox } from './test-kit';

const sandbox = useSandbox();

const ISSUER = BLACK_PEAR.settings.issuers[0] ?? '';
const PATIENT = 'https://fhir.nhs.uk/Id/nhs-number|9990000018';
const ROLE_PROFILE = 'https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102';

interface Signer {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** What gets enrolled: the public JWK with its kid. */
  jwk: JWK;
}

async function makeSigner(alg: 'ES256' | 'RS256'): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { alg, kid, privateKey, publicKey, jwk: { ...jwk, kid, alg, use: 'sig' } };
}

let es: Signer;
let rs: Signer;
/** Never enrolled: used to forge signatures under an enrolled kid. */
let rogue: Signer;

beforeAll(async () => {
  [es, rs, rogue] = await Promise.all([makeSigner('ES256'), makeSigner('RS256'), makeSigner('ES256')]);
});

const origin = () => sandbox.urls['black-pear'];
const launchUrl = () => `${origin()}/launch/v1`;
const settings = (patch: Record<string, unknown>) => control(origin(), 'settings', 'POST', patch);
const now = () => Math.floor(Date.now() / 1000);

beforeEach(async () => {
  const response = await settings({ jwks: [es.jwk, rs.jwk] });
  expect(response.status, await response.clone().text()).toBe(200);
});

type ClaimPatch = Record<string, unknown>;

/** Claims with a patch applied; a patched value of undefined removes the claim. */
function withPatch(base: ClaimPatch, patch: ClaimPatch): JWTPayload {
  return Object.fromEntries(Object.entries({ ...base, ...patch }).filter(([, value]) => value !== undefined)) as JWTPayload;
}

const times = () => ({ iat: now(), nbf: now(), exp: now() + 120 });

const clientClaims = (patch: ClaimPatch = {}) => withPatch({ iss: ISSUER, sub: ISSUER, aud: launchUrl(), ...times(), jti: randomUUID() }, patch);

const subjectClaims = (patch: ClaimPatch = {}) =>
  withPatch(
    {
      iss: ISSUER,
      sub: ROLE_PROFILE,
      aud: launchUrl(),
      ...times(),
      jti: randomUUID(),
      requesting_organization: 'https://fhir.nhs.uk/Id/ods-organization-code|Y90001',
      requesting_user: ROLE_PROFILE,
      requesting_user_name: 'Dr Alice Jones',
      requesting_user_role: 'General Medical Practitioner',
      requesting_system: 'https://fhir.nhs.uk/Id/accredited-system|200000000117',
      reason_for_request: 'directcare',
      requested_scope: 'patient/*.read',
    },
    patch,
  );

function sign(claims: JWTPayload, signer: Signer = es, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT', ...header }).sign(signer.privateKey);
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

interface LaunchCall {
  client?: string;
  subject?: string;
  /** Form fields over the defaults; undefined removes one. */
  fields?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string;
  method?: string;
}

async function launch(call: LaunchCall = {}): Promise<Response> {
  const fields = {
    client_assertion: call.client ?? (await sign(clientClaims())),
    subject_token: call.subject ?? (await sign(subjectClaims())),
    patient: PATIENT,
    birthdate: '1985-03-12',
    ...call.fields,
  };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  const method = call.method ?? 'POST';
  return fetch(launchUrl(), {
    method,
    ...(method === 'GET' ? {} : { body: call.body ?? form.toString() }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...call.headers },
    redirect: 'manual',
  });
}

/** A refusal in either format: the HTML error page, or { error, message } JSON. */
async function expectRefused(response: Response | Promise<Response>, status: number, code: string, message?: RegExp): Promise<string> {
  const answer = await response;
  const text = await answer.text();
  expect(answer.status, text.slice(0, 1500)).toBe(status);
  let readable: string | undefined;
  if (answer.headers.get('content-type')?.startsWith('application/json')) {
    const json = JSON.parse(text) as { error: string; message: string };
    expect(json.error).toBe(code);
    readable = json.message;
  } else {
    expect(testId(text, 'launch-error-code'), text.slice(0, 1500)).toBe(code);
    readable = testId(text, 'launch-error-message');
  }
  expect(readable).toMatch(/\w+ \w+/);
  if (message) expect(readable).toMatch(message);
  return readable ?? '';
}

async function followLink(location: string, cookie = ''): Promise<{ status: number; text: string; response: Response }> {
  const response = await fetch(location, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, text: await response.text(), response };
}

describe('Black Pear launch: success', () => {
  it('verifies an ES256 launch, issues a single-use contextual link and opens the app in context', async () => {
    const response = await launch({ fields: { location: 'Ward 7 & Annex' } });
    expect(response.status, await response.clone().text()).toBe(302);
    const location = response.headers.get('location') ?? '';
    const link = new URL(location);
    expect(`${link.origin}${link.pathname}`).toBe(`${origin()}/app/launch`);
    expect([...link.searchParams.keys()]).toEqual(['patient', 'birthdate', 'location', 'serviceId', 'access_token']);
    expect(link.searchParams.get('patient')).toBe(PATIENT);
    expect(link.searchParams.get('birthdate')).toBe('1985-03-12');
    expect(link.searchParams.get('location')).toBe('Ward 7 & Annex');
    expect(link.searchParams.get('serviceId')).toBe('svc-riverside-01');
    expect(link.searchParams.get('access_token')).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const app = await followLink(location);
    expect(app.status, app.text.slice(0, 1500)).toBe(200);
    const setCookie = app.response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^blackpear_session=[^;]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(testId(app.text, 'patient-nhs')).toBe('9990000018');
    expect(testId(app.text, 'birthdate')).toBe('1985-03-12');
    expect(testId(app.text, 'user-name')).toBe('Dr Alice Jones');
    expect(testId(app.text, 'user-role')).toBe('General Medical Practitioner');
    expect(testId(app.text, 'user-id')).toBe(ROLE_PROFILE);
    expect(testId(app.text, 'organization')).toBe('Y90001');
    expect(testId(app.text, 'system')).toBe('https://fhir.nhs.uk/Id/accredited-system|200000000117');
    expect(testId(app.text, 'service-id')).toBe('svc-riverside-01');
    expect(testId(app.text, 'location')).toBe('Ward 7 & Annex');
    expect(Number(testId(app.text, 'token-age-ms'))).toBeGreaterThanOrEqual(0);
    const claims = JSON.parse(testId(app.text, 'subject-token-claims') ?? '{}') as Record<string, unknown>;
    expect(claims).toMatchObject({ reason_for_request: 'directcare', requested_scope: 'patient/*.read', iss: ISSUER });

    // Single use: the same link again is refused, but the session it started keeps working.
    const again = await followLink(location);
    expect(again.status).toBe(401);
    expect(testId(again.text, 'sso-error')).toBeTruthy();
    expect(testId(again.text, 'sso-error-code')).toBe('token-used');
    const session = await followLink(`${origin()}/app`, cookiePair(app.response));
    expect(session.status).toBe(200);
    expect(testId(session.text, 'patient-nhs')).toBe('9990000018');
    expect((await followLink(`${origin()}/app`)).status).toBe(401);
  });

  it('accepts RS256, an sds-user-id user, aud as an array, partial dates, and maps unknown ODS codes to unknown', async () => {
    const client = await sign(clientClaims({ aud: ['https://elsewhere.example', launchUrl()] }), rs);
    const subject = await sign(
      subjectClaims({ requesting_user: 'https://fhir.nhs.uk/Id/sds-user-id|555000000101', sub: 'https://fhir.nhs.uk/Id/sds-user-id|555000000101', requesting_organization: 'https://fhir.nhs.uk/Id/ods-organization-code|A81001' }),
      rs,
    );
    const response = await launch({ client, subject, fields: { birthdate: '1985-03' } });
    expect(response.status, await response.clone().text()).toBe(302);
    const link = new URL(response.headers.get('location') ?? '');
    expect(link.searchParams.get('serviceId')).toBe('unknown');
    expect(link.searchParams.has('location')).toBe(false);
    const app = await followLink(link.href);
    expect(testId(app.text, 'location')).toBe('none');
    expect(testId(app.text, 'user-id')).toBe('https://fhir.nhs.uk/Id/sds-user-id|555000000101');
    expect(testId(app.text, 'organization')).toBe('A81001');

    for (const birthdate of ['1985', '2024-02-29']) expect((await launch({ fields: { birthdate } })).status, birthdate).toBe(302);
  });

  it('tolerates clock skew within clockSkewSeconds', async () => {
    const client = await sign(clientClaims({ iat: now() - 100, nbf: now() - 100, exp: now() - 10 }));
    const subject = await sign(subjectClaims({ iat: now() + 10, nbf: now() + 20, exp: now() + 100 }));
    expect((await launch({ client, subject })).status).toBe(302);
  });

  it('refuses an altered, unknown or expired launch link without spending it', async () => {
    const link = new URL((await launch()).headers.get('location') ?? '');
    const altered = new URL(link);
    altered.searchParams.set('patient', 'https://fhir.nhs.uk/Id/nhs-number|9991234578');
    const refused = await followLink(altered.href);
    expect([refused.status, testId(refused.text, 'sso-error-code')]).toEqual([401, 'context-mismatch']);
    expect((await followLink(link.href)).status).toBe(200);

    const unknown = await followLink(`${origin()}/app/launch?access_token=nope`);
    expect([unknown.status, testId(unknown.text, 'sso-error-code')]).toEqual([401, 'token-unknown']);

    await settings({ ssoTokenTtlSeconds: 0.01 });
    const quick = (await launch()).headers.get('location') ?? '';
    await new Promise((resolve) => setTimeout(resolve, 30));
    const expired = await followLink(quick);
    expect([expired.status, testId(expired.text, 'sso-error-code')]).toEqual([401, 'token-expired']);
  });
});

describe('Black Pear launch: request checks', () => {
  it('refuses addresses outside allowedAddresses before anything else (403 address)', async () => {
    await settings({ allowedAddresses: [] });
    await expectRefused(launch({ method: 'GET' }), 403, 'address');
    await settings({ allowedAddresses: ['10.0.0.1'] });
    await expectRefused(launch(), 403, 'address', /127\.0\.0\.1/);
  });

  it('needs POST, a form body and every field once', async () => {
    const get = await launch({ method: 'GET' });
    expect(get.headers.get('allow')).toBe('POST');
    await expectRefused(get, 405, 'method');
    await expectRefused(launch({ headers: { 'content-type': 'application/json' } }), 415, 'content-type');
    await expectRefused(launch({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' } }), 415, 'content-type');
    expect((await launch({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } })).status).toBe(302);
    await expectRefused(launch({ fields: { subject_token: undefined } }), 400, 'missing-field', /subject_token/);
    await expectRefused(launch({ fields: { birthdate: '' } }), 400, 'missing-field', /birthdate/);
    await expectRefused(launch({ fields: { location: '' } }), 400, 'missing-field', /location/);
    const client = await sign(clientClaims());
    const twice = `${new URLSearchParams({ client_assertion: client, subject_token: await sign(subjectClaims()), patient: PATIENT, birthdate: '1985-03-12' })}&patient=${encodeURIComponent(PATIENT)}`;
    await expectRefused(launch({ body: twice }), 400, 'missing-field', /more than once: patient/);
  });

  it('needs the patient as an NHS number identifier with a valid check digit', async () => {
    for (const patient of [
      'https://fhir.nhs.uk/Id/nhs-number|9990000019', // bad check digit
      'https://fhir.nhs.uk/Id/nhs-number|999000001', // 9 digits
      'https://fhir.nhs.uk/Id/nhs-number|999 000 0018',
      'https://fhir.nhs.uk/Id/nhs-numbers|9990000018', // wrong system
      'http://fhir.nhs.uk/Id/nhs-number|9990000018',
      '|9990000018',
      '9990000018',
    ]) {
      await expectRefused(launch({ fields: { patient } }), 400, 'patient');
    }
  });

  it('needs the birthdate as a real FHIR date that is not in the future', async () => {
    const nextYear = String(new Date().getUTCFullYear() + 1);
    for (const birthdate of ['2023-02-29', '1985-13-01', '1985-04-31', '1985-3-12', '12/03/1985', '1985-03-12T00:00:00Z', `${nextYear}-01-01`, nextYear]) {
      await expectRefused(launch({ fields: { birthdate } }), 400, 'birthdate');
    }
  });
});

describe('Black Pear launch: JWT checks', () => {
  it('refuses malformed tokens (400)', async () => {
    await expectRefused(launch({ client: 'not-a-jwt' }), 400, 'client_assertion.malformed');
    await expectRefused(launch({ client: 'a.b' }), 400, 'client_assertion.malformed');
    await expectRefused(launch({ subject: `${base64url.encode('not json')}.${encodeJson(subjectClaims())}.c2ln` }), 400, 'subject_token.malformed');
    await expectRefused(launch({ subject: `${encodeJson({ alg: 'ES256', kid: es.kid })}.${encodeJson(['array'])}.c2ln` }), 400, 'subject_token.malformed');
  });

  it('refuses alg none, HS256 keyed with the public key, and algorithms other than ES256/RS256', async () => {
    const unsigned = `${encodeJson({ alg: 'none', kid: es.kid })}.${encodeJson(clientClaims())}.`;
    await expectRefused(launch({ client: unsigned }), 401, 'client_assertion.alg', /alg none/);

    // The classic confusion attack: an HMAC keyed with the verifier's public key.
    const pem = new TextEncoder().encode(await exportSPKI(rs.publicKey));
    const hs256 = await new SignJWT(subjectClaims()).setProtectedHeader({ alg: 'HS256', kid: rs.kid }).sign(pem);
    await expectRefused(launch({ subject: hs256 }), 401, 'subject_token.alg', /HS256/);
    const jwkBytes = new TextEncoder().encode(JSON.stringify(es.jwk));
    const hs256Jwk = await new SignJWT(clientClaims()).setProtectedHeader({ alg: 'HS256', kid: es.kid }).sign(jwkBytes);
    await expectRefused(launch({ client: hs256Jwk }), 401, 'client_assertion.alg');

    const es384 = `${encodeJson({ alg: 'ES384', kid: es.kid })}.${encodeJson(clientClaims())}.${base64url.encode('sig')}`;
    await expectRefused(launch({ client: es384 }), 401, 'client_assertion.alg', /ES384/);
  });

  it('refuses a missing or unknown kid, and a kid whose key cannot verify the alg', async () => {
    await expectRefused(launch({ client: await sign(clientClaims(), rogue) }), 401, 'client_assertion.kid', /not enrolled|No key/);
    const noKid = await new SignJWT(clientClaims()).setProtectedHeader({ alg: 'ES256' }).sign(es.privateKey);
    await expectRefused(launch({ client: noKid }), 401, 'client_assertion.kid');
    // An ES256 signature presented under the RSA key's kid.
    await expectRefused(launch({ subject: await sign(subjectClaims(), es, { kid: rs.kid }) }), 401, 'subject_token.kid');
  });

  it('refuses a signature made by another key under an enrolled kid', async () => {
    await expectRefused(launch({ client: await sign(clientClaims(), rogue, { kid: es.kid }) }), 401, 'client_assertion.signature');
    const token = await sign(subjectClaims());
    const [h, p, s = ''] = token.split('.');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    await expectRefused(launch({ subject: `${h}.${p}.${flipped}` }), 401, 'subject_token.signature');
  });

  it('refuses untrusted issuers and the wrong audience', async () => {
    await expectRefused(launch({ client: await sign(clientClaims({ iss: 'other-vendor', sub: 'other-vendor' })) }), 401, 'client_assertion.iss', /other-vendor/);
    await expectRefused(launch({ subject: await sign(subjectClaims({ iss: undefined })) }), 401, 'subject_token.iss');
    await expectRefused(launch({ client: await sign(clientClaims({ aud: `${launchUrl()}/` })) }), 401, 'client_assertion.aud');
    await expectRefused(launch({ client: await sign(clientClaims({ aud: 'https://core.blackpear.example/launch/v1' })) }), 401, 'client_assertion.aud');
    await expectRefused(launch({ subject: await sign(subjectClaims({ aud: [origin()] })) }), 401, 'subject_token.aud', new RegExp(launchUrl().replace(/[.]/g, '\\.')));
  });

  it('checks iat, nbf, exp and the lifetime', async () => {
    const t = now();
    await expectRefused(launch({ client: await sign(clientClaims({ iat: t - 200, nbf: t - 200, exp: t - 60 })) }), 401, 'client_assertion.exp');
    await expectRefused(launch({ subject: await sign(subjectClaims({ nbf: t + 120, exp: t + 200 })) }), 401, 'subject_token.nbf');
    await expectRefused(launch({ client: await sign(clientClaims({ iat: t, nbf: t, exp: t + 301 })) }), 401, 'client_assertion.lifetime', /300/);
    await expectRefused(launch({ client: await sign(clientClaims({ iat: t + 120, nbf: t, exp: t + 200 })) }), 401, 'client_assertion.iat');
    await expectRefused(launch({ client: await sign(clientClaims({ exp: undefined })) }), 401, 'client_assertion.exp');
    await expectRefused(launch({ subject: await sign(subjectClaims({ nbf: undefined })) }), 401, 'subject_token.nbf');
    await expectRefused(launch({ subject: await sign(subjectClaims({ iat: String(t) })) }), 401, 'subject_token.iat');
    await expectRefused(launch({ client: await sign(clientClaims({ exp: (t + 60) * 1000 })) }), 401, 'client_assertion.lifetime', /milliseconds/);
    expect((await launch({ client: await sign(clientClaims({ iat: t, exp: t + 300 })) })).status).toBe(302);
  });

  it('refuses a replayed jti, per issuer, across both tokens', async () => {
    const client = await sign(clientClaims());
    expect((await launch({ client })).status).toBe(302);
    await expectRefused(launch({ client }), 401, 'client_assertion.jti-replay');
    const jti = randomUUID();
    await expectRefused(launch({ client: await sign(clientClaims({ jti })), subject: await sign(subjectClaims({ jti })) }), 401, 'subject_token.jti-replay');
    await expectRefused(launch({ client: await sign(clientClaims({ jti: undefined })) }), 401, 'client_assertion.jti');
  });

  it('makes a fresh token look expired when Black Pear clock runs ahead (clockOffsetSeconds)', async () => {
    await settings({ clockOffsetSeconds: 600 });
    await expectRefused(launch(), 401, 'client_assertion.exp', /expired/);
    await settings({ clockOffsetSeconds: -600 });
    await expectRefused(launch(), 401, 'client_assertion.nbf');
  });
});

describe('Black Pear launch: claims', () => {
  it('needs the client_assertion sub to equal its iss', async () => {
    await expectRefused(launch({ client: await sign(clientClaims({ sub: 'someone-else' })) }), 401, 'client_assertion.sub');
  });

  it.each([
    ['requesting_organization', 'Y90001'],
    ['requesting_organization', 'https://fhir.nhs.uk/Id/ods-organization-code|'],
    ['requesting_organization', 'https://fhir.nhs.uk/Id/ods-organisation-code|Y90001'],
    ['requesting_organization', undefined],
    ['requesting_user', '555000000102'],
    ['requesting_user', 'https://fhir.nhs.uk/Id/sds-role-profile-id|'],
    ['requesting_user', 'https://fhir.nhs.uk/Id/nhs-number|9990000018'],
    ['requesting_user', undefined],
    ['requesting_user_name', ''],
    ['requesting_user_name', undefined],
    ['requesting_user_role', ' '],
    ['requesting_user_role', 42],
    ['requesting_system', undefined],
    ['requesting_system', '200000000117'],
    ['requesting_system', 'https://fhir.nhs.uk/Id/accredited-system|'],
    ['requesting_system', 'https://fhir.nhs.uk/Id/accredited-system|20000000011'],
    ['requesting_system', 'urn:ehr-launchpad'],
    ['reason_for_request', 'secondarycare'],
    ['reason_for_request', undefined],
    ['requested_scope', 'patient/*.write'],
    ['requested_scope', 'user/*.read'],
    ['sub', ''],
    ['sub', undefined],
    ['sub', '555000000102'],
    ['sub', 'https://fhir.nhs.uk/Id/sds-user-id|555000000101'],
  ])('refuses subject_token %s = %j (403 subject_token.claims)', async (claim, value) => {
    const response = await launch({ subject: await sign(subjectClaims({ [claim]: value })), headers: { accept: 'application/json' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'subject_token.claims', claim, message: expect.stringContaining(claim) as unknown });
  });

  it('checks the client_assertion fully before the subject_token, and claims last', async () => {
    const client = await sign(clientClaims({ iss: 'other-vendor' }));
    const subject = await sign(subjectClaims({ aud: 'x', reason_for_request: 'x' }));
    await expectRefused(launch({ client, subject, fields: { birthdate: '2023-02-29' } }), 400, 'birthdate');
    await expectRefused(launch({ client, subject }), 401, 'client_assertion.iss');
    await expectRefused(launch({ subject }), 401, 'subject_token.aud');
  });
});

describe('Black Pear auto-enrolment (a published JWKS)', () => {
  /** A third party's JWKS endpoint, serving whatever keys it publishes now. */
  async function publisher(keys: () => JWK[]): Promise<{ url: string; close: () => Promise<void>; hits: () => number }> {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, close: () => new Promise((resolve) => server.close(() => resolve())), hits: () => hits };
  }

  it('accepts tokens signed by a key the third party publishes, fetches again for a key rotated in, and never uses a private one', async () => {
    let published: JWK[] = [es.jwk];
    const site = await publisher(() => published);
    try {
      expect((await settings({ jwks: [], jwksUrls: [site.url] })).status).toBe(200);
      expect((await launch()).status).toBe(302);
      expect((await launch()).status).toBe(302);
      expect(site.hits()).toBe(1);
      // A new key appears at the third party: a token under its kid makes the simulator look again.
      published = [es.jwk, rs.jwk];
      const client = await sign(clientClaims(), rs);
      const subject = await sign(subjectClaims(), rs);
      expect((await launch({ client, subject })).status).toBe(302);
      expect(site.hits()).toBe(2);
      // A key that is not published is not trusted, and a published private key is ignored.
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      published = [{ ...(await exportJWK(privateKey)), kid: rogue.kid }];
      await expectRefused(launch({ client: await sign(clientClaims(), rogue), subject: await sign(subjectClaims(), rogue) }), 401, 'client_assertion.kid');
    } finally {
      await site.close();
    }
    expect((await settings({ jwksUrls: ['ftp://keys.example'] })).status).toBe(400);
  });
});

describe('Black Pear settings', () => {
  it('enrols public signing keys only', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    expect((await settings({ jwks: [{ ...privateJwk, kid: 'private' }] })).status).toBe(400);
    expect((await settings({ jwks: [es.jwk, { ...rs.jwk, kid: es.kid }] })).status).toBe(400);
    expect((await settings({ jwks: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] })).status).toBe(400);
    expect((await settings({ jwks: [{ ...es.jwk, kid: undefined }] })).status).toBe(400);
    expect((await settings({ allowedAddresses: ['localhost'] })).status).toBe(400);
    const reset = await control(origin(), 'settings', 'DELETE');
    expect(await reset.json()).toMatchObject({ jwks: [], issuers: [ISSUER], maxLifetimeSeconds: 300, clockSkewSeconds: 30 });
  });
});
