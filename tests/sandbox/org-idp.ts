import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { jsonReply, writeReply } from './http-kit';
import { AdapterStore } from './nhs-login-adapter';
import { ORG_IDP } from './org-idp-fixtures';
import type { OrgIdpSettings } from './org-idp-fixtures';
import { damageIdToken, rewriteIdTokenOnEnd } from './org-idp-id-token-faults';
import { INTERACTION_PATH, handleOrgIdpInteraction } from './org-idp-interaction';
import { orgIdpErrorReply } from './org-idp-pages';
import { buildOrgIdpProvider } from './org-idp-provider';
import { validateOrgIdpSettings } from './org-idp-settings';
import { OrgIdpState, endAllSessions, sessionTrackingAdapter } from './org-idp-state';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

/**
 * `org-idp`: the organisation's sign-in for clinicians, shaped like NHS Care Identity Service 2 (CIS2), as an
 * oidc-provider 8 OpenID provider behind the pipeline's `handleRaw` pass-through (like `nhs-login`). Sandbox-only
 * routes end every session and show what the last authorization request asked for.
 */

export const ORG_IDP_PATHS = Object.freeze({
  authorization: '/auth',
  token: '/token',
  endSessions: '/_sandbox/end-sessions',
  lastAuthorization: '/_sandbox/last-authorization',
});

export function createOrgIdp(links: SandboxLinks): SandboxModule {
  const store = new AdapterStore();
  const state = new OrgIdpState();
  const adapter = sessionTrackingAdapter(store, state);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'org-idp-sandbox-rs256', alg: 'RS256', use: 'sig' };
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const settings = createSettingsStore<OrgIdpSettings>({
    defaults: ORG_IDP.defaultSettings,
    validate: validateOrgIdpSettings,
    onReset: () => {
      store.clear();
      state.clear();
    },
  });
  let built: { provider: Provider; callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>; key: string } | undefined;

  /** Rebuilt when the key client's JWKS changes; storage, cookie keys and the signing key outlive it. */
  function current() {
    const key = JSON.stringify(settings.current.clientJwks);
    if (built?.key !== key) {
      const provider = buildOrgIdpProvider({ issuer: links.urlOf('org-idp'), adapter, signingJwk, cookieKeys, settings, state });
      built = { provider, callback: provider.callback(), key };
    }
    return built;
  }

  async function sandboxRoute(req: SandboxRequest): Promise<SandboxReply | undefined> {
    if (req.path === ORG_IDP_PATHS.endSessions) {
      if (req.method !== 'POST') return jsonReply(405, { error: 'use POST' }, { allow: 'POST' });
      return jsonReply(200, { endedSessions: await endAllSessions(adapter, state) });
    }
    if (req.path === ORG_IDP_PATHS.lastAuthorization) {
      if (req.method !== 'GET') return jsonReply(405, { error: 'use GET' }, { allow: 'GET' });
      return state.lastAuthorization ? jsonReply(200, state.lastAuthorization) : jsonReply(404, { error: 'no authorization request yet' });
    }
    return undefined;
  }

  return {
    name: 'org-idp',
    settings,
    errorReply: orgIdpErrorReply,
    handle: () => orgIdpErrorReply(500, 'org-idp is served through handleRaw'),
    async handleRaw(req, raw, res) {
      const { provider, callback } = current();
      const own = await sandboxRoute(req);
      if (own) {
        writeReply(res, own);
        return;
      }
      const match = INTERACTION_PATH.exec(req.path);
      if (match?.[1]) {
        await handleOrgIdpInteraction(req, raw, res, provider, state, match[1], match[2]);
        return;
      }
      if (req.path === ORG_IDP_PATHS.authorization && (req.method === 'GET' || req.method === 'POST')) {
        state.recordAuthorization(req.method, req.method === 'GET' ? req.query : new URLSearchParams(req.body));
      }
      const fault = settings.current.idTokenFault;
      if (req.path === ORG_IDP_PATHS.token && req.method === 'POST' && fault !== 'none') {
        rewriteIdTokenOnEnd(res, (idToken) => damageIdToken(idToken, fault, privateKey));
      }
      await callback(raw, res);
    },
  };
}
