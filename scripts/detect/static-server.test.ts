import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, fileForRequest, serveFolder, type StaticServer } from './static-server';

describe('request paths', () => {
  it('stay inside the folder', () => {
    expect(fileForRequest('/srv/pages', '/banner.html')).toBe('/srv/pages/banner.html');
    expect(fileForRequest('/srv/pages', '/frames/banner%20one.html?x=1')).toBe('/srv/pages/frames/banner one.html');
    // The URL parser removes dot segments before the path is looked at; encoded slashes are caught after decoding.
    expect(fileForRequest('/srv/pages', '/../secret.txt')).toBe('/srv/pages/secret.txt');
    expect(fileForRequest('/srv/pages', '/..%2fsecret.txt')).toBeNull();
    expect(fileForRequest('/srv/pages', '/frames/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeNull();
    expect(fileForRequest('/srv/pages', '/a%00.html')).toBeNull();
    expect(fileForRequest('/srv/pages', '/%E0%A4%A')).toBeNull();
    expect(fileForRequest('/srv/pages', '/')).toBeNull();
  });

  it('have content types by extension', () => {
    expect(contentTypeFor('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.bin')).toBe('application/octet-stream');
  });
});

describe('the folder server', () => {
  let dir: string;
  let server: StaticServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'detect-serve-'));
    await mkdir(join(dir, 'pages/frames'), { recursive: true });
    await writeFile(join(dir, 'pages/banner.html'), '<p>banner</p>');
    await writeFile(join(dir, 'pages/frames/app.js'), 'void 0;');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    await symlink(join(dir, 'secret.txt'), join(dir, 'pages/link.txt'));
    server = await serveFolder(join(dir, 'pages'));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves files with their types', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${server.origin}/banner.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<p>banner</p>');
    const script = await fetch(`${server.origin}/frames/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for missing files, folders and anything outside the folder, links included', async () => {
    for (const path of ['/missing.html', '/frames', '/', '/%2e%2e/secret.txt', '/link.txt']) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await fetch(`${server.origin}/banner.html`, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await fetch(`${server.origin}/banner.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
