import { browser } from '../../shared/browser-api';
import type { Connector } from '../../connectors/connector';
import { connectorFor } from '../../connectors/registry';
import { goesViaBroker, type Config, type PartnerConfig } from '../../shared/config';
import { matchPatternFor } from '../../shared/host-access';
import type { PatientContext } from '../../shared/patient';
import type { BarState, PartnerButton } from '../../shared/protocol';
import { partnerClinician, type ClinicianState } from '../identity/clinician-source';
import { listKeys } from '../vault/installation-keys';
import { pairingStates } from '../pairing/pairings';
import { decideReadiness, type Readiness } from './partner-readiness';
import { partnerSessions } from '../pairing/partner-sessions';
import { cachedHint } from '../prefetch/patient-hints';
import { vault } from '../vault/vault';
import { landingNote } from './landing-note';
import { wordingText } from '../../shared/launch-error-text';

export interface PartnerReadiness {
  partner: PartnerConfig;
  connector: Connector<unknown> | undefined;
  readiness: Readiness;
}

/** The origins the background calls for this partner: the broker's when it goes through one, else the partner's. */
function calledOrigins(config: Config, partner: PartnerConfig, connector: Connector<unknown>): string[] {
  if (goesViaBroker(config, partner) && config.broker) return [new URL(config.broker.url).origin];
  return connector.apiOrigins(partner);
}

async function hasHostAccess(origins: string[]): Promise<boolean> {
  if (origins.length === 0) return true;
  return browser.permissions.contains({ origins: origins.map(matchPatternFor) }).catch(() => false);
}

/**
 * Every configured partner and whether it can launch for this clinician on this computer (partner-readiness.ts
 * decides; this gathers what it decides on). The bar, the popup and the badge all ask here.
 */
export async function partnerReadiness(config: Config, who: ClinicianState): Promise<PartnerReadiness[]> {
  const clinician = who.profile;
  // Keys are only read (never made) here: a key made at the click could not have been enrolled by the partner.
  const needsKeys = config.partners.some((p) => connectorFor(p.kind)?.signingAlg && !goesViaBroker(config, p));
  const [{ set: secretsSet }, pairings, keys] = await Promise.all([
    vault.secretStatus(),
    pairingStates(config.partners, clinician?.username ?? null),
    needsKeys ? listKeys().catch(() => []) : Promise.resolve([]),
  ]);
  return Promise.all(
    config.partners.map(async (partner): Promise<PartnerReadiness> => {
      const connector = connectorFor(partner.kind);
      if (!connector) {
        return { partner, connector, readiness: decideReadiness({ label: partner.label, known: false }) };
      }
      // Through the broker, the partner's secrets and signing are the broker's: none are needed here.
      const viaBroker = goesViaBroker(config, partner);
      const set = secretsSet[partner.id] ?? [];
      const alg = connector.signingAlg?.(partner);
      const [hostAccess, signedIn] = await Promise.all([
        hasHostAccess(calledOrigins(config, partner, connector)),
        connector.signInStep ? partnerSessions.get(partner.id).then((session) => session !== undefined) : Promise.resolve(false),
      ]);
      const readiness = decideReadiness({
        label: partner.label,
        known: true,
        secretMissing: !viaBroker && connector.secretNames.some((name) => !set.includes(name)),
        signingKeyMissing: !viaBroker && alg !== undefined && !keys.some((key) => key.alg === alg && key.active),
        hostAccessMissing: !hostAccess,
        signInStep: connector.signInStep === true,
        signedIn,
        // Who the partner would be told the clinician is: a verified identity where policy asks for one.
        identity: partnerClinician(who, partner, connector),
        pairing: pairings[partner.id],
      });
      return { partner, connector, readiness };
    }),
  );
}

/**
 * What the launch bar should offer: one button per configured partner, with whether it can launch yet and,
 * for the patient shown, any note already known (hints still being asked for arrive later as a bar update).
 */
export async function barStateFor(config: Config, who: ClinicianState, patient?: PatientContext | null): Promise<BarState> {
  const partners = (await partnerReadiness(config, who)).map(({ partner, connector, readiness }): PartnerButton => {
    const base = { id: partner.id, label: partner.label };
    if (readiness.state !== 'ready') return { ...base, state: readiness.state, message: wordingText(readiness.wording) };
    const username = who.profile?.username;
    const found = patient && username && connector?.patientHint ? cachedHint(partner.id, username, patient.nhsNumber)?.hint : undefined;
    const hint = landingNote(partner, patient) ?? (found ? wordingText(found) : undefined);
    return { ...base, state: 'ready', ...(hint ? { hint } : {}), ...(partner.prefetch === 'hover' ? { prefetchOnHover: true } : {}) };
  });
  return { partners };
}
