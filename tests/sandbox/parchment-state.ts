import { createSettingsStore } from './settings-store';
import type { SettingsStore } from './settings-store';

/** State shared by the Parchment API (issues tokens) and the portal (redeems them). */

export interface SsoToken {
  token: string;
  partnerId: string;
  organizationId: string;
  userId: string;
  redirectPath: string;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface PortalSession {
  id: string;
  userId: string;
  organizationId: string;
  tokenIssuedAt: number;
  redeemedAt: number;
}

export interface ParchmentSettings {
  /** Token lifetime; the guide says 5 minutes. Fractions allowed so tests can expire tokens quickly. */
  tokenTtlSeconds: number;
}

export interface ParchmentState {
  readonly settings: SettingsStore<ParchmentSettings>;
  readonly tokens: Map<string, SsoToken>;
  readonly sessions: Map<string, PortalSession>;
}

export function createParchmentState(): ParchmentState {
  const tokens = new Map<string, SsoToken>();
  const sessions = new Map<string, PortalSession>();
  const settings = createSettingsStore<ParchmentSettings>({
    defaults: () => ({ tokenTtlSeconds: 300 }),
    validate: (s) => (s.tokenTtlSeconds >= 0 && Number.isFinite(s.tokenTtlSeconds) ? undefined : 'tokenTtlSeconds must be >= 0'),
    onReset: () => {
      tokens.clear();
      sessions.clear();
    },
  });
  return { settings, tokens, sessions };
}
