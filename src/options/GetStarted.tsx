import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { FormatLink } from './ConfigImport';
import { ImportResult } from './ImportResult';
import { useConfigImport } from './use-config-import';

/**
 * What a fresh install shows first (and what the options page opens on after install): import the trust's
 * configuration from a file or by pasting it, or learn that a managed computer gets it by policy.
 */
export function GetStarted({ onImported }: { onImported: () => void }) {
  const [text, setText] = useState('');
  const importing = useConfigImport(onImported);

  function onFile(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    file
      .text()
      .then((content) => {
        setText(content);
        importing.run(content);
      })
      .catch((error: unknown) => importing.fail(t('setupFileUnreadable', error instanceof Error ? error.name : String(error))))
      // The same file can be chosen again after it is corrected.
      .finally(() => (input.value = ''));
  }

  function onSubmit(event: Event) {
    event.preventDefault();
    importing.run(text);
  }

  return (
    <section aria-labelledby="get-started-heading" class="card" id="get-started" data-testid="get-started">
      <h2 id="get-started-heading">{t('setupGetStartedTitle')}</h2>
      <p>{t('setupGetStartedIntro')}</p>
      <label for="config-file">{t('setupChooseFile')}</label>
      <input id="config-file" type="file" accept=".json,application/json" onChange={onFile} />
      <form onSubmit={onSubmit}>
        <label for="config-paste">{t('setupOrPaste')}</label>
        <textarea id="config-paste" spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
        <div class="toolbar">
          <button type="submit" disabled={importing.busy || text.trim() === ''}>
            {t('setupImport')}
          </button>
        </div>
      </form>
      <ImportResult state={importing} testId="get-started-result" />
      <p class="muted">{t('setupManaged')}</p>
      <p>
        <FormatLink />
      </p>
    </section>
  );
}
