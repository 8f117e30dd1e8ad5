import { orgIdpSchema } from '../../src/shared/identity/idp-config';
import { signInWithOrganisation, type OrgSignInResult } from '../../src/shared/identity/org-sign-in';
import { CookieJar, request } from './cookie-jar';
import { ORG_IDP } from './org-idp-fixtures';

/**
 * The clinician's window at the sandbox's organisation provider, without a browser: follows redirects with one
 * cookie jar (so the provider's session outlives one sign-in, as in a browser), fills the login and role pages,
 * and answers the URL the provider finally redirects to (the extension's redirect URI). Tests of the
 * extension's sign-in code and of the launch broker sign in through it.
 */

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface WindowOptions {
  username?: string;
  /** person_roleid to choose when the role page shows. */
  role?: string;
}

export class OrgIdpWindow {
  readonly jar = new CookieJar();
  /** What the window showed during the last authorize: 'login', 'role' (none: it went straight back). */
  pages: string[] = [];

  /** Who signs in and which role they pick; may change between sign-ins, as the person at the window does. */
  constructor(public options: WindowOptions = {}) {}

  authorize = async (start: string): Promise<string> => {
    this.pages = [];
    let url = start;
    let response = await request(url, this.jar);
    for (let steps = 0; steps < 20; steps += 1) {
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location') ?? '', url).toString();
        if (url.startsWith(ORG_IDP.redirectUri)) return url;
        response = await request(url, this.jar);
        continue;
      }
      const html = await response.text();
      const interaction = /action="(\/interaction\/[^"/]+)\/(login|role)"/.exec(html);
      if (response.status !== 200 || !interaction) throw new Error(`the window stopped on a page: ${response.status} ${url}`);
      const [, base = '', step = ''] = interaction;
      this.pages.push(step);
      const fields: Record<string, string> = step === 'login' ? { username: this.options.username ?? '', password: 'password' } : { role: this.options.role ?? '' };
      if (step === 'role' && this.pages.filter((page) => page === 'role').length > 1) throw new Error('the role was refused');
      url = new URL(`${base}/${step}`, url).toString();
      response = await request(url, this.jar, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });
    }
    throw new Error('too many steps');
  };
}

/** The extension's requests carry its Origin (the provider allows CORS for it only). */
export const extensionFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('origin', ORG_IDP.origin);
  return fetch(input, { ...init, headers });
};

/** A real sign-in with the extension's own code: what the extension holds afterwards (ID token, access token). */
export function signInAt(issuer: string, username: string, role?: string): Promise<OrgSignInResult> {
  return signInWithOrganisation({
    provider: orgIdpSchema.parse({ preset: 'cis2', issuer, clientId: ORG_IDP.clientId }),
    fetch: extensionFetch,
    redirectUri: ORG_IDP.redirectUri,
    authorize: new OrgIdpWindow({ username, ...(role ? { role } : {}) }).authorize,
    now: Date.now,
  });
}
