import { afterAll, beforeAll, beforeEach, describe, type TestOptions } from 'vitest';
import { LOOPBACK_HTTP_ALLOWED } from '../../src/shared/secure-url';
import { startSandbox, type Sandbox } from './server';
import type { ServerName } from './types';

/** Helpers for the sandbox's own tests: control API calls and reading data-testid values. */

export async function control(baseUrl: string, endpoint: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', body?: unknown): Promise<Response> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  return fetch(`${baseUrl}/__sandbox/${endpoint}`, init);
}

export async function resetAll(urls: Record<ServerName, string>): Promise<void> {
  await Promise.all(Object.values(urls).map(async (url) => expect200(await control(url, 'reset', 'POST'))));
}

async function expect200(response: Response): Promise<void> {
  if (response.status !== 200) throw new Error(`control call failed: ${response.status} ${await response.text()}`);
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Text of the element carrying data-testid="<id>" (elements with plain text content only). */
export function testId(html: string, id: string): string | undefined {
  const match = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1]);
}

/** The cookie pair ("name=value") from a Set-Cookie header, to send back in a Cookie header. */
export function cookiePair(response: Response): string {
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

export const SANDBOX_SKIP_REASON = 'uses the partner sandbox on http://127.0.0.1: runs with the sandbox URL rules (npm run test:unit), not the production ones';
const LOOPBACK_SKIP_REASON = 'needs servers on http://127.0.0.1, which the production URL rules refuse: runs under npm run test:unit';

/** describe for a suite whose servers listen on http://127.0.0.1: skipped, saying why, under the production URL rules. */
export function describeOnLoopback(name: string, ...rest: [() => void] | [TestOptions, () => void]): void {
  if (LOOPBACK_HTTP_ALLOWED) describe(name, ...(rest as [TestOptions, () => void]));
  else describe.skip(`${name} (skipped: ${LOOPBACK_SKIP_REASON})`, ...(rest as [TestOptions, () => void]));
}

/**
 * One sandbox for a test file: started before its tests, closed after them, and every server reset before
 * each test, so no test sees another's faults, settings, tokens or sessions.
 */
export function useSandbox(): { readonly urls: Record<ServerName, string> } {
  let sandbox: Sandbox | undefined;
  if (!LOOPBACK_HTTP_ALLOWED) {
    // The sandbox's partners listen on http://127.0.0.1, which the production URL rules refuse, so the tests
    // of a file that uses it cannot pass there (npm run test:unit:prod); they run under npm run test:unit.
    // Hooks that only read an address still run: they get one that no test will reach.
    beforeEach((context) => context.skip(SANDBOX_SKIP_REASON));
    const unused = new Proxy({} as Record<ServerName, string>, { get: (_target, name) => `https://${String(name)}.sandbox-not-started.invalid` });
    return { urls: unused };
  }
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(async () => {
    if (sandbox) await resetAll(sandbox.urls);
  });
  return {
    get urls() {
      if (!sandbox) throw new Error('the sandbox is not running (use it inside tests or hooks)');
      return sandbox.urls;
    },
  };
}

/** A fixture the test relies on, or a clear failure when the fixtures change. */
export function fixture<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`sandbox fixture missing: ${what}`);
  return value;
}
