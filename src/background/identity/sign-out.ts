import { connectorFor } from '../../connectors/registry';
import { isLaunchError } from '../../shared/launch-error';
import { recordAudit } from '../audit/audit';
import { removeAllPairings } from '../pairing/pairings';
import { partnerSessions } from '../pairing/partner-sessions';
import { clearHints } from '../prefetch/patient-hints';
import { clinicianSignedOut } from '../partner-tabs/follow-ehr';
import { prefetches } from '../prefetch/prefetches';
import { cancelIdentityAlarm } from './identity-alarm';
import { askForLoginNext } from './ask-for-login';
import { identityStore } from './identity-store';
import { refreshBars } from './refresh-bars';
import { clinicianItem, configItem } from '../settings/settings';
import { vault } from '../vault/vault';
import { mergedProfile } from '../../shared/identity/partner-identity';
import { resolveProvider } from '../../shared/identity/idp-config';

const SIGN_OUT_TIMEOUT_MS = 10_000;

export interface SignOutResult {
  ok: true;
  /** Partners whose session could not be ended, with a readable reason; the profile is forgotten anyway. */
  partnerErrors: { partnerId: string; message: string }[];
}

/** Why a sign-out happened without the clinician asking: idle, screen lock, or the verified identity ending or changing. */
export type SignOutReason = 'idle' | 'screen-locked' | 'identity-ended' | 'identity-expired' | 'identity-changed';

/**
 * Sign-out on a shared workstation: ends the clinician's session at every partner that offers a logout, ends
 * every pairing (revoking it where the partner allows), drops prefetched credentials, then forgets the
 * verified identity and the clinician profile. A partner that cannot be reached does not stop the sign-out.
 */
export async function signOut(reason?: SignOutReason): Promise<SignOutResult> {
  const started = performance.now();
  const [config, typed, record] = await Promise.all([configItem.get(), clinicianItem.get(), identityStore.get()]);
  const provider = config.identity.provider ? resolveProvider(config.identity.provider) : undefined;
  const identity = record?.identity ?? null;
  const clinician = mergedProfile(typed, identity, provider);
  const partnerErrors: SignOutResult['partnerErrors'] = [];
  // Partner tabs still show patients as this clinician: marked or closed by each partner's setting, first.
  await clinicianSignedOut().catch(() => undefined);
  if (clinician) {
    await Promise.all(
      config.partners.map(async (partner) => {
        const connector = connectorFor(partner.kind);
        if (!connector?.signOut) return;
        try {
          await connector.signOut({
            config: partner,
            secrets: await vault.secretsFor(partner.id, connector.secretNames),
            clinician,
            fetch: globalThis.fetch.bind(globalThis),
            signal: AbortSignal.timeout(SIGN_OUT_TIMEOUT_MS),
            now: Date.now,
          });
        } catch (error) {
          partnerErrors.push({ partnerId: partner.id, message: isLaunchError(error) ? error.message : `${partner.label} could not be signed out.` });
        }
      }),
    );
  }
  // Launch credentials fetched ahead, pairings and cached notes all belong to the clinician who is leaving.
  prefetches.clear();
  clearHints();
  // The kept copies (session storage) are gone before sign-out answers.
  await prefetches.settled();
  await removeAllPairings();
  await partnerSessions.clear(config.partners.map((p) => p.id));
  await identityStore.clear();
  await cancelIdentityAlarm();
  // Whoever signs in next proves it afresh at the provider (the provider's session may still be this clinician's).
  if (identity || config.identity.provider) await askForLoginNext.set(true);
  await clinicianItem.remove();
  if (clinician) {
    await recordAudit({
      time: new Date().toISOString(),
      event: 'sign-out',
      clinician: clinician.username,
      partnerId: '',
      nhsNumber: null,
      outcome: partnerErrors.length === 0 ? 'ok' : 'error',
      ...(partnerErrors.length > 0 ? { code: 'partner-sign-out-failed' } : reason ? { code: reason } : {}),
      ms: Math.round(performance.now() - started),
      identity: identity ? { verified: true, issuer: identity.issuer, subject: identity.subject, ...(identity.role ? { role: identity.role.id } : {}) } : { verified: false },
    });
  }
  void refreshBars().catch(() => undefined);
  return { ok: true, partnerErrors };
}
