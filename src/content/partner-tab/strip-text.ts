import { t } from '../../shared/i18n';
import type { MessageKey } from '../../shared/message-key';
import { formatNhsNumber } from '../../shared/nhs-number';
import type { StaleTabTrigger, StripContent } from '../../shared/partner-tabs';

/** The words of the strip, all from _locales; `openHere` is null when there is no patient to open here. */
export interface StripText {
  heading: string;
  opened: string;
  current: string;
  openHere: string | null;
  close: string;
  keep: string;
}

const WHY: Readonly<Record<Exclude<StaleTabTrigger, 'patient-changed'>, MessageKey>> = {
  'ehr-closed': 'stripEhrClosed',
  'ehr-left': 'stripEhrLeft',
  'signed-out': 'stripSignedOut',
};

/** The second line: what happened to the EHR tab since this tab was opened. */
function currentLine(content: StripContent): string {
  if (content.trigger !== 'patient-changed') return t(WHY[content.trigger]);
  // The background names the new patient only when the tab can be launched for them; otherwise say no name.
  return content.now ? t('stripNowShows', content.now.name, formatNhsNumber(content.now.nhsNumber)) : t('stripNowShowsAnother');
}

export function stripText(content: StripContent): StripText {
  return {
    heading: t('stripHeading', content.partnerLabel),
    opened: t('stripOpenedFor', content.was.name, formatNhsNumber(content.was.nhsNumber)),
    current: currentLine(content),
    openHere: content.now ? t('stripOpenHere', content.now.name) : null,
    close: t('stripCloseTab'),
    keep: t('stripKeep'),
  };
}
