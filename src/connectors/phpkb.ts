import { z } from 'zod';
import type { ClinicianProfile } from '../shared/clinician';
import { LaunchError } from '../shared/launch-error';
import { partnerUrlSchema } from '../shared/url-policy';
import type { Connector, LaunchInput, LaunchOutput, SignOutInput } from './connector';
import { webCryptoSha256, type Sha256 } from './digest';
import { partnerBaseFields } from './partner-base';
import { partnerFetch, readErrorBody, withTimeout } from './partner-fetch';
import { PHPKB_ERROR_KEYS, PHPKB_ERROR_SENTENCES, phpkbErrorCode } from './phpkb-errors';

/**
 * PHPKB knowledge base: `<kb>/sso.php?mode=login&query=<q>&hash=<h>`, where q is the standard base64 of the
 * query string `username=…&name=…&email=…[&t=…][&groups=…][&dl=…]` and h = sha256(q + secret token) in
 * lowercase hex. Logout is `mode=logout`, by GET (a page) or POST (JSON).
 */

const NAME = 'The knowledge base';

export const phpkbConfigSchema = z.strictObject({
  kind: z.literal('phpkb'),
  ...partnerBaseFields,
  /** The knowledge base's address ("path to your kb"); sso.php is under it. */
  kbUrl: partnerUrlSchema,
  /** Send `t` (Unix time): needed when the KB's "Verify Timestamp" setting is on. */
  sendTimestamp: z.boolean().default(true),
  /** Group ids for new accounts (the KB adds its default groups). */
  groups: z.array(z.number().int().positive()).max(50).default([]),
  /** Default language, multi-language edition only. */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or en-GB').optional(),
  /** Where to land: an article or category instead of the KB home page. */
  deepLink: z.strictObject({ type: z.enum(['article', 'category']), id: z.number().int().positive() }).optional(),
  /**
   * Ask the KB first (GET with Accept: application/json, no cookies, redirects not followed), so a refusal
   * is shown in the launch bar with its code and no tab opens. Costs one extra sign-in at the KB per launch.
   */
  preflight: z.boolean().default(true),
  timeoutMs: z.number().int().min(1000).max(25_000).default(10_000),
});
export type PhpkbConfig = z.infer<typeof phpkbConfigSchema>;

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function sha256Hex(text: string, sha256: Sha256): Promise<string> {
  const digest = await sha256(new TextEncoder().encode(text));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The signed `query` and `hash` parameters for a set of fields. */
export async function phpkbSignedQuery(fields: Record<string, string>, secretToken: string, sha256: Sha256 = webCryptoSha256): Promise<{ query: string; hash: string }> {
  // URLSearchParams encodes values as PHP's parse_str expects (UTF-8, spaces as '+').
  const query = base64Utf8(new URLSearchParams(fields).toString());
  return { query, hash: await sha256Hex(query + secretToken, sha256) };
}

export function phpkbLoginFields(config: PhpkbConfig, clinician: ClinicianProfile, nowMs: number): Record<string, string> {
  const fields: Record<string, string> = { username: clinician.username, name: clinician.displayName, email: clinician.email };
  if (config.sendTimestamp) fields.t = String(Math.floor(nowMs / 1000));
  if (config.groups.length > 0) fields.groups = config.groups.join(',');
  if (config.language) fields.dl = config.language;
  return fields;
}

function ssoUrl(config: PhpkbConfig, mode: 'login' | 'logout', signed: { query: string; hash: string }): URL {
  const url = new URL(`${config.kbUrl}/sso.php`);
  url.searchParams.set('mode', mode);
  url.searchParams.set('query', signed.query);
  url.searchParams.set('hash', signed.hash);
  return url;
}

export async function phpkbLoginUrl(config: PhpkbConfig, secretToken: string, clinician: ClinicianProfile, nowMs: number, sha256?: Sha256): Promise<string> {
  const url = ssoUrl(config, 'login', await phpkbSignedQuery(phpkbLoginFields(config, clinician, nowMs), secretToken, sha256));
  if (config.deepLink) {
    url.searchParams.set('redirecttype', config.deepLink.type);
    url.searchParams.set('redirectid', String(config.deepLink.id));
  }
  return url.toString();
}

/** Logout signed for one user: a background logout has no KB cookie, so it names the user. */
export async function phpkbLogoutUrl(config: PhpkbConfig, secretToken: string, clinician: ClinicianProfile, nowMs: number, sha256?: Sha256): Promise<string> {
  const fields: Record<string, string> = { username: clinician.username };
  if (config.sendTimestamp) fields.t = String(Math.floor(nowMs / 1000));
  return ssoUrl(config, 'logout', await phpkbSignedQuery(fields, secretToken, sha256)).toString();
}

export function phpkbError(status: number, body: string): LaunchError {
  const code = phpkbErrorCode(body);
  if (code) return new LaunchError(`phpkb-${code}`, PHPKB_ERROR_SENTENCES[code]!, [PHPKB_ERROR_KEYS[code as keyof typeof PHPKB_ERROR_KEYS]]);
  return new LaunchError(`phpkb-http-${status}`, `The knowledge base answered with an error (HTTP ${status}). Try again; if it keeps happening, tell your IT service desk.`, ['launchPartnerError', NAME]);
}

async function preflight(input: LaunchInput<PhpkbConfig>, url: string): Promise<void> {
  await withTimeout(input.signal, input.config.timeoutMs, async (signal) => {
    const response = await partnerFetch(input.fetch, NAME, url, { method: 'GET', headers: { accept: 'application/json' }, signal }, true);
    // A sign-in that works answers with a redirect (opaque in a browser): the tab will follow it itself.
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel();
      return;
    }
    const { text } = await readErrorBody(response);
    // Some PHP pages report errors with status 200: a documented code in the body is still a refusal.
    if (response.ok && !phpkbErrorCode(text)) return;
    throw phpkbError(response.status, text);
  });
}

function requireSecret(secrets: Readonly<Record<string, string>>): string {
  const secret = secrets.secretToken;
  if (!secret) throw new LaunchError('setup-needed', 'The knowledge base is not fully set up on this computer. Tell your IT service desk.', ['launchSetupNeeded', NAME]);
  return secret;
}

export const phpkbConnector: Connector<PhpkbConfig> = {
  kind: 'phpkb',
  displayName: 'PHPKB',
  patientSpecific: false,
  configSchema: phpkbConfigSchema,
  secretNames: ['secretToken'],
  // PHPKB signs in (and auto-creates) the user named by username, with this name and email.
  identityFields: () => ['username', 'displayName', 'email'],
  launchOrigins: (config) => [new URL(config.kbUrl).origin],
  apiOrigins: (config) => [new URL(config.kbUrl).origin],

  async buildLaunch(input: LaunchInput<PhpkbConfig>): Promise<LaunchOutput> {
    const url = await phpkbLoginUrl(input.config, requireSecret(input.secrets), input.clinician, input.now(), input.sha256);
    if (input.config.preflight) await preflight(input, url);
    return { instruction: { open: url } };
  },

  async signOut(input: SignOutInput<PhpkbConfig>): Promise<void> {
    const url = await phpkbLogoutUrl(input.config, requireSecret(input.secrets), input.clinician, input.now(), input.sha256);
    await withTimeout(input.signal, input.config.timeoutMs, async (signal) => {
      const response = await partnerFetch(input.fetch, NAME, url, { method: 'POST', headers: { accept: 'application/json' }, signal });
      const { text, json } = await readErrorBody(response);
      if (!response.ok || (json as { success?: unknown } | undefined)?.success === false) throw phpkbError(response.status, text);
    });
  },
};
