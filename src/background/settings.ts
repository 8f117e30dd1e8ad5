import { clinicianProfileSchema, type ClinicianProfile } from '../shared/clinician';
import { configSchema, EMPTY_CONFIG, type Config } from '../shared/config';
import { storageItem } from './storage-item';

/** The administrator's configuration document (durable). */
export const configItem = storageItem<Config>(
  'local',
  'config',
  (raw) => {
    const parsed = configSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  },
  () => EMPTY_CONFIG,
);

/** The clinician using this browser profile (durable; sign-out clears it). */
export const clinicianItem = storageItem<ClinicianProfile | null>(
  'local',
  'clinician',
  (raw) => {
    const parsed = clinicianProfileSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  },
  () => null,
);
