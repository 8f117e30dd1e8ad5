import { connectorFor } from '../connectors/registry';
import { isLaunchError } from '../shared/launch-error';
import { recordAudit } from './audit';
import { removeAllPairings } from './pairings';
import { partnerSessions } from './partner-sessions';
import { clearHints } from './patient-hints';
import { prefetches } from './prefetches';
import { clinicianItem, configItem } from './settings';
import { vault } from './vault';

const SIGN_OUT_TIMEOUT_MS = 10_000;

export interface SignOutResult {
  ok: true;
  /** Partners whose session could not be ended, with a readable reason; the profile is forgotten anyway. */
  partnerErrors: { partnerId: string; message: string }[];
}

/**
 * Sign-out on a shared workstation: ends the clinician's session at every partner that offers a logout, ends
 * every pairing (revoking it where the partner allows), drops prefetched credentials, then forgets the
 * clinician profile. A partner that cannot be reached does not stop the sign-out.
 */
export async function signOut(reason?: 'idle' | 'screen-locked'): Promise<SignOutResult> {
  const started = performance.now();
  const [config, clinician] = await Promise.all([configItem.get(), clinicianItem.get()]);
  const partnerErrors: SignOutResult['partnerErrors'] = [];
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
  await removeAllPairings();
  await partnerSessions.clear(config.partners.map((p) => p.id));
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
    });
  }
  return { ok: true, partnerErrors };
}
