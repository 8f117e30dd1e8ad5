import { t } from '../shared/i18n';
import { ErrorList } from '../ui/ErrorList';
import type { ConfigImportState } from './use-config-import';

/** What became of the last import: done, access not granted, or every field at fault. */
export function ImportResult({ state, testId }: { state: ConfigImportState; testId: string }) {
  return (
    <div role="status" aria-live="polite" data-testid={testId}>
      {/* Not a paragraph: the result, when it comes, is the first paragraph here. */}
      {state.busy && <span class="muted">{t('setupImporting')}</span>}
      {state.done && <p class="ok">{t('optionsImported')}</p>}
      {state.accessWarning && <p class="error">{state.accessWarning}</p>}
      <ErrorList errors={state.errors} />
    </div>
  );
}
