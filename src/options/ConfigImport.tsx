import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { download, fileStamp } from './download';
import { ImportResult } from './ImportResult';
import { useConfigImport } from './use-config-import';
import type { ConfigView } from './view';

/**
 * Paste a whole configuration document, of any realistic size; the background validates it and names any field
 * at fault, and every refusal is shown. Export saves the configuration in force (policy applied) as the same
 * kind of document.
 */
export function ConfigImport({ view, onImported }: { view: ConfigView; onImported: () => void }) {
  const document = JSON.stringify(view.user, null, 2);
  const [text, setText] = useState(document);
  const importing = useConfigImport(onImported);
  // The box follows the document in force when it changes (an import from Get started, policy), so it never
  // offers a stale one to import back; the last import's result stays on screen.
  useEffect(() => setText(document), [document]);

  function onSubmit(event: Event) {
    event.preventDefault();
    importing.run(text);
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="config-heading">
      <h2 id="config-heading">{t('optionsConfig')}</h2>
      <p class="muted">
        {t('optionsConfigHelp')} <FormatLink />
      </p>
      <label for="config-json">{t('optionsConfigDocument')}</label>
      <textarea id="config-json" spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="toolbar">
        <button type="submit" disabled={importing.busy}>{t('optionsImport')}</button>
        <button type="button" class="secondary" onClick={() => download(`ehr-launchpad-config-${fileStamp()}.json`, 'application/json', `${JSON.stringify(view.config, null, 2)}\n`)}>
          {t('optionsExport')}
        </button>
      </div>
      <ImportResult state={importing} testId="import-result" />
    </form>
  );
}

/** The format, as shipped inside the extension (an installer has no copy of the repository). */
export function FormatLink() {
  return (
    <a href="/help/config.schema.json" target="_blank" rel="noreferrer" data-testid="format-link">
      {t('setupFormatLink')}
    </a>
  );
}
