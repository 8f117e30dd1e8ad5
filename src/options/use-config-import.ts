import { useState } from 'preact/hooks';
import { parseConfig } from '../shared/config';
import { hostPatternsFor } from '../shared/host-access';
import { t } from '../shared/i18n';
import { importConfigDocument, notSent } from './import-config';
import { requestHostAccess } from './view';

export interface ConfigImportState {
  errors: string[];
  done: boolean;
  accessWarning: string | null;
  busy: boolean;
  /** Imports a configuration document's text; must be called from the click's (or submit's) handler. */
  run(text: string): void;
  /** Shows why a document could not even be read (a file the browser could not open). */
  fail(message: string): void;
}

/**
 * One import, from a pasted document or a chosen file: the background validates it and names any field at fault,
 * host access is asked for in the same click, and every refusal is shown. Never throws.
 */
export function useConfigImport(onImported: () => void): ConfigImportState {
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [accessWarning, setAccessWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(text: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      setErrors([t('optionsNotJson', error instanceof Error ? error.message : String(error))]);
      return;
    }
    const checked = parseConfig(parsed);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    // Asked for while the click still counts as a user gesture: before any other await.
    const patterns = hostPatternsFor(checked.config);
    const granted = await requestHostAccess(patterns);
    setAccessWarning(granted ? null : t('optionsAccessNotGranted', patterns.join(', ')));
    const result = await importConfigDocument(parsed);
    setErrors(result.errors);
    if (result.ok) {
      setDone(true);
      onImported();
    }
  }

  return {
    errors,
    done,
    accessWarning,
    busy,
    run(text) {
      // A new attempt starts clean: no message from the last one stays on screen while this one runs.
      setDone(false);
      setErrors([]);
      setAccessWarning(null);
      setBusy(true);
      // Whatever goes wrong, the administrator is told: an import never fails in silence.
      submit(text)
        .catch((error: unknown) => setErrors(notSent(error instanceof Error ? error.message : String(error)).errors))
        .finally(() => setBusy(false));
    },
    fail(message) {
      setDone(false);
      setAccessWarning(null);
      setErrors([message]);
    },
  };
}
