import { backgroundProtocol, MAX_MESSAGE_BYTES, type Answer, type AnswerOf, type BackgroundMessageType, type PayloadOf } from '../../shared/protocol';
import { t } from '../../shared/i18n';
import { isLaunchError } from '../../shared/launch-error';
import { launchErrorText } from '../../shared/launch-error-text';
import { verifySender, type RawSender, type SenderRules, type VerifiedSender } from './sender';

/** One handler per message of the protocol; the compiler checks that none is missing. */
export type HandlerMap = {
  [T in BackgroundMessageType]: (
    payload: PayloadOf<T>,
    sender: Extract<VerifiedSender, { kind: (typeof backgroundProtocol)[T]['from'] }>,
  ) => Promise<AnswerOf<T>>;
};

function refuse(code: string, message: string): Answer<never> {
  return { ok: false, error: { code, message } };
}

function byteLength(message: unknown): number {
  try {
    return JSON.stringify(message)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Validates every incoming message (size, name, shape, sender) before any handler runs, so a refused message
 * has no side effect. Handler errors become answers; only LaunchError messages (written for clinicians) are
 * passed on, anything else is reported generically so no internal detail leaks to a page.
 */
export function createRouter(handlers: HandlerMap, rules: SenderRules, onUnexpected?: (error: unknown) => void) {
  return async function route(message: unknown, rawSender: RawSender): Promise<Answer<unknown>> {
    if (byteLength(message) > MAX_MESSAGE_BYTES) return refuse('too-large', t('routerTooLarge'));
    if (!message || typeof message !== 'object' || Array.isArray(message)) return refuse('malformed', t('routerMalformed'));
    const { type, payload, ...rest } = message as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return refuse('malformed', t('routerMalformed'));
    if (typeof type !== 'string' || !Object.hasOwn(backgroundProtocol, type)) {
      return refuse('unknown-message', t('routerUnknownMessage'));
    }
    const entry = backgroundProtocol[type as BackgroundMessageType];
    const sender = await verifySender(rawSender, rules);
    if (!sender || sender.kind !== entry.from) return refuse('sender-refused', t('routerNotAllowed'));
    const parsed = entry.payload.safeParse(payload);
    if (!parsed.success) return refuse('malformed', t('routerMalformed'));
    const handler = handlers[type as BackgroundMessageType] as (p: unknown, s: VerifiedSender) => Promise<unknown>;
    try {
      return { ok: true, data: await handler(parsed.data, sender) };
    } catch (error) {
      if (isLaunchError(error)) return refuse(error.code, launchErrorText(error));
      onUnexpected?.(error);
      return refuse('internal', t('routerInternal'));
    }
  };
}
