import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';
import type { PartnerKind } from './partner-form';

const KIND_WORDS: Record<PartnerKind, MessageKey> = {
  parchment: 'partnerKindParchment',
  phpkb: 'partnerKindPhpkb',
  'black-pear': 'partnerKindBlackPear',
  'nhs-login': 'partnerKindNhsLogin',
  pkb: 'partnerKindPkb',
};

/** A partner kind as the administrator knows the product, not as the configuration spells it. */
export function partnerKindLabel(kind: PartnerKind): string {
  return t(KIND_WORDS[kind]);
}
