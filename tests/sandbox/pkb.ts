import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { simpleErrorPage } from './html';
import { htmlReply, jsonReply, writeReply } from './http-kit';
import { AdapterStore } from './nhs-login-adapter';
import { createPkbApi } from './pkb-api';
import { PKB, PKB_PATHS } from './pkb-fixtures';
import type { PkbSettings } from './pkb-fixtures';
import { PKB_SITE } from './pkb-pages';
import { buildPkbProvider, findAccessToken, handleInteraction } from './pkb-provider';
import { PkbState } from './pkb-state';
import { createPkbWeb } from './pkb-web';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply } from './types';

/**
 * `pkb`: Patients Know Best on one origin: the OAuth 2.0 authorisation server (oidc-provider, through the
 * pipeline's `handleRaw` pass-through), the REST API (OTP, dataFromOtherOrg) and the web app (otp.action, pages).
 */

function validateSettings(s: PkbSettings): string | undefined {
  if (!Number.isSafeInteger(s.accessTokenTtlSeconds) || s.accessTokenTtlSeconds < 1) return 'accessTokenTtlSeconds must be a positive whole number of seconds';
  if (!Number.isFinite(s.otpTtlSeconds) || s.otpTtlSeconds <= 0) return 'otpTtlSeconds must be a positive number of seconds';
  if (!Number.isSafeInteger(s.refuseNextOtps) || s.refuseNextOtps < 0) return 'refuseNextOtps must be a whole number >= 0';
  if (!Number.isSafeInteger(s.refreshTokenReuseGraceSeconds) || s.refreshTokenReuseGraceSeconds < 0 || s.refreshTokenReuseGraceSeconds > 300) {
    return 'refreshTokenReuseGraceSeconds must be a whole number of seconds from 0 to 300';
  }
  return undefined;
}

function errorReply(status: number, message: string): SandboxReply {
  return htmlReply(status, simpleErrorPage(status, message, PKB_SITE));
}

export function createPkb(links: SandboxLinks): SandboxModule {
  // Declared before the store reads it: the grace is a live setting.
  let settings: ReturnType<typeof createSettingsStore<PkbSettings>>;
  const store = new AdapterStore({ refreshTokenReuseGraceSeconds: () => settings.current.refreshTokenReuseGraceSeconds });
  const state = new PkbState();
  settings = createSettingsStore<PkbSettings>({
    defaults: PKB.defaultSettings,
    validate: validateSettings,
    onReset: () => {
      store.clear();
      state.clear();
    },
  });
  // Built on first use: the issuer is the server's own URL, known only once it listens.
  let built: { provider: Provider; callback: (req: IncomingMessage, res: ServerResponse) => Promise<void> } | undefined;
  const current = () => {
    if (!built) {
      const provider = buildPkbProvider(links.urlOf('pkb'), store, settings);
      built = { provider, callback: provider.callback() };
    }
    return built;
  };
  const handleApi = createPkbApi(state, settings, (value) => findAccessToken(current().provider, value));
  const handleWeb = createPkbWeb(state, settings);

  function sandboxEndpoint(method: string, path: string): SandboxReply | undefined {
    if (path === PKB_PATHS.stats) return method === 'GET' ? jsonReply(200, state.stats) : jsonReply(405, { error: 'use GET' }, { allow: 'GET' });
    if (path === PKB_PATHS.revokeRefreshTokens) {
      return method === 'POST' ? jsonReply(200, { revokedGrants: store.revokeAllGrants() }) : jsonReply(405, { error: 'use POST' }, { allow: 'POST' });
    }
    return undefined;
  }

  /** Counts token requests by grant_type as they arrive, failed ones included. */
  function countTokenRequest(method: string, body: string): void {
    if (method !== 'POST') return;
    const grantType = new URLSearchParams(body).get('grant_type');
    if (grantType === 'authorization_code' || grantType === 'refresh_token') state.stats.tokenRequests[grantType] += 1;
  }

  return {
    name: 'pkb',
    settings,
    errorReply,
    handle: () => errorReply(500, 'pkb is served through handleRaw'),
    async handleRaw(req, raw, res) {
      const { provider, callback } = current();
      if (req.path === PKB_PATHS.login && req.query.has('interaction')) {
        await handleInteraction(req, raw, res, provider, req.query.get('interaction') ?? '');
        return;
      }
      const own = sandboxEndpoint(req.method, req.path) ?? (await handleApi(req)) ?? handleWeb(req);
      if (own) {
        writeReply(res, own);
        return;
      }
      if (req.path === PKB_PATHS.token) countTokenRequest(req.method, req.body);
      // Everything else is oidc-provider's: authorisation (and its resume), token, revocation, discovery, 404s.
      await callback(raw, res);
    },
  };
}
