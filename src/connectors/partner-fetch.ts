import { LaunchError } from '../shared/launch-error';

/**
 * fetch for partner APIs: never follows redirects, and turns network failures, redirects and time-outs into
 * errors a clinician can read. The URL is deliberately left out of every message.
 */
export async function partnerFetch(
  fetchImpl: typeof fetch,
  partnerName: string,
  url: string,
  init: RequestInit,
  /** True to accept (opaquely) that the partner answered with a redirect, without following it. */
  redirectIsAnswer = false,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, redirect: 'manual', credentials: 'omit', cache: 'no-store' });
  } catch {
    if (init.signal?.aborted) {
      throw new LaunchError('partner-timeout', `${partnerName} did not answer in time. Try again; if it keeps happening, tell your IT service desk.`, ['launchPartnerTimeout', partnerName]);
    }
    throw new LaunchError('partner-unreachable', `${partnerName} could not be reached. Check your network connection and try again.`, ['launchPartnerUnreachable', partnerName]);
  }
  const redirected = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
  if (redirected && !redirectIsAnswer) {
    throw new LaunchError('partner-bad-answer', `${partnerName} answered with a redirect where an answer was expected. Tell your IT service desk: the configured address may be wrong.`, ['launchPartnerRedirected', partnerName]);
  }
  return response;
}

/** Reads a JSON body; a truncated or non-JSON answer becomes a readable error. */
export async function readJson(response: Response, partnerName: string): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new LaunchError('partner-bad-answer', `${partnerName} sent an answer EHR Launchpad could not read (HTTP ${response.status}). Try again.`, ['launchPartnerBadAnswer', partnerName]);
  }
}

/** Reads an error answer's body if it can: an error keeps its status whatever its body. */
export async function readErrorBody(response: Response): Promise<{ text: string; json: unknown }> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // A cut-off error body still has its status.
  }
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    return { text, json: undefined };
  }
}

/**
 * Runs `work` (a partner call, its answer read too) with a signal that fires at the launch's deadline or after this
 * partner's own time limit, whichever is first. The timer ends with the work: AbortSignal.timeout would keep it, and
 * the signals it feeds, alive for the full limit after every call (thousands at once in a busy launch broker).
 */
export async function withTimeout<T>(signal: AbortSignal, timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException('The partner did not answer in time.', 'TimeoutError')), timeoutMs);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', follow);
  }
}

/** Waits, unless the signal fires first. */
export function sleep(ms: number, signal: AbortSignal, partnerName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new LaunchError('partner-timeout', `${partnerName} did not answer in time. Try again; if it keeps happening, tell your IT service desk.`, ['launchPartnerTimeout', partnerName]));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}
