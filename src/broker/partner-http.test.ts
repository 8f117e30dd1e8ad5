import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerFetch } from '../connectors/partner-fetch';
import { MAX_ANSWER_BYTES, partnerHttp } from './partner-http';

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
