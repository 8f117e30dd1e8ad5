import type { MessageKey } from './message-key';

/** The message for each problem code the page readers report, written out so every key is a checked literal. */
export const PROBLEM_MESSAGES = {
  'no-patient': 'problem_no_patient',
  'two-patients': 'problem_two_patients',
  'fields-disagree': 'problem_fields_disagree',
  'invalid-nhs-number': 'problem_invalid_nhs_number',
  'invalid-birth-date': 'problem_invalid_birth_date',
  'no-name': 'problem_no_name',
  'no-birth-date': 'problem_no_birth_date',
  'ambiguous-birth-date': 'problem_ambiguous_birth_date',
  'hidden-text': 'problem_hidden_text',
  'page-too-large': 'problem_page_too_large',
  'choose-row': 'problem_choose_row',
} as const satisfies Record<string, MessageKey>;

/**
 * A problem's message. Codes cross from content scripts as plain strings; one no message knows (none today,
 * problem-messages.test.ts checks) reads as "no patient", which is what it means for a launch.
 */
export function problemMessage(problem: string | undefined): MessageKey {
  return (Object.hasOwn(PROBLEM_MESSAGES, problem ?? '') ? PROBLEM_MESSAGES[problem as keyof typeof PROBLEM_MESSAGES] : undefined) ?? 'problem_no_patient';
}
