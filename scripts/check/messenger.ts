import type { Page } from '@playwright/test';

/**
 * Sends the extension's own messages (src/shared/protocol.ts) from one of its pages, exactly as the options page
 * and popup do: the background checks each against its schema and answers `{ ok, data }` or `{ ok, error }`.
 */

export class RefusedMessage extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Messenger {
  constructor(readonly page: Page) {}

  async send<T = unknown>(type: string, payload: Record<string, unknown>): Promise<T> {
    const answer = (await this.page.evaluate(async (message) => chrome.runtime.sendMessage(message), { type, payload })) as
      | { ok: true; data: T }
      | { ok: false; error: { code: string; message: string } }
      | undefined;
    if (!answer || typeof answer !== 'object') throw new RefusedMessage('no-answer', `the extension did not answer ${type}`);
    if (!answer.ok) throw new RefusedMessage(answer.error.code, answer.error.message);
    return answer.data;
  }
}
