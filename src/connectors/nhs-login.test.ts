import { decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { LaunchError } from '../shared/launch-error';
import type { LaunchInput } from './connector';
import type { JwtSigner } from './jwt';
import { assertedLoginIdentity, nhsLoginConfigSchema, nhsLoginConnector, rp2LaunchUrl, type NhsLoginConfig } from './nhs-login';

const config: NhsLoginConfig = nhsLoginConfigSchema.parse({
  kind: 'nhs-login',
  id: 'nhs-login',
  label: 'NHS login',
  issuer: 'https://auth.login.nhs.uk',
  clientId: 'ehr-launchpad-rp1',
  launchUrlTemplate: 'https://rp2.example.org/launch?asserted_login_identity={assertion}&prompt={prompt}',
});
const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const session = { idTokenJti: 'id-token-jti-1', subject: 'citizen-1', expiresAt: NOW + 3_600_000 };

async function signer(): Promise<{ signer: JwtSigner; publicKey: CryptoKey }> {
  const pair = await generateKeyPair('ES256', { extractable: false });
  return { signer: { alg: 'ES256', kid: 'kid-1', key: pair.privateKey }, publicKey: pair.publicKey };
}

describe('NHS login asserted identity', () => {
  it('signs exactly { code: the ID token jti, iss: RP1 client id, jti, iat, exp = iat + 60 }', async () => {
    const { signer: s, publicKey } = await signer();
    const token = await assertedLoginIdentity(config, s, session, NOW);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: 'kid-1' });
    const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(NOW) });
    expect(payload).toEqual({ code: 'id-token-jti-1', iss: 'ehr-launchpad-rp1', jti: expect.any(String), iat: NOW / 1000, exp: NOW / 1000 + 60 });
    const again = await jwtVerify(await assertedLoginIdentity(config, s, session, NOW), publicKey, { currentDate: new Date(NOW) });
    expect(again.payload.jti).not.toBe(payload.jti);
  });

  it('fills the RP2 template, with the names NHS login and PKB each use', () => {
    expect(rp2LaunchUrl(config, 'a.b.c')).toBe('https://rp2.example.org/launch?asserted_login_identity=a.b.c&prompt=none');
    const pkb = { ...config, launchUrlTemplate: 'https://pkb.example.org/sso?assertedLoginIdentity={assertion}&prompt={prompt}', launchPrompt: 'login' as const };
    expect(rp2LaunchUrl(pkb, 'a.b.c')).toBe('https://pkb.example.org/sso?assertedLoginIdentity=a.b.c&prompt=login');
  });

  it('refuses templates without {assertion} or on plain http', () => {
    expect(nhsLoginConfigSchema.safeParse({ ...config, launchUrlTemplate: 'https://rp2.example.org/launch' }).success).toBe(false);
    expect(nhsLoginConfigSchema.safeParse({ ...config, launchUrlTemplate: 'http://rp2.example.org/l?a={assertion}' }).success).toBe(false);
  });

  it('needs a live sign-in before it can launch', async () => {
    const { signer: s } = await signer();
    const input = (partnerSession: unknown): LaunchInput<NhsLoginConfig> => ({
      config,
      secrets: {},
      clinician: { displayName: 'Dr Alice Jones', username: 'dr.jones', email: 'a@example.org' },
      patient: { nhsNumber: '9990000018', name: { family: 'Smith', given: 'John' } },
      fetch: () => Promise.reject(new Error('no network')),
      signal: AbortSignal.timeout(1000),
      now: () => NOW,
      signer: s,
      partnerSession,
    });
    for (const missing of [undefined, { ...session, expiresAt: NOW - 1 }]) {
      const error = await nhsLoginConnector.buildLaunch(input(missing)).catch((e: unknown) => e);
      expect((error as LaunchError).code).toBe('sign-in-needed');
    }
    const { instruction } = await nhsLoginConnector.buildLaunch(input(session));
    expect('open' in instruction && new URL(instruction.open).origin).toBe('https://rp2.example.org');
    expect(nhsLoginConnector.launchOrigins(config)).toEqual(['https://rp2.example.org']);
  });
});
