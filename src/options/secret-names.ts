import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';

/** The partners' secrets by the names an administrator knows them by, not the configuration's field names. */
const SECRET_WORDS: Record<string, MessageKey> = {
  partnerSecret: 'secretNamePartnerSecret',
  organizationSecret: 'secretNameOrganizationSecret',
  secretToken: 'secretNameSecretToken',
};

export function secretWords(name: string): string {
  const key = SECRET_WORDS[name];
  return key ? t(key) : name;
}

/** The same, starting a sentence or a label. */
export function secretLabel(name: string): string {
  const words = secretWords(name);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The id of a secret's field in the options page, so the checklist can send the administrator to it. */
export const secretFieldId = (partnerId: string, name: string) => `secret-${partnerId}-${name}`;
