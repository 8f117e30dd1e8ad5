import { PARCHMENT_DASHBOARD_NOTE, parchmentRedirectPath } from '../../connectors/parchment';
import type { PartnerConfig } from '../../shared/config';
import { t } from '../../shared/i18n';
import type { PatientContext } from '../../shared/patient';

/**
 * What the clinician should know before the click about where a launch lands: Parchment opens its dashboard, not
 * the patient, for a patient the configuration has no Parchment id for (the same rule the connector follows).
 */
export function landingNote(partner: PartnerConfig, patient: PatientContext | null | undefined): string | undefined {
  if (!patient || partner.kind !== 'parchment') return undefined;
  return parchmentRedirectPath(partner, patient.nhsNumber).notice ? t(PARCHMENT_DASHBOARD_NOTE, partner.label) : undefined;
}
