/**
 * The connectors' fetch in the broker: node:http(s) over kept-alive connections. Node's global fetch cost the
 * broker a fifth of its CPU in a Parchment launch (bench:broker, BENCH_CPU_PROF), and a plain request about a
 * third of that. It does only what partnerFetch asks of fetch (src/connectors/partner-fetch.ts): a method,
 * headers, a string or form body, a signal, and never following a redirect (the 3xx is answered as it came, as
 * fetch does with redirect: 'manual'). Anything else goes to the global fetch unchanged.
 */
import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** A partner's answer is small JSON; a bigger one is refused rather than held in memory. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** Decodes as a Response's text() does: UTF-8, a leading byte order mark dropped, bad bytes replaced. */
const UTF8 = new TextDecoder();
/** Statuses whose Response has no body. */
const NULL_BODY = new Set([204, 205, 304]);

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * A Response whose body is already in memory. Undici's Response wraps any body in a web stream, and reading it back
 * goes through that stream: 7.6% of the broker's CPU in Parchment launches (bench:broker, BENCH_CPU_PROF, the broker
 * on a core of its own). This one keeps the bytes and answers the readers from them; `body` still gives a stream,
 * made only when asked for. A body is read once, as with any Response.
 */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer> | null;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer> | null, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      const bytes = this.#bytes;
      // Nothing is pulled until it is read (high-water mark 0): a stream read or cancelled has spent the body.
      this.#stream =
        bytes === null
          ? null
          : new ReadableStream<Uint8Array<ArrayBuffer>>(
              {
                pull: (controller) => {
                  this.#used = true;
                  // A copy: the bytes may sit in Node's shared allocation pool, which a reader could see through `.buffer`.
                  if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
                  controller.close();
                },
                cancel: () => {
                  this.#used = true;
                },
              },
              { highWaterMark: 0 },
            );
    }
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used || this.#stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    // A stream handed out but never read is spent with the body, as a Response's own would be.
    if (this.#stream) void this.#stream.cancel();
    this.#used = true;
    return this.#bytes ?? new Uint8Array(0);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return UTF8.decode(this.#take());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  override async blob(): Promise<Blob> {
    // Rarely wanted; Response's own gives the type its MIME serialisation.
    return new Response(this.#take(), { headers: this.headers }).blob();
  }

  override clone(): Response {
    if (this.#used || this.#stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes && new Uint8Array(this.#bytes), { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

function simpleBody(body: RequestInit['body']): body is string | URLSearchParams | null | undefined {
  return body == null || typeof body === 'string' || body instanceof URLSearchParams;
}

function decode(encoding: string | undefined, raw: Buffer): Buffer {
  const options = { maxOutputLength: MAX_ANSWER_BYTES };
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return raw;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw, options);
    case 'deflate':
      return inflateSync(raw, options);
    case 'br':
      return brotliDecompressSync(raw, options);
    default:
      throw new TypeError('fetch failed: unsupported content-encoding');
  }
}

export const partnerHttp: typeof fetch = (input, init = {}) => {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  const manual = init.redirect === 'manual';
  if (!url || !manual || !simpleBody(init.body) || (url.protocol !== 'http:' && url.protocol !== 'https:')) return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);

  const headers = new Headers(init.headers);
  let payload: Buffer | undefined;
  if (typeof init.body === 'string') {
    payload = Buffer.from(init.body);
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  } else if (init.body instanceof URLSearchParams) {
    payload = Buffer.from(init.body.toString());
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  }
  if (!headers.has('accept')) headers.set('accept', '*/*');
  headers.set('accept-encoding', 'gzip, deflate, br');
  if (payload) headers.set('content-length', String(payload.length));
  const method = (init.method ?? 'GET').toUpperCase();

  return new Promise<Response>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method, headers: Object.fromEntries(headers), agent: agents[url.protocol as 'http:' | 'https:'], ...(signal ? { signal } : {}) },
      (answer) => {
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) answer.destroy(new TypeError('fetch failed: the answer is too large'));
          else chunks.push(chunk);
        });
        answer.on('error', reject);
        // Cut off mid-answer (the signal fired, the partner hung up): a rejection, as fetch's body would give.
        answer.on('close', () => {
          if (!answer.complete) reject(signal?.aborted ? signal.reason : new TypeError('fetch failed: the answer was cut off'));
        });
        answer.on('end', () => {
          const status = answer.statusCode ?? 0;
          if (status < 200 || status > 599) return reject(new TypeError('fetch failed: unexpected status'));
          try {
            const received = new Headers();
            for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) received.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
            const body = NULL_BODY.has(status) || method === 'HEAD' ? null : (decode(received.get('content-encoding') ?? undefined, Buffer.concat(chunks)) as Uint8Array<ArrayBuffer>);
            resolve(new BufferedResponse(body, { status, statusText: answer.statusMessage ?? '', headers: received }));
          } catch (error) {
            reject(error instanceof Error ? error : new TypeError('fetch failed'));
          }
        });
      },
    );
    request.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
    request.end(payload);
  });
};
