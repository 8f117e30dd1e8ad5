import type { Connector, LaunchOutput } from '../../connectors/connector';
import type { ClinicianProfile } from '../../shared/clinician';
import { goesViaBroker, type PartnerConfig } from '../../shared/config';
import type { PatientContext } from '../../shared/patient';
import { brokerLaunch } from '../broker/broker-launch';
import { launchInputFor } from './launch-input';
import { configItem } from '../settings/settings';

/**
 * Where a launch is built: by the partner's connector here, or by the organisation's launch broker for
 * partners that go through it. Clicks, prefetches and the retry after a refused landing all come here.
 */
export async function buildLaunchFor(partner: PartnerConfig, connector: Connector<unknown>, clinician: ClinicianProfile, patient: PatientContext, signal: AbortSignal): Promise<LaunchOutput> {
  const config = await configItem.get();
  if (goesViaBroker(config, partner)) return brokerLaunch(config.broker!.url, partner, patient, signal);
  return connector.buildLaunch(await launchInputFor(partner, connector, clinician, patient, signal));
}
