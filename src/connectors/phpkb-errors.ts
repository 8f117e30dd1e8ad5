import type { MessageKey } from '../shared/message-key';

/**
 * PHPKB's documented SSO error codes, each as a sentence a clinician can act on. The code stays in the
 * sentence so the service desk can look it up.
 */
export const PHPKB_ERROR_SENTENCES: Readonly<Record<string, string>> = {
  '400E1': 'The knowledge base says a required sign-in detail is missing (400E1). Check that your clinician profile has a username, name and email.',
  '400E2': 'The knowledge base rejected a sign-in detail as invalid (400E2). Check the email address in your clinician profile; if it looks right, tell your IT service desk.',
  '400E3': 'The knowledge base says the sign-in link was too old (400E3). Check that this computer\'s clock is right, then try again.',
  '400E4': 'The knowledge base could not create your account because a username differing only in capital letters already exists (400E4). Ask the knowledge base administrator.',
  '401E1': 'The knowledge base could not verify the sign-in (401E1: invalid hash). The secret on this computer does not match the knowledge base\'s: tell your IT service desk.',
  '401E2': 'The knowledge base refused the sign-in from this address (401E2: domain not allowed). Its "Domains Allowed" setting must allow EHR Launchpad: tell your IT service desk.',
  '404E1': 'Your knowledge base account is inactive (404E1). Ask the knowledge base administrator to reactivate it.',
  '404E2': 'You have no knowledge base account and it cannot be created automatically (404E2). Ask the knowledge base administrator for one.',
  '500E1': 'The knowledge base has a database problem (500E1). Try again later.',
  '503E1': 'Single sign-on to the knowledge base is switched off (503E1). Tell your IT service desk.',
};

/** The same sentences in _locales, which the extension shows; the English above is the broker's fallback. */
export const PHPKB_ERROR_KEYS = {
  '400E1': 'launchPhpkb400E1',
  '400E2': 'launchPhpkb400E2',
  '400E3': 'launchPhpkb400E3',
  '400E4': 'launchPhpkb400E4',
  '401E1': 'launchPhpkb401E1',
  '401E2': 'launchPhpkb401E2',
  '404E1': 'launchPhpkb404E1',
  '404E2': 'launchPhpkb404E2',
  '500E1': 'launchPhpkb500E1',
  '503E1': 'launchPhpkb503E1',
} as const satisfies Record<string, MessageKey>;

/** Finds a documented code in an error answer (JSON `code`, or the code anywhere in the text). */
export function phpkbErrorCode(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    if (typeof parsed.code === 'string' && Object.hasOwn(PHPKB_ERROR_SENTENCES, parsed.code)) return parsed.code;
  } catch {
    // Not JSON: look in the text.
  }
  for (const match of body.matchAll(/\b(\d{3}E\d)\b/g)) {
    if (Object.hasOwn(PHPKB_ERROR_SENTENCES, match[1]!)) return match[1]!;
  }
  return null;
}
