import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { escapeHtml, htmlDocument, simpleErrorPage } from './html';
import { expiredCookie, htmlReply, redirectReply, sessionCookie } from './http-kit';
import { ASSERTED_AMR } from './nhs-login';
import { NHS_LOGIN } from './nhs-login-fixtures';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

/**
 * `nhs-login-rp2`: a demo relying party 2. `GET /launch?asserted_login_identity=<jwt>[&prompt=none]` starts a
 * code flow (state, nonce, PKCE S256, client_secret_basic) at `nhs-login` and passes the assertion through;
 * `GET /callback` exchanges the code, validates the ID token and shows who is signed in, or the error.
 */

const SITE = 'Demo RP2 (sandbox)';
export const RP2_TXN_COOKIE = 'nhsrp2_txn';
const TXN_TTL_MS = 10 * 60 * 1000;

interface Transaction {
  nonce: string;
  verifier: string;
  prompt: string;
  startedAt: number;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

function page(title: string, body: string): string {
  return htmlDocument({ title: `${title} - ${SITE}`, css: 'body{font-family:system-ui,sans-serif;margin:2rem;color:#222}', body: `<h1>${SITE}</h1>\n${body}` });
}

function errorPage(status: number, reason: string): SandboxReply {
  return htmlReply(status, page('Sign-in failed', `<p>Single sign-on did not complete.</p>\n<p data-testid="rp2-error">${escapeHtml(reason)}</p>`), {
    'set-cookie': expiredCookie(RP2_TXN_COOKIE),
  });
}

interface Discovery {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  authorization_endpoint: string;
}

export function createNhsLoginRp2(links: SandboxLinks): SandboxModule {
  const transactions = new Map<string, Transaction>();
  const settings = createSettingsStore<Record<string, never>>({ defaults: () => ({}), onReset: () => transactions.clear() });

  async function discover(): Promise<Discovery> {
    const response = await fetch(`${links.urlOf('nhs-login')}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
    return (await response.json()) as Discovery;
  }

  const redirectUri = () => `${links.urlOf('nhs-login-rp2')}${NHS_LOGIN.rp2CallbackPath}`;

  async function launch(req: SandboxRequest): Promise<SandboxReply> {
    const assertion = req.query.get('asserted_login_identity') ?? req.query.get('assertedLoginIdentity');
    const prompt = req.query.get('prompt') ?? (assertion ? 'none' : '');
    if (!['', 'none', 'login'].includes(prompt)) return errorPage(400, `unsupported prompt value: ${prompt}`);
    const state = b64url(randomBytes(24));
    const verifier = b64url(randomBytes(32));
    const txn: Transaction = { nonce: b64url(randomBytes(24)), verifier, prompt, startedAt: Date.now() };
    for (const [key, old] of transactions) if (Date.now() - old.startedAt > TXN_TTL_MS) transactions.delete(key);
    transactions.set(state, txn);
    const { authorization_endpoint } = await discover();
    const url = new URL(authorization_endpoint);
    const params: Record<string, string> = {
      client_id: NHS_LOGIN.rp2ClientId,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: redirectUri(),
      state,
      nonce: txn.nonce,
      code_challenge: b64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      vtr: '["P5.Cp.Cd","P5.Cp.Ck","P5.Cm"]',
    };
    if (prompt) params['prompt'] = prompt;
    if (assertion) params['asserted_login_identity'] = assertion;
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return redirectReply(url.toString(), { 'set-cookie': sessionCookie(RP2_TXN_COOKIE, state) });
  }

  async function callback(req: SandboxRequest): Promise<SandboxReply> {
    const state = req.query.get('state') ?? '';
    const txn = transactions.get(state);
    if (!txn || req.cookies[RP2_TXN_COOKIE] !== state) return errorPage(400, 'state_mismatch: unknown state or not started in this browser');
    transactions.delete(state);
    const error = req.query.get('error');
    if (error) return errorPage(400, [error, req.query.get('error_description')].filter(Boolean).join(': '));
    const code = req.query.get('code');
    if (!code) return errorPage(400, 'invalid_response: no code');

    const discovery = await discover();
    const tokenResponse = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(NHS_LOGIN.rp2ClientId)}:${encodeURIComponent(NHS_LOGIN.rp2ClientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), code_verifier: txn.verifier }).toString(),
    });
    const tokens = (await tokenResponse.json()) as Record<string, unknown>;
    if (!tokenResponse.ok || typeof tokens['id_token'] !== 'string') {
      return errorPage(502, `token_error: ${String(tokens['error'] ?? tokenResponse.status)} ${String(tokens['error_description'] ?? '')}`.trim());
    }
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as JSONWebKeySet;
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(tokens['id_token'], createLocalJWKSet(jwks), {
        issuer: discovery.issuer,
        audience: NHS_LOGIN.rp2ClientId,
        algorithms: ['RS256'],
      }));
    } catch (verifyError) {
      return errorPage(502, `invalid_id_token: ${verifyError instanceof Error ? verifyError.message : String(verifyError)}`);
    }
    if (claims['nonce'] !== txn.nonce) return errorPage(502, 'invalid_id_token: nonce mismatch');

    const amr = Array.isArray(claims['amr']) ? claims['amr'].map(String) : [];
    const authTime = typeof claims['auth_time'] === 'number' ? claims['auth_time'] * 1000 : 0;
    // A login page was shown if the user authenticated during this flow by a means other than the assertion.
    const promptShown = !amr.includes(ASSERTED_AMR) && authTime >= Math.floor(txn.startedAt / 1000) * 1000;
    return htmlReply(
      200,
      page(
        'Signed in',
        `<p>Signed in as <span data-testid="rp2-user">${escapeHtml(String(claims['sub']))}</span></p>
<p>Login page shown: <span data-testid="rp2-prompt-shown">${promptShown}</span></p>
<p>Authentication methods: <span data-testid="rp2-amr">${escapeHtml(amr.join(' '))}</span></p>`,
      ),
      { 'set-cookie': expiredCookie(RP2_TXN_COOKIE) },
    );
  }

  return {
    name: 'nhs-login-rp2',
    settings,
    errorReply: (status, message) => htmlReply(status, simpleErrorPage(status, message, SITE)),
    async handle(req) {
      if (req.method === 'GET' && req.path === '/launch') return launch(req);
      if (req.method === 'GET' && req.path === NHS_LOGIN.rp2CallbackPath) return callback(req);
      if (req.method === 'GET' && req.path === '/') {
        return htmlReply(200, page('Home', '<p>Start single sign-on with <code>/launch?asserted_login_identity=&lt;jwt&gt;&amp;prompt=none</code>.</p>'));
      }
      return htmlReply(404, simpleErrorPage(404, `No page at ${req.path}`, SITE));
    },
  };
}
