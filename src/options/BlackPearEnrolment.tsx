import { t } from '../shared/i18n';
import type { BlackPearEnrolment as Enrolment } from '../shared/black-pear-enrolment';

/**
 * Beside the JWKS: the exact values Black Pear must enrol for each Black Pear partner, so what is sent to
 * Black Pear matches what the launch tokens carry (iss, aud, kid).
 */
export function BlackPearEnrolment({ enrolments }: { enrolments: readonly Enrolment[] }) {
  if (enrolments.length === 0) return null;
  return (
    <div data-testid="black-pear-enrolment">
      <h3>{t('optEnrolHeading')}</h3>
      <p class="muted">{t('optEnrolHelp')}</p>
      {enrolments.map((enrolment) => (
        <dl key={enrolment.partnerId} data-testid={`enrol-${enrolment.partnerId}`}>
          <dt>{enrolment.label}</dt>
          {enrolment.signedBy === 'broker' ? (
            <dd data-testid="enrol-broker">{t('optEnrolViaBroker', enrolment.jwksUrl)}</dd>
          ) : (
            <>
              <dd>
                {t('optEnrolIssuer')} <code data-testid="enrol-issuer">{enrolment.issuer}</code>
              </dd>
              <dd>
                {t('optEnrolAudience')} <code data-testid="enrol-audience">{enrolment.audience}</code>
              </dd>
              <dd>
                {t('optEnrolKeyId')}{' '}
                {enrolment.keyId ? <code data-testid="enrol-kid">{enrolment.keyId}</code> : <span data-testid="enrol-kid">{t('optEnrolNoKey')}</span>}{' '}
                <span class="muted">{enrolment.alg}</span>
              </dd>
            </>
          )}
        </dl>
      ))}
    </div>
  );
}
