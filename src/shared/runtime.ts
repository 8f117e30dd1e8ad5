/**
 * The few runtime calls every context makes (send a message, answer one, read a UI string), on the browser's own
 * API. Content scripts run on every EHR page and are kept small: the full polyfill would add about 3 KB gzipped
 * there for calls that Chromium and Firefox both already offer with promises in Manifest V3 (an onMessage
 * listener answers through sendResponse in both).
 */

type Sender = chrome.runtime.MessageSender;

function api(): typeof chrome {
  return (globalThis as { browser?: typeof chrome }).browser ?? chrome;
}

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
