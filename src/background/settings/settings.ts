import { browser } from '../../shared/browser-api';
import { clinicianProfileSchema, type ClinicianProfile } from '../../shared/clinician';
import { configSchema, EMPTY_CONFIG, type Config } from '../../shared/config';
import { effectiveConfig, readPolicy, type EffectiveConfig } from '../../shared/effective-config';
import { storageItem } from '../storage/storage-item';
import { storageKeys } from '../storage/storage-keys';

/** The configuration document the administrator imported or edited on this computer (durable). */
export const userConfigItem = storageItem<Config>(
  'local',
  storageKeys.config.key,
  (raw) => {
    const parsed = configSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  },
  () => EMPTY_CONFIG,
);

export interface EffectiveState extends EffectiveConfig {
  /** The user's own document, before policy. */
  user: Config;
  /** Whether the organisation sets any policy for the extension. */
  policyPresent: boolean;
}

async function readManaged(): Promise<unknown> {
  try {
    return await browser.storage.managed.get(null);
  } catch {
    // No managed storage here (or it cannot be read): no policy, never a stopped extension.
    return undefined;
  }
}

let cached: Promise<EffectiveState> | undefined;
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && Object.hasOwn(changes, userConfigItem.key))) cached = undefined;
});

async function computeEffective(): Promise<EffectiveState> {
  const [user, managed] = await Promise.all([userConfigItem.get(), readManaged()]);
  const reading = readPolicy(managed);
  const effective = effectiveConfig(EMPTY_CONFIG, user, reading.policy);
  return { ...effective, problems: [...reading.problems, ...effective.problems], user, policyPresent: reading.present };
}

/**
 * Defaults < the user's configuration < policy, with what policy locks, sets and could not use. Kept until
 * storage changes; `fresh` reads again (for pages that show it, which may hear of a policy change first).
 */
export function effectiveState(options: { fresh?: boolean } = {}): Promise<EffectiveState> {
  if (options.fresh) cached = undefined;
  const current = (cached ??= computeEffective());
  current.catch(() => {
    if (cached === current) cached = undefined;
  });
  return current;
}

/** The configuration in force (policy applied). Every reader of configuration goes through this. */
export const configItem = {
  key: userConfigItem.key,
  get: async (): Promise<Config> => (await effectiveState()).config,
};

/** Saves the user's own document (policy still applies on top). */
export async function saveUserConfig(config: Config): Promise<void> {
  cached = undefined;
  await userConfigItem.set(config);
  cached = undefined;
}

/** The clinician using this browser profile (durable; sign-out clears it). */
export const clinicianItem = storageItem<ClinicianProfile | null>(
  'local',
  storageKeys.clinician.key,
  (raw) => {
    const parsed = clinicianProfileSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  },
  () => null,
);
