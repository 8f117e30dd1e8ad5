import { sendMessage, uiString } from './runtime';
import type { Answer, AnswerOf, BackgroundMessageType, PayloadOf } from './protocol';

/** A refusal or failure the background answered with; `message` is written for the clinician. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends one message of the protocol to the background and unwraps its answer. */
export async function sendToBackground<T extends BackgroundMessageType>(
  type: T,
  payload: PayloadOf<T>,
): Promise<AnswerOf<T>> {
  let answer: Answer<AnswerOf<T>> | undefined;
  try {
    answer = (await sendMessage({ type, payload })) as Answer<AnswerOf<T>> | undefined;
  } catch {
    throw new MessageError('unreachable', uiString('errorUnreachable') || 'EHR Launchpad is not responding.');
  }
  if (!answer || typeof answer !== 'object') throw new MessageError('no-answer', 'EHR Launchpad did not answer.');
  if (!answer.ok) throw new MessageError(answer.error.code, answer.error.message);
  return answer.data;
}
