import { STALE_TAB_ACTIONS, type StaleTabAction } from '../shared/partner-tabs';
import { t } from '../shared/i18n';
import type { FormValues } from './partner-form';
import type { MessageKey } from '../shared/message-key';

const ACTION_LABEL: Record<StaleTabAction, MessageKey> = {
  mark: 'optStaleTabMark',
  close: 'optStaleTabClose',
  follow: 'optStaleTabFollow',
  none: 'optStaleTabNone',
};

/** The setting as the partner list shows it; left out, it is `mark`. */
export function staleTabLabel(action: StaleTabAction | undefined): string {
  return t(ACTION_LABEL[action ?? 'mark']);
}

/**
 * What happens to this partner's tabs once the EHR moves on to another patient, and whether the partner only
 * shows data (which `follow` needs). Errors come from the configuration's own check, under each field. Partners
 * set by policy are never edited here (the list shows their setting, managed).
 */
export function StaleTabFields({ values, set, errorsFor }: { values: FormValues; set: (name: string, value: string | boolean) => void; errorsFor: (name: string) => string[] }) {
  const actionErrors = errorsFor('staleTab');
  const readOnlyErrors = errorsFor('readOnly');
  return (
    <fieldset data-testid="partner-stale-tab">
      <legend>{t('optStaleTabLegend')}</legend>
      <p class="muted" id="partner-staleTab-help">{t('optStaleTabHelp')}</p>
      <label for="partner-staleTab">{t('optStaleTabAction')}</label>
      <select
        id="partner-staleTab"
        value={String(values.staleTab || 'mark')}
        aria-invalid={actionErrors.length > 0}
        aria-describedby={actionErrors.length ? 'partner-staleTab-help partner-staleTab-error' : 'partner-staleTab-help'}
        onChange={(e) => set('staleTab', (e.currentTarget as HTMLSelectElement).value)}
      >
        {STALE_TAB_ACTIONS.map((action) => (
          <option key={action} value={action}>{t(ACTION_LABEL[action])}</option>
        ))}
      </select>
      {actionErrors.length > 0 && <p class="field-error" id="partner-staleTab-error">{actionErrors.join(' ')}</p>}
      <label class="check" for="partner-readOnly">
        <input id="partner-readOnly" type="checkbox" checked={values.readOnly === true} onChange={(e) => set('readOnly', (e.currentTarget as HTMLInputElement).checked)} />
        {t('optStaleTabReadOnly')}
      </label>
      {readOnlyErrors.length > 0 && <p class="field-error" id="partner-readOnly-error">{readOnlyErrors.join(' ')}</p>}
    </fieldset>
  );
}
