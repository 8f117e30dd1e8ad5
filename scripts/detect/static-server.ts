import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, relative, resolve, sep, isAbsolute } from 'node:path';

/**
 * Serves one folder's files on 127.0.0.1 at a free port, so every page of the folder (and the same-origin
 * iframes they load) shares one origin. Files only: no listings, nothing outside the folder (by path or by
 * symbolic link), GET and HEAD only.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a request path names inside `root`, or null when it would leave the folder or cannot be decoded. */
export function fileForRequest(root: string, requestUrl: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(new URL(requestUrl, 'http://127.0.0.1').pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveFolder(folder: string): Promise<StaticServer> {
  const root = await realpath(folder);
  const prefix = root.endsWith(sep) ? root : root + sep;
  const server: Server = createServer((request, response) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'Method not allowed');
    const file = fileForRequest(root, request.url ?? '/');
    if (!file) return send(404, 'Not found');
    void (async () => {
      try {
        // The real path must stay inside the folder too: a symbolic link cannot lead out of it.
        const real = await realpath(file);
        if (!real.startsWith(prefix)) return send(404, 'Not found');
        const info = await stat(real);
        if (!info.isFile()) return send(404, 'Not found');
        response.writeHead(200, { 'content-type': contentTypeFor(real), 'content-length': info.size, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        if (request.method === 'HEAD') return response.end();
        createReadStream(real).on('error', () => response.destroy()).pipe(response);
      } catch {
        send(404, 'Not found');
      }
    })();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
