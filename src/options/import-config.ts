import { browser } from '../shared/browser-api';
import { configSizeProblem, STAGED_CONFIG_PREFIX } from '../shared/config-transfer';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

export interface ImportVerdict {
  ok: boolean;
  errors: string[];
}

/** Why the document could not be handed over, in the sentence the options page shows. */
export function notSent(detail: string): ImportVerdict {
  return { ok: false, errors: [t('optionsImportNotSent', detail.replace(/\.$/, ''))] };
}

/**
 * Hands a whole configuration document to the background, whatever its size, and answers its verdict: field
 * errors, or why it could not be handed over. Never throws, so every form that saves configuration can show
 * a refusal. The document goes through storage.session, not in the message (see src/shared/config-transfer.ts).
 */
export async function importConfigDocument(document: unknown): Promise<ImportVerdict> {
  let text: string | undefined;
  try {
    text = JSON.stringify(document);
  } catch {
    text = undefined;
  }
  if (text === undefined) return notSent('not a JSON document');
  const tooLarge = configSizeProblem(text.length);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  const key = `${STAGED_CONFIG_PREFIX}${crypto.randomUUID()}`;
  try {
    await browser.storage.session.set({ [key]: text });
    return (await sendToBackground('config.import', { staged: key })) as ImportVerdict;
  } catch (error) {
    return notSent(error instanceof Error ? error.message : String(error));
  } finally {
    // The background removes it when it takes it; this covers a background that never did.
    await browser.storage.session.remove(key).catch(() => undefined);
  }
}
