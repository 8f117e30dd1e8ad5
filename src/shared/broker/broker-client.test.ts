import { decodeProtectedHeader, decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLaunchError, type LaunchError } from '../launch-error';
import { launchThroughBroker, type BrokerLaunchInput } from './broker-client';
import type { DpopKey } from './dpop-proof';

const BROKER = 'https://broker.example.nhs.uk';
const patient = { nhsNumber: '9434765919', birthDate: '1985-03-12', name: { family: 'Smith', given: 'Ann' } };

let dpop: DpopKey;
beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: false });
  dpop = { key: pair.privateKey as CryptoKey, jwk: (await exportJWK(pair.publicKey)) as JWK, alg: 'ES256' };
});

function launch(fetchImpl: typeof fetch, overrides: Partial<BrokerLaunchInput> = {}) {
  return launchThroughBroker({ brokerUrl: BROKER, partnerId: 'parchment', patient, accessToken: 'access-token-1', dpop, fetch: fetchImpl, signal: new AbortController().signal, now: Date.now, ...overrides });
}

const answering = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => (async () => new Response(body, { status, headers })) as typeof fetch;

async function failure(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLaunchError(error)) throw new Error(`expected a LaunchError, got ${String(error)}`);
  return error;
}

describe('launchThroughBroker', () => {
  it('sends the patient with a DPoP proof for exactly this request, and gives back the instruction', async () => {
    let sent: { url: string; init: RequestInit } | undefined;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      sent = { url, init };
      return new Response(JSON.stringify({ instruction: { open: 'https://portal.example/sso?token=x' }, notice: 'Opened.', expiresAt: 1_900_000_000_000 }), { status: 200 });
    }) as unknown as typeof fetch;
    const output = await launch(fetchImpl);
    expect(output).toEqual({ instruction: { open: 'https://portal.example/sso?token=x' }, notice: 'Opened.', expiresAt: 1_900_000_000_000 });
    expect(sent!.url).toBe(`${BROKER}/v1/launch`);
    expect(sent!.init).toMatchObject({ method: 'POST', credentials: 'omit' });
    expect(JSON.parse(sent!.init.body as string)).toEqual({ partnerId: 'parchment', patient });
    const headers = sent!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('DPoP access-token-1');
    expect(decodeProtectedHeader(headers.dpop!)).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(decodeJwt(headers.dpop!)).toMatchObject({ htm: 'POST', htu: `${BROKER}/v1/launch` });
  });

  it('passes on the broker\'s problem code with its message, cut to a readable length', async () => {
    const short = await failure(launch(answering(502, JSON.stringify({ code: 'partner-timeout', message: 'Parchment did not answer in time.' }))));
    expect(short).toMatchObject({ code: 'broker-partner-timeout', message: 'Parchment did not answer in time.' });
    // A long message keeps its code (which the extension words itself) rather than becoming "unreachable".
    const long = await failure(launch(answering(403, JSON.stringify({ code: 'identity-incomplete', message: 'x'.repeat(2000) }))));
    expect(long.code).toBe('broker-identity-incomplete');
    expect(long.message).toHaveLength(300);
  });

  it.each([502, 503, 504])('a %i with no problem document is a gateway with no broker behind it: unreachable', async (status) => {
    expect(await failure(launch(answering(status, '<html>Bad gateway</html>', { 'content-type': 'text/html' })))).toMatchObject({ code: 'broker-unreachable', wording: ['launchBrokerUnreachable'] });
  });

  it('a 500 with no problem document is the broker failing, not being out of reach', async () => {
    expect(await failure(launch(answering(500, '')))).toMatchObject({ code: 'broker-failed', wording: ['launchBrokerFailed'] });
  });

  it('a 4xx with no problem document is a refusal', async () => {
    expect(await failure(launch(answering(404, 'Not Found', { 'content-type': 'text/plain' })))).toMatchObject({ code: 'broker-refused' });
  });

  it.each([
    ['not JSON', '<html>ok</html>'],
    ['no instruction', JSON.stringify({ notice: 'hello' })],
    ['an instruction of another shape', JSON.stringify({ instruction: { post: 'https://portal.example/' } })],
    ['extra keys', JSON.stringify({ instruction: { open: 'https://portal.example/' }, token: 'leak' })],
  ])('a 200 with %s is a bad answer (the caller checks a well-formed one against its allow-list)', async (_, body) => {
    expect(await failure(launch(answering(200, body)))).toMatchObject({ code: 'broker-bad-answer' });
  });

  it('no connection is unreachable; the launch\'s time running out is a time-out', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await failure(launch(refused))).toMatchObject({ code: 'broker-unreachable' });

    const controller = new AbortController();
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_, reject) => {
        const abort = () => reject(new DOMException('aborted', 'AbortError'));
        if (init.signal!.aborted) abort();
        else init.signal!.addEventListener('abort', abort);
      })) as unknown as typeof fetch;
    const pending = launch(hanging, { signal: controller.signal });
    controller.abort(new DOMException('The launch took too long.', 'TimeoutError'));
    expect(await failure(pending)).toMatchObject({ code: 'broker-timeout', wording: ['launchBrokerTimeout'] });
  });

  it('an answer cut off while it arrives is no answer', async () => {
    const cut = (async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"instruction":'));
            controller.error(new TypeError('terminated'));
          },
        }),
        { status: 200 },
      )) as typeof fetch;
    expect(await failure(launch(cut))).toMatchObject({ code: 'broker-unreachable' });
  });

  it('never puts the access token, the proof or the instruction in an error', async () => {
    const errors = await Promise.all([
      failure(launch(answering(500, JSON.stringify({ code: 'internal', message: 'The launch broker failed.' })))),
      failure(launch(answering(200, JSON.stringify({ instruction: { open: 'https://portal.example/sso?token=secret-url' }, extra: 1 })))),
      failure(launch(answering(503, ''))),
    ]);
    for (const error of errors) expect(`${error.message} ${error.code} ${JSON.stringify(error.wording)}`).not.toMatch(/access-token-1|secret-url|eyJ/);
  });
});
