import { LaunchError } from '../shared/launch-error';

/**
 * fetch for partner APIs: never follows redirects, and turns network failures and time-outs into errors a
 * clinician can read. The URL is deliberately left out of every message.
 */
export async function partnerFetch(
  fetchImpl: typeof fetch,
  partnerName: string,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, redirect: 'error', credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    if (init.signal?.aborted) {
      throw new LaunchError('partner-timeout', `${partnerName} did not answer in time. Try again; if it keeps happening, tell your IT service desk.`);
    }
    throw new LaunchError('partner-unreachable', `${partnerName} could not be reached. Check your network connection and try again.`);
  }
}

/** Reads a JSON body; a truncated or non-JSON answer becomes a readable error. */
export async function readJson(response: Response, partnerName: string): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new LaunchError('partner-bad-answer', `${partnerName} sent an answer EHR Launchpad could not read (HTTP ${response.status}). Try again.`);
  }
}

/** Partner-supplied text, made safe to show: single line, bounded. */
export function partnerText(text: string, max = 160): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
