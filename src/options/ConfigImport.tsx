import { useState } from 'preact/hooks';
import { parseConfig } from '../shared/config';
import { hostPatternsFor } from '../shared/host-access';
import { t } from '../shared/i18n';
import { download, fileStamp } from './download';
import { importConfigDocument, notSent } from './import-config';
import { requestHostAccess, type ConfigView } from './view';
import { ErrorList } from '../ui/ErrorList';

/**
 * Paste a whole configuration document, of any realistic size; the background validates it and names any field
 * at fault, and every refusal is shown. Export
 * saves the configuration in force (policy applied) as the same kind of document.
 */
export function ConfigImport({ view, onImported }: { view: ConfigView; onImported: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(view.user, null, 2));
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [accessWarning, setAccessWarning] = useState<string | null>(null);

  async function submit() {
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

  function onSubmit(event: Event) {
    event.preventDefault();
    // A new attempt starts clean: no message from the last one stays on screen while this one runs.
    setDone(false);
    setErrors([]);
    setAccessWarning(null);
    // Whatever goes wrong, the administrator is told: an import never fails in silence.
    submit().catch((error: unknown) => setErrors(notSent(error instanceof Error ? error.message : String(error)).errors));
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="config-heading">
      <h2 id="config-heading">{t('optionsConfig')}</h2>
      <p class="muted">{t('optionsConfigHelp')}</p>
      <label for="config-json">{t('optionsConfigDocument')}</label>
      <textarea id="config-json" spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="toolbar">
        <button type="submit">{t('optionsImport')}</button>
        <button type="button" class="secondary" onClick={() => download(`ehr-launchpad-config-${fileStamp()}.json`, 'application/json', `${JSON.stringify(view.config, null, 2)}\n`)}>
          {t('optionsExport')}
        </button>
      </div>
      <div role="status" aria-live="polite" data-testid="import-result">
        {done && <p class="ok">{t('optionsImported')}</p>}
        {accessWarning && <p class="error">{accessWarning}</p>}
        <ErrorList errors={errors} />
      </div>
    </form>
  );
}
