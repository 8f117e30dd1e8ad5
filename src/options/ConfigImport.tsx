import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { parseConfig } from '../shared/config';
import { hostPatternsFor } from '../shared/host-access';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

/** Paste a whole configuration document; the background validates it and names any field at fault. */
export function ConfigImport({ current, onImported }: { current: unknown; onImported: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(current, null, 2));
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [accessWarning, setAccessWarning] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setDone(false);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      setErrors([`The text is not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
      return;
    }
    const checked = parseConfig(parsed);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    // Asked for while the click still counts as a user gesture: before any other await.
    const patterns = hostPatternsFor(checked.config);
    const granted = patterns.length === 0 || (await browser.permissions.request({ origins: patterns }).catch(() => false));
    setAccessWarning(granted ? null : `Access to ${patterns.join(', ')} was not granted, so the launch bar will not appear on those EHR sites and partner calls will fail. Import again to grant it.`);
    const result = (await sendToBackground('config.import', { config: parsed })) as { ok: boolean; errors: string[] };
    setErrors(result.errors);
    if (result.ok) {
      setDone(true);
      onImported();
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="config-heading">
      <h2 id="config-heading">{t('optionsConfig')}</h2>
      <label for="config-json">Configuration document (JSON)</label>
      <textarea id="config-json" spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      <button type="submit">{t('optionsImport')}</button>
      <div role="status" aria-live="polite" data-testid="import-result">
        {done && <p class="ok">{t('optionsImported')}</p>}
        {accessWarning && <p class="error">{accessWarning}</p>}
        {errors.length > 0 && (
          <ul>
            {errors.map((error) => (
              <li class="error" key={error}>{error}</li>
            ))}
          </ul>
        )}
      </div>
    </form>
  );
}
