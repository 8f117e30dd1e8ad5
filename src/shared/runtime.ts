import { browserApi as api } from './browser-api';

/**
 * The few runtime calls every context makes (send a message, answer one, read a UI string). Each looks the
 * namespace up at the call, so tests can put a fake browser in place after import. Listeners answer through
 * sendResponse, which both Chromium and Firefox honour (a returned promise answers only in Firefox and newer
 * Chromium).
 */

type Sender = chrome.runtime.MessageSender;

export function runtimeId(): string {
  return api().runtime.id;
}

export function sendMessage(message: unknown): Promise<unknown> {
  return api().runtime.sendMessage(message) as Promise<unknown>;
}

export function uiString(key: string, substitutions?: string | string[]): string {
  return api().i18n.getMessage(key, substitutions);
}

/** Listens for messages; a listener that returns a promise answers with what it resolves to, otherwise not at all. */
export function onMessage(listener: (message: unknown, sender: Sender) => Promise<unknown> | undefined): void {
  api().runtime.onMessage.addListener((message: unknown, sender: Sender, sendResponse: (answer?: unknown) => void) => {
    const answer = listener(message, sender);
    if (!answer) return false;
    answer.then(sendResponse, () => sendResponse(undefined));
    return true;
  });
}
