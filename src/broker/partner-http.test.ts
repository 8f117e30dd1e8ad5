import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerFetch } from '../connectors/partner-fetch';
import { BufferedResponse, MAX_ANSWER_BYTES, partnerHttp } from './partner-http';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/json': (res) => res.writeHead(200, { 'content-type': 'application/json', 'x-partner': 'a' }).end('{"redirect_url":"https://portal.example/x"}'),
  '/moved': (res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
  '/empty': (res) => res.writeHead(204).end(),
  '/problem': (res) => res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"error":{"type":"user_not_found"}}'),
  '/gzip': (res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' }).end(gzipSync('{"ok":true}')),
  '/huge': (res) => res.writeHead(200).end(Buffer.alloc(MAX_ANSWER_BYTES + 1, 97)),
  '/cookies': (res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(200).end('ok');
  },
  '/slow': (res) => void setTimeout(() => res.writeHead(200).end('late'), 2_000),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      (routes[req.url!] ?? ((r: ServerResponse) => r.writeHead(500).end()))(res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const manual = (init: RequestInit = {}): RequestInit => ({ ...init, redirect: 'manual' });

describe('partnerHttp (the broker connectors’ fetch)', () => {
  it('sends the method, headers and body, and answers status, headers and JSON as fetch would', async () => {
    const response = await partnerHttp(`${base}/json`, manual({ method: 'POST', headers: { 'x-partner-id': 'p-1', 'content-type': 'application/json' }, body: '{"redirect_path":"/p"}' }));
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-partner')).toBe('a');
    expect(await response.json()).toEqual({ redirect_url: 'https://portal.example/x' });
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/json', body: '{"redirect_path":"/p"}' });
    expect(request.headers).toMatchObject({ 'x-partner-id': 'p-1', 'content-type': 'application/json', 'content-length': '22', accept: '*/*' });
  });

  it('gives a form body its content type, and a text body its own', async () => {
    await partnerHttp(`${base}/json`, manual({ method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) }));
    expect(seen.at(-1)).toMatchObject({ body: 'a=1&b=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } });
    await partnerHttp(`${base}/json`, manual({ method: 'POST', body: 'plain' }));
    expect(seen.at(-1)!.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('answers a redirect as it came, never following it, and partnerFetch refuses it', async () => {
    const response = await partnerHttp(`${base}/moved`, manual());
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
    await expect(partnerFetch(partnerHttp, 'Partner', `${base}/moved`, {})).rejects.toMatchObject({ code: 'partner-bad-answer' });
  });

  it('answers 204 with no body, an error status with its body, and several Set-Cookie headers', async () => {
    const empty = await partnerHttp(`${base}/empty`, manual());
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const problem = await partnerHttp(`${base}/problem`, manual());
    expect(problem.status).toBe(404);
    expect(await problem.json()).toEqual({ error: { type: 'user_not_found' } });
    expect((await partnerHttp(`${base}/cookies`, manual())).headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('decodes a compressed answer', async () => {
    expect(await (await partnerHttp(`${base}/gzip`, manual())).json()).toEqual({ ok: true });
  });

  it('refuses an answer over the size limit, and partnerFetch says it could not be reached', async () => {
    await expect(partnerHttp(`${base}/huge`, manual())).rejects.toThrow(/too large/);
    await expect(partnerFetch(partnerHttp, 'Partner', `${base}/huge`, {})).rejects.toMatchObject({ code: 'partner-unreachable' });
  });

  it('stops at the signal, and partnerFetch names it a time-out', async () => {
    await expect(partnerHttp(`${base}/slow`, manual({ signal: AbortSignal.timeout(100) }))).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(partnerFetch(partnerHttp, 'Partner', `${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ code: 'partner-timeout' });
    const aborted = AbortSignal.abort();
    await expect(partnerHttp(`${base}/json`, manual({ signal: aborted }))).rejects.toBe(aborted.reason);
  });

  it('fails as fetch does when nothing listens', async () => {
    await expect(partnerFetch(partnerHttp, 'Partner', 'http://127.0.0.1:1/x', {})).rejects.toMatchObject({ code: 'partner-unreachable' });
  });

  it('leaves to the global fetch what it does not do itself: following redirects', async () => {
    const followed = await partnerHttp(`${base}/moved`).catch((error: unknown) => error);
    // The global fetch followed the redirect to port 1, where nothing listens.
    expect(followed).toBeInstanceOf(TypeError);
  });
});

describe('BufferedResponse (an answer already in memory)', () => {
  const init = { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json; charset=utf-8' } };
  // A byte order mark, non-ASCII text, and a byte that is not UTF-8: every reader must agree with Response's own.
  const bytes = () => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"name":"Zoë Ó"}')]);
  const both = () => [new Response(bytes(), init), new BufferedResponse(bytes(), init)] as const;

  it('reads as a Response with the same bytes reads, by every reader', async () => {
    for (const read of [(r: Response) => r.text(), (r: Response) => r.json(), async (r: Response) => [...new Uint8Array(await r.arrayBuffer())], async (r: Response) => [...(await r.bytes())]]) {
      const [plain, buffered] = both();
      expect(await read(buffered)).toEqual(await read(plain));
    }
    const [plain, buffered] = both();
    const [a, b] = [await plain.blob(), await buffered.blob()];
    expect([b.type, b.size, await b.text()]).toEqual([a.type, a.size, await a.text()]);
    const broken = [0x7b, 0xff, 0x7d];
    expect(await new BufferedResponse(new Uint8Array(broken), init).text()).toBe(await new Response(new Uint8Array(broken), init).text());
  });

  it('is a Response, with its status, headers and kind', () => {
    const [plain, buffered] = both();
    expect(buffered).toBeInstanceOf(Response);
    for (const key of ['status', 'statusText', 'ok', 'type', 'url', 'redirected'] as const) expect(buffered[key]).toEqual(plain[key]);
    expect(buffered.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('is read once, as a Response is, and a clone is read on its own', async () => {
    const [, buffered] = both();
    const copy = buffered.clone();
    expect(buffered.bodyUsed).toBe(false);
    expect(await buffered.json()).toEqual({ name: 'Zoë Ó' });
    expect(buffered.bodyUsed).toBe(true);
    await expect(buffered.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => buffered.clone()).toThrow(TypeError);
    expect(await copy.json()).toEqual({ name: 'Zoë Ó' });
  });

  it('gives its bytes as a stream when asked: reading or cancelling it spends the body, as with a Response', async () => {
    for (const [plain, buffered] of [both(), both()]) {
      expect(buffered.body).toBe(buffered.body);
      const readers = [plain.body!.getReader(), buffered.body!.getReader()];
      // Locked but not yet read: not used, and not readable another way.
      expect([plain.bodyUsed, buffered.bodyUsed]).toEqual([false, false]);
      await expect(buffered.text()).rejects.toBeInstanceOf(TypeError);
      const read = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
        const chunks: number[] = [];
        for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(...part.value);
        return chunks;
      };
      expect(await read(readers[1]!)).toEqual(await read(readers[0]!));
      expect([plain.bodyUsed, buffered.bodyUsed]).toEqual([true, true]);
    }
    for (const [plain, buffered] of [both()]) {
      await plain.body!.cancel();
      await buffered.body!.cancel();
      expect([plain.bodyUsed, buffered.bodyUsed]).toEqual([true, true]);
      await expect(plain.text()).rejects.toBeInstanceOf(TypeError);
      await expect(buffered.text()).rejects.toBeInstanceOf(TypeError);
    }
    // Asked for but left alone, the stream does not stop the body being read.
    const [plain, buffered] = both();
    void plain.body;
    void buffered.body;
    expect(await buffered.text()).toBe(await plain.text());
    expect(buffered.bodyUsed).toBe(true);
  });

  it('rejects a body that is not JSON as a Response does, and an empty answer has no body', async () => {
    await expect(new BufferedResponse(new TextEncoder().encode('<html>'), init).json()).rejects.toBeInstanceOf(SyntaxError);
    const empty = new BufferedResponse(null, { status: 204 });
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe('');
  });
});
