import { t } from '../shared/i18n';

/** The label on anything the organisation's policy sets or locks: it cannot be changed here. */
export function Managed({ id }: { id?: string }) {
  return (
    <span class="managed" id={id} data-testid="managed">
      {t('optionsManaged')}
    </span>
  );
}
