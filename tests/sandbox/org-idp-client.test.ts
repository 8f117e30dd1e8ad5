import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { orgIdpSchema } from '../../src/shared/identity/idp-config';
import { signInWithOrganisation } from '../../src/shared/identity/org-sign-in';
import type { OrgSignInInput } from '../../src/shared/identity/org-sign-in';
import { LaunchError } from '../../src/shared/launch-error';
import { ORG_IDP_PATHS } from './org-idp';
import { ID_TOKEN_FAULTS, ORG_IDP } from './org-idp-fixtures';
import { extensionFetch, OrgIdpWindow } from './org-idp-window';
import { control, useSandbox } from './test-kit';

/**
 * The extension's own sign-in code (`signInWithOrganisation`) against the `org-idp` simulator. `authorize` plays the
 * browser window: it follows the provider's redirects with one cookie jar, fills the login page and the role page
 * when they show, and answers the URL the provider finally redirects to (the extension's redirect URI).
 */

/** A browser window at the provider (its cookies outlive one sign-in, as the provider's session does). */
class Browser extends OrgIdpWindow {}

async function refusal(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(LaunchError);
  return error as LaunchError;
}

describe('signInWithOrganisation against org-idp', () => {
  const sandbox = useSandbox();
  const issuer = () => sandbox.urls['org-idp'];

  function input(browser: Browser, overrides: Partial<OrgSignInInput> = {}, provider: Record<string, unknown> = {}): OrgSignInInput {
    return {
      provider: orgIdpSchema.parse({ preset: 'cis2', issuer: issuer(), clientId: ORG_IDP.clientId, ...provider }),
      fetch: extensionFetch,
      redirectUri: ORG_IDP.redirectUri,
      authorize: browser.authorize,
      now: () => Date.now(),
      ...overrides,
    };
  }

  async function lastAuthorization(): Promise<Record<string, unknown>> {
    return (await (await fetch(`${issuer()}${ORG_IDP_PATHS.lastAuthorization}`)).json()) as Record<string, unknown>;
  }

  it('signs dr.jones in: subject, name, the one role and the RBAC roles from userinfo; asks with the CIS2 preset', async () => {
    const browser = new Browser({ username: 'dr.jones' });
    const before = Date.now();
    const result = await signInWithOrganisation(input(browser));
    expect(browser.pages).toEqual(['login']);
    expect(result).toMatchObject({ issuer: issuer(), subject: '555000000101' });
    expect(result.claims).toMatchObject({
      name: 'Dr Alice Jones',
      uid: '555000000101',
      email: 'alice.jones@riverside.example.nhs.uk',
      selected_roleid: '555000000102',
      nhsid_useruid: '555000000101',
      nhsid_nrbac_roles: [{ person_roleid: '555000000102', role_name: 'General Medical Practitioner', org_code: 'Y90001' }],
    });
    expect(result.idTokenExpiresAt).toBeGreaterThanOrEqual(before + 295_000);
    expect(result.idTokenExpiresAt).toBeLessThanOrEqual(Date.now() + 301_000);
    expect(result.accessToken).toEqual(expect.any(String));
    expect(result.accessTokenExpiresAt).toBeGreaterThanOrEqual(before + 595_000);
    expect(await lastAuthorization()).toMatchObject({
      client_id: ORG_IDP.clientId,
      response_type: 'code',
      redirect_uri: ORG_IDP.redirectUri,
      scope: 'openid profile email nationalrbacaccess selectedrole',
      prompt: null,
      code_challenge_method: 'S256',
      has_nonce: true,
      has_state: true,
    });
  });

  it('signs dr.patel in with the role chosen on the role page, and "switch role" (prompt=login) chooses again', async () => {
    const browser = new Browser({ username: 'dr.patel', role: '555000000203' });
    const first = await signInWithOrganisation(input(browser));
    expect(browser.pages).toEqual(['login', 'role']);
    expect(first.subject).toBe('555000000201');
    expect(first.claims).toMatchObject({ name: 'Dr Raj Patel', selected_roleid: '555000000203' });
    expect(first.claims['nhsid_nrbac_roles']).toHaveLength(2);

    browser.options = { username: 'dr.patel', role: '555000000202' };
    const second = await signInWithOrganisation(input(browser, { prompt: 'login' }));
    expect(browser.pages).toEqual(['login', 'role']);
    expect(second.claims['selected_roleid']).toBe('555000000202');
  });

  it('shows the login page again for a configured prompt=select_account over a live session', async () => {
    const browser = new Browser({ username: 'dr.jones' });
    await signInWithOrganisation(input(browser));
    const again = await signInWithOrganisation(input(browser, {}, { prompt: 'select_account' }));
    expect(browser.pages).toEqual(['login']);
    expect(again.subject).toBe('555000000101');
    expect(await lastAuthorization()).toMatchObject({ prompt: 'select_account' });
  });

  it('signs student.lee in with no selected role and an empty role list', async () => {
    const result = await signInWithOrganisation(input(new Browser({ username: 'student.lee' })));
    expect(result.subject).toBe('555000000401');
    expect(result.claims).toMatchObject({ name: 'Sam Lee', nhsid_nrbac_roles: [] });
    expect(result.claims).not.toHaveProperty('selected_roleid');
  });

  it('asks for the configured acr and a login hint, and gets the acr back', async () => {
    const browser = new Browser({ username: 'dr.jones' });
    const result = await signInWithOrganisation(input(browser, { loginHint: 'dr.jones' }, { acrValues: 'AAL3_ANY' }));
    expect(result.claims['acr']).toBe('AAL3_ANY');
    expect(await lastAuthorization()).toMatchObject({ acr_values: 'AAL3_ANY', login_hint: 'dr.jones' });
  });

  it('signs in as the private_key_jwt client with an enrolled key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = 'installation-key-1';
    await control(issuer(), 'settings', 'POST', { clientJwks: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
    const browser = new Browser({ username: 'dr.jones' });
    const result = await signInWithOrganisation(
      input(browser, { signer: { alg: 'ES256', kid, key: privateKey } }, { clientId: ORG_IDP.keyClientId, clientAuth: 'private_key_jwt' }),
    );
    expect(result.subject).toBe('555000000101');
  });

  it('refuses every ID token fault with identity-refused', async () => {
    for (const fault of ID_TOKEN_FAULTS.filter((candidate) => candidate !== 'none')) {
      await control(issuer(), 'settings', 'POST', { idTokenFault: fault });
      // The assurance level is only checked when the organisation asks for one.
      const error = await refusal(signInWithOrganisation(input(new Browser({ username: 'dr.jones' }), {}, { acrValues: 'AAL3_ANY' })));
      expect(error.code, fault).toBe('identity-refused');
      expect(error.message, fault).toContain(fault === 'weak-acr' ? 'assurance level' : 'ID token');
    }
  });

  it('takes a weaker sign-in when the organisation asks for no assurance level', async () => {
    await control(issuer(), 'settings', 'POST', { idTokenFault: 'weak-acr' });
    const result = await signInWithOrganisation(input(new Browser({ username: 'dr.jones' })));
    expect(result.claims['acr']).toBe('AAL1_USERPASS');
  });

  it('re-checks silently with prompt=none while the session lives, and gives identity-login-required once it has ended', async () => {
    const browser = new Browser({ username: 'dr.patel', role: '555000000203' });
    await signInWithOrganisation(input(browser));
    const silent = await signInWithOrganisation(input(browser, { prompt: 'none', loginHint: 'dr.patel' }));
    expect(browser.pages).toEqual([]);
    expect(silent.claims['selected_roleid']).toBe('555000000203');

    expect((await fetch(`${issuer()}${ORG_IDP_PATHS.endSessions}`, { method: 'POST' })).status).toBe(200);
    const ended = await refusal(signInWithOrganisation(input(browser, { prompt: 'none' })));
    expect(ended.code).toBe('identity-login-required');
    expect(browser.pages).toEqual([]);
  });

  it('gives identity-login-required for prompt=none with no session at all', async () => {
    const error = await refusal(signInWithOrganisation(input(new Browser(), { prompt: 'none' })));
    expect(error.code).toBe('identity-login-required');
  });

  it('gives identity-cancelled when the window is closed, and identity-unreachable when discovery fails', async () => {
    const closed = await refusal(signInWithOrganisation(input(new Browser(), { authorize: () => Promise.reject(new Error('closed')) })));
    expect(closed.code).toBe('identity-cancelled');

    await control(issuer(), 'faults', 'POST', { path: '/.well-known/openid-configuration', status: 503, times: 1 });
    const down = await refusal(signInWithOrganisation(input(new Browser({ username: 'dr.jones' }))));
    expect(down.code).toBe('identity-unreachable');
  });
});
