import { configSizeProblem } from '../../shared/config-transfer';

/** The slice of chrome.storage.session a staged import needs (a fake in tests). */
export interface StagingArea {
  get(key: string): Promise<Record<string, unknown>>;
  remove(key: string): Promise<void>;
}

export type StagedConfig = { ok: true; document: unknown } | { ok: false; errors: string[] };

/**
 * Takes the configuration document an options page staged under `key` (see src/shared/config-transfer.ts):
 * reads it and removes it, so it is used once and not kept. Answers field-style errors, never throws on what
 * it finds there.
 */
export async function takeStagedConfig(area: StagingArea, key: string): Promise<StagedConfig> {
  const text = (await area.get(key))[key];
  await area.remove(key);
  if (typeof text !== 'string') return { ok: false, errors: ['(document): did not reach EHR Launchpad (it may have been imported already): import it again'] };
  const tooLarge = configSizeProblem(text.length);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, errors: ['(document): is not valid JSON'] };
  }
}
