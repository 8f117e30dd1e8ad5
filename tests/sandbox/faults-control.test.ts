import { describe, expect, it } from 'vitest';
import { FaultTable, parseFaultRules, readFaultEnvironment } from './faults';
import { PARCHMENT } from './fixtures';
import { startSandbox } from './server';
import { control, useSandbox } from './test-kit';
import { SERVER_NAMES } from './types';

const sandbox = useSandbox();

const ssoRequest = (): RequestInit => ({
  method: 'POST',
  headers: {
    'x-partner-id': PARCHMENT.partnerId,
    'x-partner-secret': PARCHMENT.partnerSecret,
    'x-organization-id': PARCHMENT.organizationId,
    'x-organization-secret': PARCHMENT.organizationSecret,
    'x-user-id': 'usr_8f3k2j1m9q',
    'content-type': 'application/json',
  },
  body: JSON.stringify({ redirect_path: '/dashboard' }),
});
const ssoUrl = () => `${sandbox.urls['parchment-api']}/external/v1/sso`;

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, performance.now() - started];
}

describe('control API', () => {
  it('answers health on every server', async () => {
    for (const name of SERVER_NAMES) {
      const response = await control(sandbox.urls[name], 'health');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, server: name });
    }
  });

  it('rejects malformed fault rules, unknown endpoints and wrong methods', async () => {
    const ehr = sandbox.urls.ehr;
    expect((await control(ehr, 'faults', 'POST', { path: 'no-slash', status: 500 })).status).toBe(400);
    expect((await control(ehr, 'faults', 'POST', { path: '/', status: 99 })).status).toBe(400);
    expect((await control(ehr, 'faults', 'POST', { path: '/' })).status).toBe(400);
    expect((await control(ehr, 'faults', 'POST', [{ path: '/', status: 500 }, { path: '/', bogus: true }])).status).toBe(400);
    expect(await (await control(ehr, 'faults')).json()).toEqual([]);
    expect((await control(ehr, 'latency', 'POST', { ms: -1 })).status).toBe(400);
    expect((await control(ehr, 'nope')).status).toBe(404);
    expect((await control(ehr, 'health', 'DELETE')).status).toBe(405);
  });

  it('records requests with selected headers, but not control calls', async () => {
    await fetch(ssoUrl(), { ...ssoRequest(), headers: { ...(ssoRequest().headers as Record<string, string>), referer: 'http://127.0.0.1/ehr', 'x-trace': 'abc' } });
    await fetch(`${sandbox.urls['parchment-api']}/external/v1/sso?probe=1`);
    const log = (await (await control(sandbox.urls['parchment-api'], 'requests')).json()) as Array<{
      method: string;
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
      body: string;
      status: number;
      time: string;
    }>;
    expect(log).toHaveLength(2);
    const [post, get] = log;
    expect(post).toMatchObject({ method: 'POST', path: '/external/v1/sso', status: 200, body: '{"redirect_path":"/dashboard"}' });
    expect(post?.headers).toMatchObject({ referer: 'http://127.0.0.1/ehr', 'content-type': 'application/json', 'x-trace': 'abc', 'x-user-id': 'usr_8f3k2j1m9q' });
    expect(Date.parse(post?.time ?? '')).not.toBeNaN();
    expect(get).toMatchObject({ method: 'GET', status: 405, query: { probe: '1' } });

    await control(sandbox.urls['parchment-api'], 'requests', 'DELETE');
    expect(await (await control(sandbox.urls['parchment-api'], 'requests')).json()).toEqual([]);
  });
});

describe('fault injection', () => {
  it('delays matching requests, and only those', async () => {
    await control(sandbox.urls.ehr, 'faults', 'POST', { path: '/patients/*', delayMs: 100 });
    const [slow, slowMs] = await timed(() => fetch(`${sandbox.urls.ehr}/patients/9990000018`));
    expect(slow.status).toBe(200);
    await slow.text();
    expect(slowMs).toBeGreaterThanOrEqual(95);
    const [, fastMs] = await timed(async () => (await fetch(`${sandbox.urls.ehr}/`)).text());
    expect(fastMs).toBeLessThan(90);
    // Control requests are never delayed.
    const [, controlMs] = await timed(() => control(sandbox.urls.ehr, 'health'));
    expect(controlMs).toBeLessThan(90);
  });

  it('applies global latency to every non-control request', async () => {
    await control(sandbox.urls.phpkb, 'latency', 'POST', { ms: 100 });
    const [, ms] = await timed(async () => (await fetch(`${sandbox.urls.phpkb}/`)).text());
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(await (await control(sandbox.urls.phpkb, 'latency')).json()).toEqual({ ms: 100 });
  });

  it('removes a rule after `times` uses and matches on method', async () => {
    await control(sandbox.urls.ehr, 'faults', 'POST', [
      { path: '/', method: 'post', status: 418 },
      { path: '/', status: 503, times: 2 },
    ]);
    expect((await fetch(`${sandbox.urls.ehr}/`)).status).toBe(503);
    expect((await fetch(`${sandbox.urls.ehr}/`)).status).toBe(503);
    expect((await fetch(`${sandbox.urls.ehr}/`)).status).toBe(200);
    expect((await fetch(`${sandbox.urls.ehr}/`, { method: 'POST' })).status).toBe(418);
    expect(await (await control(sandbox.urls.ehr, 'faults')).json()).toEqual([{ path: '/', method: 'POST', status: 418 }]);
  });

  it('injects 429 with a default Retry-After in the Parchment error format', async () => {
    await control(sandbox.urls['parchment-api'], 'faults', 'POST', { path: '/external/v1/sso', status: 429, times: 1 });
    const limited = await fetch(ssoUrl(), ssoRequest());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await limited.json()).toMatchObject({ success: false, error: { type: 'https://parchment.health/errors/too-many-requests' } });
    expect((await fetch(ssoUrl(), ssoRequest())).status).toBe(200);
  });

  it('keeps Retry-After and body given by the rule', async () => {
    await control(sandbox.urls['parchment-api'], 'faults', 'POST', { path: '/external/*', status: 429, headers: { 'Retry-After': '7' }, body: 'slow down', times: 1 });
    const limited = await fetch(ssoUrl(), ssoRequest());
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.text()).toBe('slow down');
  });

  it('uses an HTML page for injected errors on web servers', async () => {
    await control(sandbox.urls.phpkb, 'faults', 'POST', { path: '/sso.php', status: 502, times: 1 });
    const response = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=login`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('data-testid="error-status">502<');
  });

  it('truncates a real response body and drops the connection', async () => {
    await control(sandbox.urls['parchment-api'], 'faults', 'POST', { path: '/external/v1/sso', truncate: true, times: 1 });
    const response = await fetch(ssoUrl(), ssoRequest());
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    const log = (await (await control(sandbox.urls['parchment-api'], 'requests')).json()) as Array<{ fault?: string }>;
    expect(log[0]?.fault).toBe('truncate');
    expect((await fetch(ssoUrl(), ssoRequest())).status).toBe(200);
  });

  it('truncates an injected error body too', async () => {
    await control(sandbox.urls.ehr, 'faults', 'POST', { path: '/', status: 500, truncate: true, times: 1 });
    const response = await fetch(`${sandbox.urls.ehr}/`);
    expect(response.status).toBe(500);
    await expect(response.text()).rejects.toThrow();
  });

  it('reset restores the start state', async () => {
    await control(sandbox.urls.ehr, 'faults', 'POST', { path: '/', status: 500 });
    await control(sandbox.urls.ehr, 'latency', 'POST', { ms: 50 });
    await control(sandbox.urls.ehr, 'reset', 'POST');
    expect(await (await control(sandbox.urls.ehr, 'health')).json()).toMatchObject({ latencyMs: 0, faults: 0 });
    expect((await fetch(`${sandbox.urls.ehr}/`)).status).toBe(200);
  });
});

describe('fault rules and environment', () => {
  it('parses SANDBOX_LATENCY_MS and SANDBOX_FAULTS', () => {
    const env = readFaultEnvironment({
      SANDBOX_LATENCY_MS: '25',
      SANDBOX_FAULTS: JSON.stringify({ phpkb: [{ path: '/sso.php', status: 503 }], 'parchment-api': { path: '/external/*', delayMs: 10 } }),
    });
    expect(env.latencyMs).toBe(25);
    expect(env.rules.phpkb).toEqual([{ path: '/sso.php', status: 503 }]);
    expect(env.rules['parchment-api']).toEqual([{ path: '/external/*', delayMs: 10 }]);
    expect(() => readFaultEnvironment({ SANDBOX_FAULTS: '{"nope":[]}' })).toThrow(/unknown server/);
    expect(() => readFaultEnvironment({ SANDBOX_FAULTS: 'not json' })).toThrow(/JSON/);
    expect(() => readFaultEnvironment({ SANDBOX_LATENCY_MS: 'fast' })).toThrow(/SANDBOX_LATENCY_MS/);
  });

  it('applies environment faults at start and restores them on reset', async () => {
    const previous = process.env['SANDBOX_FAULTS'];
    process.env['SANDBOX_FAULTS'] = JSON.stringify({ ehr: [{ path: '/', status: 503 }] });
    const own = await startSandbox({ quiet: true });
    try {
      expect((await fetch(`${own.urls.ehr}/`)).status).toBe(503);
      await control(own.urls.ehr, 'faults', 'DELETE');
      expect((await fetch(`${own.urls.ehr}/`)).status).toBe(200);
      await control(own.urls.ehr, 'reset', 'POST');
      expect((await fetch(`${own.urls.ehr}/`)).status).toBe(503);
    } finally {
      if (previous === undefined) delete process.env['SANDBOX_FAULTS'];
      else process.env['SANDBOX_FAULTS'] = previous;
      await own.close();
    }
  });

  it('matches exact paths and prefixes, first rule wins', () => {
    const table = new FaultTable();
    table.add(parseFaultRules([{ path: '/a/*', status: 500 }, { path: '/a/b', status: 404 }]));
    expect(table.take('GET', '/a/b')?.status).toBe(500);
    expect(table.take('GET', '/a')).toBeUndefined();
    expect(table.take('GET', '/a/')?.status).toBe(500);
  });

  it('refuses hosts other than loopback and closes cleanly with open keep-alive sockets', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1/);
    const own = await startSandbox({ quiet: true });
    await (await fetch(`${own.urls.ehr}/`)).text();
    const [, ms] = await timed(() => own.close());
    expect(ms).toBeLessThan(1000);
  });
});
