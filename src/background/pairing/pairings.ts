import { browser } from '../../shared/browser-api';
import type { AccessTokenSource, Connector } from '../../connectors/connector';
import { connectorFor } from '../../connectors/registry';
import type { PartnerConfig } from '../../shared/config';
import { LaunchError, isLaunchError } from '../../shared/launch-error';
import { recordAudit } from '../audit/audit';
import { browserArea } from '../storage/key-value-area';
import { clinicianState } from '../identity/clinician-source';
import { sealBinding } from '../vault/seal-binding';
import { configItem } from '../settings/settings';
import { createTokenVault, type Locks, type PairingState } from '../vault/token-vault';
import { sealer } from '../vault/vault';

/** Pairing with OAuth partners (PKB) from the popup, and the access tokens launches spend. */

const PAIRING_TIMEOUT_MS = 20_000;
const fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args);

export const tokenVault = createTokenVault({
  local: browserArea('local'),
  session: browserArea('session'),
  sealer,
  locks: navigator.locks as unknown as Locks,
  // A refresh token opens only for the token endpoint (and launch addresses) it was issued for.
  binding: async (partnerId) => {
    const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
    return partner ? sealBinding(partner) : undefined;
  },
});

async function pairingPartner(partnerId: string): Promise<{ partner: PartnerConfig; connector: Connector<unknown> & Required<Pick<Connector<unknown>, 'pairing'>> }> {
  const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
  const connector = partner && connectorFor(partner.kind);
  if (!partner || !connector?.pairing) throw new LaunchError('unknown-partner', 'This partner has no pairing step.', ['launchNoPairingStep']);
  return { partner, connector: connector as never };
}

async function clinicianName(): Promise<string> {
  const { profile } = await clinicianState();
  if (!profile) throw new LaunchError('clinician-missing', 'Set up your clinician profile first, then pair.', ['launchProfileFirst']);
  return profile.username;
}

/** The access token source a launch (or a hint lookup) of this partner spends, for this clinician. */
export function accessTokenSource(partner: PartnerConfig, connector: Connector<unknown>, clinician: string, signal: AbortSignal): AccessTokenSource | undefined {
  const pairing = connector.pairing;
  if (!pairing) return undefined;
  return (rejected) => tokenVault.accessToken({ partnerId: partner.id, clinician }, { label: partner.label, pairing, config: partner, fetch: fetchImpl, signal }, rejected);
}

export async function pairingStates(partners: readonly PartnerConfig[], clinician: string | null): Promise<Record<string, PairingState>> {
  const states: Record<string, PairingState> = {};
  for (const partner of partners) {
    if (!connectorFor(partner.kind)?.pairing) continue;
    states[partner.id] = clinician ? await tokenVault.state({ partnerId: partner.id, clinician }) : 'not-paired';
  }
  return states;
}

/** Authorization code + PKCE in the browser's own auth window; the refresh token goes straight to the vault. */
export async function pairWithPartner(partnerId: string): Promise<{ ok: true }> {
  const started = performance.now();
  let clinician: string | null = null;
  const audit = (outcome: 'ok' | 'error', code?: string) =>
    recordAudit({ time: new Date().toISOString(), event: 'pair', clinician, partnerId, nhsNumber: null, outcome, ...(code ? { code } : {}), ms: Math.round(performance.now() - started) });
  try {
    // Inside the try: a pairing refused for want of a profile or a partner is audited too.
    const { partner, connector } = await pairingPartner(partnerId);
    clinician = await clinicianName();
    const current = clinician;
    const pending = await connector.pairing.begin(partner, browser.identity.getRedirectURL(partnerId));
    let callbackUrl: string;
    try {
      callbackUrl = (await browser.identity.launchWebAuthFlow({ url: pending.url, interactive: true })) ?? '';
    } catch {
      throw new LaunchError('pairing-cancelled', `The ${partner.label} sign-in window was closed before the pairing finished. Try again.`, ['launchPairingCancelled', partner.label]);
    }
    const tokens = await connector.pairing.complete({ config: partner, pending, callbackUrl, fetch: fetchImpl, signal: AbortSignal.timeout(PAIRING_TIMEOUT_MS) });
    await tokenVault.savePairing({ partnerId, clinician: current }, tokens);
    await audit('ok');
    return { ok: true };
  } catch (error) {
    await audit('error', isLaunchError(error) ? error.code : 'internal');
    throw error;
  }
}

/** Forgets this clinician's pairing here and, where the partner offers it, revokes it there too. */
export async function unpairPartner(partnerId: string): Promise<{ ok: true; revoked: boolean }> {
  const { partner, connector } = await pairingPartner(partnerId);
  const clinician = await clinicianName();
  const refreshToken = await tokenVault.remove({ partnerId, clinician });
  const revoked = await revoke(partner, connector, refreshToken);
  await recordAudit({ time: new Date().toISOString(), event: 'unpair', clinician, partnerId, nhsNumber: null, outcome: 'ok', ms: 0 });
  return { ok: true, revoked };
}

async function revoke(partner: PartnerConfig, connector: Connector<unknown>, refreshToken: string | undefined): Promise<boolean> {
  if (!refreshToken || !connector.pairing?.revoke) return false;
  try {
    await connector.pairing.revoke({ config: partner, refreshToken, fetch: fetchImpl, signal: AbortSignal.timeout(PAIRING_TIMEOUT_MS) });
    return true;
  } catch {
    // The pairing is gone here whatever the partner says; an unrevoked token expires on its own.
    return false;
  }
}

/** Sign-out: every pairing on this computer ends (and is revoked where the partner offers it). */
export async function removeAllPairings(): Promise<void> {
  const partners = (await configItem.get()).partners;
  const removed = await tokenVault.removeAll();
  await Promise.all(
    removed.map(async ({ partnerId, refreshToken }) => {
      const partner = partners.find((p) => p.id === partnerId);
      const connector = partner && connectorFor(partner.kind);
      if (partner && connector) await revoke(partner, connector, refreshToken);
    }),
  );
}
