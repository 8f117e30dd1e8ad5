import { useState } from 'preact/hooks';
import type { VerifiedIdentity } from '../shared/identity/verified-identity';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

/** What the background says about the organisation's sign-in (never a token). */
export interface IdentityStatus {
  provider: { label: string; preset: 'cis2' | 'oidc' } | null;
  required: boolean;
  identity: VerifiedIdentity | null;
  lockedFields: string[];
}

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

export type IdentityMessage = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The clinician's sign-in with the organisation (CIS2 or a workforce provider): who it proved, with which role,
 * until when; a clinician with several roles can switch, which signs in again. The popup keeps the last
 * outcome (`message`), since a sign-in moves this section from the top to among the settled things.
 */
export function OrgIdentity({ status, message, onMessage, onDone }: { status: IdentityStatus; message: IdentityMessage; onMessage: (message: IdentityMessage) => void; onDone: () => void }) {
  const setMessage = onMessage;
  const [busy, setBusy] = useState(false);
  const provider = status.provider;
  if (!provider) return null;
  const identity = status.identity;

  async function signIn(switchRole: boolean) {
    setMessage(null);
    setBusy(true);
    try {
      await sendToBackground('identity.signIn', switchRole ? { switchRole: true } : {});
      setMessage({ kind: 'ok', text: t('identitySignedIn', provider!.label) });
      onDone();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="identity-heading" data-identity={identity ? 'verified' : 'none'}>
      <h2 id="identity-heading">{t('identityTitle')}</h2>
      {identity ? (
        <>
          <p data-testid="identity-who">{t('identityVerifiedAs', provider.label, identity.fields.displayName ?? identity.subject)}</p>
          <dl>
            {identity.fields.sdsUserId && (
              <>
                <dt class="muted">{t('fieldSdsUserId')}</dt>
                <dd data-testid="identity-sds">{identity.fields.sdsUserId}</dd>
              </>
            )}
            <dt class="muted">{t('identityRole')}</dt>
            <dd data-testid="identity-role">
              {identity.role ? `${identity.role.name ?? identity.role.id}${identity.role.org ? ` (${identity.role.org})` : ''}` : t('identityNoRole')}
            </dd>
            <dt class="muted">{t('identityUntil')}</dt>
            <dd data-testid="identity-until">{time(identity.expiresAt)}</dd>
          </dl>
          {identity.problems.length > 0 && (
            <details data-testid="identity-problems">
              <summary>{t('identityProblems')}</summary>
              <ul>
                {identity.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </details>
          )}
          {identity.roles.length > 1 && (
            <button type="button" class="secondary" disabled={busy} onClick={() => void signIn(true)}>
              {t('identitySwitchRole')}
            </button>
          )}
        </>
      ) : (
        <>
          <p>{status.required ? t('identityRequired', provider.label) : t('identityOffered', provider.label)}</p>
          <button type="button" disabled={busy} onClick={() => void signIn(false)}>
            {t('identitySignIn', provider.label)}
          </button>
        </>
      )}
      <div role="status" aria-live="polite" data-testid="identity-result">
        {message && <p class={message.kind}>{message.text}</p>}
      </div>
    </section>
  );
}
