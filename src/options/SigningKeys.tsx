import type { JWK } from 'jose';
import type { Config } from '../shared/config';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import { blackPearEnrolments } from '../shared/black-pear-enrolment';
import { BlackPearEnrolment } from './BlackPearEnrolment';

interface KeysView {
  jwks: { keys: JWK[] };
  keys: { kid: string; alg: 'ES256' | 'RS256'; createdAt: string; active: boolean }[];
}

/**
 * The public keys a partner enrols (Black Pear): shown as a JWKS to copy, with what else Black Pear must
 * enrol for each partner, and rotation and removal.
 */
export function SigningKeys({ config }: { config: Pick<Config, 'partners' | 'broker'> }) {
  const state = useAsync(async () => (await sendToBackground('keys.get', {})) as KeysView);
  const view = state.value;
  const enrolment = view && <BlackPearEnrolment enrolments={blackPearEnrolments(config, view.keys)} />;
  async function act(run: () => Promise<unknown>) {
    await run();
    state.reload();
  }
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('optionsKeys')}</h2>
      <p class="muted">{t('optionsKeysHelp')}</p>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && view.keys.length === 0 && (
        <>
          <p>{t('optionsKeysNone')}</p>
          {enrolment}
        </>
      )}
      {view && view.keys.length > 0 && (
        <>
          <label for="jwks">JWKS</label>
          <textarea id="jwks" data-testid="jwks" readOnly value={JSON.stringify(view.jwks, null, 2)} />
          {enrolment}
          <ul class="plain" data-testid="keys">
            {view.keys.map((key) => (
              <li key={key.kid}>
                <code>{key.kid}</code> {key.alg} <span class="muted">{key.active ? t('optionsKeyActive') : t('optionsKeyRetired')}</span>{' '}
                {!key.active && (
                  <button type="button" onClick={() => void act(() => sendToBackground('keys.remove', { kid: key.kid }))}>
                    {t('optionsKeyRemove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {[...new Set(view.keys.filter((k) => k.active).map((k) => k.alg))].map((alg) => (
            <button key={alg} type="button" onClick={() => void act(() => sendToBackground('keys.rotate', { alg }))}>
              {t('optionsKeyRotate', alg)}
            </button>
          ))}
        </>
      )}
    </section>
  );
}
