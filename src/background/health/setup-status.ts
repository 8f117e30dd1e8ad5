import { browser } from '../../shared/browser-api';
import { connectorFor } from '../../connectors/registry';
import { goesViaBroker, type Config } from '../../shared/config';
import { hostPatternsFor } from '../../shared/host-access';
import { setupSteps, type SetupStep } from '../../shared/setup-checklist';
import { enrolmentsFor } from '../../shared/setup-enrolments';
import { configItem } from '../settings/settings';
import { storageItem } from '../storage/storage-item';
import { storageKeys } from '../storage/storage-keys';
import { listKeys, signerFor } from '../vault/installation-keys';
import { vault } from '../vault/vault';

const MAX_ACKNOWLEDGED = 100;

/** Enrolments the administrator marked as sent (their acknowledgement values, see enrolmentsFor). */
const acknowledgedItem = storageItem<string[]>(
  'local',
  storageKeys.setupAcknowledged.key,
  (raw) => (Array.isArray(raw) && raw.every((value) => typeof value === 'string') ? raw.slice(0, MAX_ACKNOWLEDGED) : undefined),
  () => [],
);

/** Host-permission patterns the configuration needs that the browser has not granted. */
export async function missingHostAccess(config: Config): Promise<string[]> {
  const missing: string[] = [];
  for (const pattern of hostPatternsFor(config)) {
    if (!(await browser.permissions.contains({ origins: [pattern] }))) missing.push(pattern);
  }
  return missing;
}

/**
 * Makes the keys the configured partners, the organisation's provider and the broker will use, so what a
 * partner must enrol is known before the first launch.
 */
export async function ensureInstallationKeys(config: Config): Promise<void> {
  for (const partner of config.partners) {
    const connector = connectorFor(partner.kind);
    if (connector?.signingAlg) await signerFor(connector.signingAlg(partner as never));
  }
  const provider = config.identity.provider;
  if (provider?.clientAuth === 'private_key_jwt') await signerFor(provider.alg);
  if (config.broker) await signerFor('ES256');
}

/** The checklist from what this computer holds now (no key is made here: reading must not change anything). */
export async function setupStatus(): Promise<SetupStep[]> {
  const config = await configItem.get();
  const [secrets, hostAccessMissing, keys, acknowledged] = await Promise.all([vault.secretStatus(), missingHostAccess(config), listKeys(), acknowledgedItem.get()]);
  return setupSteps({
    ehrSites: config.ehrSites.length,
    // Through the broker, a partner's secrets are the broker's: none are typed here.
    partners: config.partners.map((partner) => ({ id: partner.id, label: partner.label, secretNames: goesViaBroker(config, partner) ? [] : connectorFor(partner.kind)?.secretNames ?? [] })),
    secretsSet: secrets.set,
    secretsByPolicy: secrets.byPolicy,
    hostAccessMissing,
    enrolments: enrolmentsFor(config, keys),
    acknowledged,
  });
}

/**
 * The parties still waiting for this computer's enrolment values, for the badge: only the keys and the marks are
 * read (the secrets and site access are already in the partners' readiness, worked out beside this).
 */
export async function unsentEnrolments(config: Config): Promise<string[]> {
  const [keys, acknowledged] = await Promise.all([listKeys(), acknowledgedItem.get()]);
  return enrolmentsFor(config, keys)
    .filter((enrolment) => !acknowledged.includes(enrolment.acknowledgement))
    .map((enrolment) => enrolment.label);
}

/** Records that the values for one enrolment were sent (or takes that back). */
export async function acknowledgeEnrolment(acknowledgement: string, sent: boolean): Promise<void> {
  const others = (await acknowledgedItem.get()).filter((value) => value !== acknowledgement);
  await acknowledgedItem.set(sent ? [acknowledgement, ...others].slice(0, MAX_ACKNOWLEDGED) : others);
}
