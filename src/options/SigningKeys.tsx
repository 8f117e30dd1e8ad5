import type { JWK } from 'jose';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';

interface KeysView {
  jwks: { keys: JWK[] };
  keys: { kid: string; alg: 'ES256' | 'RS256'; createdAt: string; active: boolean }[];
}

/** The public keys a partner enrols (Black Pear): shown as a JWKS to copy, with rotation and removal. */
export function SigningKeys() {
  const state = useAsync(async () => (await sendToBackground('keys.get', {})) as KeysView);
  const view = state.value;
  async function act(run: () => Promise<unknown>) {
    await run();
    state.reload();
  }
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('optionsKeys')}</h2>
      <p class="muted">{t('optionsKeysHelp')}</p>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && view.keys.length === 0 && <p>{t('optionsKeysNone')}</p>}
      {view && view.keys.length > 0 && (
        <>
          <label for="jwks">JWKS</label>
          <textarea id="jwks" data-testid="jwks" readOnly value={JSON.stringify(view.jwks, null, 2)} />
          <ul class="plain" data-testid="keys">
            {view.keys.map((key) => (
              <li key={key.kid}>
                <code>{key.kid}</code> {key.alg} <span class="muted">{key.active ? t('optionsKeyActive') : t('optionsKeyRetired')}</span>{' '}
                {!key.active && (
                  <button type="button" onClick={() => act(() => sendToBackground('keys.remove', { kid: key.kid }))}>
                    {t('optionsKeyRemove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {[...new Set(view.keys.filter((k) => k.active).map((k) => k.alg))].map((alg) => (
            <button key={alg} type="button" onClick={() => act(() => sendToBackground('keys.rotate', { alg }))}>
              {t('optionsKeyRotate', alg)}
            </button>
          ))}
        </>
      )}
    </section>
  );
}
