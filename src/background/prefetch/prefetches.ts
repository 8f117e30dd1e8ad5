import type { PartnerConfig } from '../../shared/config';
import type { Connector } from '../../connectors/connector';
import type { PatientContext } from '../../shared/patient';
import { LAUNCH_TIMEOUT_MS } from '../launch/launch-input';
import { buildLaunchFor } from '../launch/launch-builder';
import { browserArea } from '../storage/key-value-area';
import { createPrefetchStore, type PrefetchBinding } from './prefetch-store';
import { createPrefetchKeeper } from './prefetch-keeper';
import { sealer } from '../vault/vault';
import type { ClinicianProfile } from '../../shared/clinician';

/** The worker's prefetched launches (see prefetch-store.ts for the binding rules), kept across worker restarts. */
export const prefetches = createPrefetchStore(Date.now, createPrefetchKeeper(browserArea('session'), sealer));

/** Starts fetching a launch credential for exactly this tab, document, patient, partner and clinician. */
export function startPrefetch(binding: PrefetchBinding, partner: PartnerConfig, connector: Connector<unknown>, clinician: ClinicianProfile, patient: PatientContext): void {
  prefetches.start(binding, () => buildLaunchFor(partner, connector, clinician, patient, AbortSignal.timeout(LAUNCH_TIMEOUT_MS)));
}
