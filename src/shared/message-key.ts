/**
 * The name of a message in public/_locales (en is the default locale, so every key exists there). Type-only:
 * nothing of the JSON reaches a bundle.
 */
export type MessageKey = keyof typeof import('../../public/_locales/en/messages.json');
