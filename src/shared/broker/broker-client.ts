import type { LaunchOutput } from '../../connectors/connector';
import { LaunchError } from '../launch-error';
import type { PatientContext } from '../patient';
import { brokerProblemSchema, launchAnswerSchema } from './broker-api';
import { dpopProof, type DpopKey } from './dpop-proof';

/**
 * The extension's side of the launch broker: one POST per launch, authenticated by the clinician's verified
 * sign-in (the access token) bound to this installation's key (DPoP). The answer is a launch instruction the
 * caller still checks against its own allow-list before opening anything.
 */

/** What of a problem's message is kept. */
const MESSAGE_MAX = 300;

export interface BrokerLaunchInput {
  brokerUrl: string;
  partnerId: string;
  patient: PatientContext;
  accessToken: string;
  dpop: DpopKey;
  fetch: typeof fetch;
  signal: AbortSignal;
  now: () => number;
}

const UNREACHABLE = "Your organisation's launch broker could not be reached, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.";
const TIMED_OUT = "Your organisation's launch broker did not answer in time, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.";
const FAILED = "Your organisation's launch broker failed, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.";

/** What a proxy or load balancer in front of the broker answers when no instance is there to answer. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

function noAnswer(signal: AbortSignal): LaunchError {
  return signal.aborted ? new LaunchError('broker-timeout', TIMED_OUT, ['launchBrokerTimeout']) : new LaunchError('broker-unreachable', UNREACHABLE, ['launchBrokerUnreachable']);
}

export async function launchThroughBroker(input: BrokerLaunchInput): Promise<LaunchOutput> {
  const url = `${input.brokerUrl}/v1/launch`;
  const { patient } = input;
  const body = {
    partnerId: input.partnerId,
    patient: { nhsNumber: patient.nhsNumber, ...(patient.birthDate ? { birthDate: patient.birthDate } : {}), ...(patient.name ? { name: patient.name } : {}) },
  };
  let response: Response;
  try {
    response = await input.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `DPoP ${input.accessToken}`,
        dpop: await dpopProof(input.dpop, { method: 'POST', url, accessToken: input.accessToken, nowMs: input.now() }),
      },
      body: JSON.stringify(body),
      signal: input.signal,
      credentials: 'omit',
    });
  } catch {
    throw noAnswer(input.signal);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    // The answer was cut off (or the launch's time ran out while it came): nothing usable arrived.
    throw noAnswer(input.signal);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = brokerProblemSchema.safeParse(json);
    // The broker's message is the English fallback; the extension words the code (background/broker/broker-wording.ts).
    if (problem.success) throw new LaunchError(`broker-${problem.data.code}`.slice(0, 64), problem.data.message.slice(0, MESSAGE_MAX), ['launchBrokerRefused']);
    // No problem document: a gateway's own page when no instance answered behind it, or the broker failing outright.
    if (GATEWAY_STATUSES.has(response.status)) throw new LaunchError('broker-unreachable', UNREACHABLE, ['launchBrokerUnreachable']);
    if (response.status >= 500) throw new LaunchError('broker-failed', FAILED, ['launchBrokerFailed']);
    throw new LaunchError('broker-refused', "Your organisation's launch broker refused the launch. Tell your IT service desk.", ['launchBrokerRefused']);
  }
  const answer = launchAnswerSchema.safeParse(json);
  if (!answer.success) throw new LaunchError('broker-bad-answer', "Your organisation's launch broker answered with something that is not a launch, so nothing was opened. Tell your IT service desk.", ['launchBrokerBadAnswer']);
  return { instruction: answer.data.instruction, ...(answer.data.notice ? { notice: answer.data.notice } : {}), ...(answer.data.expiresAt ? { expiresAt: answer.data.expiresAt } : {}) };
}
