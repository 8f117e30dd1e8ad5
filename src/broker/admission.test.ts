import { calculateJwkThumbprint, decodeJwt } from 'jose';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { signInAt } from '../../tests/sandbox/org-idp-window';
import { describeOnLoopback, useSandbox } from '../../tests/sandbox/test-kit';
import { dpopProof, type DpopKey } from '../shared/broker/dpop-proof';
import { installationKey, jones, patient } from './broker-test-fixtures';
import { buildBroker } from './server';
import { readSettings } from './settings';
import { openStore, type BrokerStore } from './store/store';

/**
 * What a request costs the database and the identity provider. A token this instance verified within the last
 * minute needs no provider: its proof's jti, the enrolment and both rate counters are one store call (one
 * statement on PostgreSQL). A token it
 * does not know is shown to the provider only once the jti is spent and the enrolment holds.
 */
describeOnLoopback('broker admission', { timeout: 60_000 }, () => {
  const sandbox = useSandbox();
  let url = '';
  let store: BrokerStore;
  let close: () => Promise<void> = async () => undefined;
  let key: DpopKey;
  /** Store methods called, in order. */
  const statements: string[] = [];
  /** Requests to the identity provider (discovery, userinfo). */
  const providerCalls: string[] = [];

  async function start(document: Record<string, unknown> = {}) {
    const settings = await readSettings(sandboxBrokerEnv(sandbox.urls, { document }));
    const opened = await openStore({});
    store = new Proxy(opened, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          statements.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const provider = new URL(sandbox.urls['org-idp']).origin;
    const fetchSpy: typeof fetch = (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (new URL(target).origin === provider) providerCalls.push(new URL(target).pathname);
      return fetch(input, init);
    };
    const app = await buildBroker({ settings, store, fetch: fetchSpy, logStream: { write: () => undefined } });
    url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
    settings.publicUrl = url;
    close = async () => {
      await app.close();
      await opened.close();
    };
    statements.length = 0;
    providerCalls.length = 0;
  }

  const send = async (token: string, proof?: string) => {
    const response = await fetch(`${url}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `DPoP ${token}`, dpop: proof ?? (await dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: token, nowMs: Date.now() })) },
      body: JSON.stringify({ partnerId: 'knowledge-base', patient }),
    });
    return { status: response.status, code: ((await response.json()) as { code?: string }).code };
  };

  beforeEach(async () => {
    key = await installationKey();
  });
  afterEach(async () => close());

  it('a known token costs two store calls per launch (admission, audit: two statements on PostgreSQL) and no provider call', async () => {
    await start();
    const token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
    // First sight of the token: the jti is spent before the provider is asked, then the counters.
    expect(await send(token)).toMatchObject({ status: 200 });
    expect(statements).toEqual(['admit', 'hitMany', 'appendAudit']);
    expect(providerCalls.filter((path) => !path.includes('.well-known'))).toHaveLength(1);
    statements.length = 0;
    providerCalls.length = 0;
    expect(await send(token)).toMatchObject({ status: 200 });
    expect(statements).toEqual(['admit', 'appendAudit']);
    expect(providerCalls).toEqual([]);
  });

  it('a replayed proof is refused without asking the provider, whether the token is known or not, and is not counted', async () => {
    await start({ rateLimits: { perClinicianPerMinute: 2, perInstallationPerMinute: 100 } });
    const token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
    const proof = await dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: token, nowMs: Date.now() });
    // The proof's jti already used (by another instance, say): this instance has never seen the token.
    const { jti } = decodeJwt(proof) as { jti: string };
    expect(await store.useJti(jti, Date.now() + 300_000)).toBe(true);
    expect(await send(token, proof)).toEqual({ status: 401, code: 'invalid_dpop_proof' });
    expect(providerCalls).toEqual([]);
    // Known once launched; a proof replayed then is refused in the one statement, with no provider call.
    const fresh = await dpopProof(key, { method: 'POST', url: `${url}/v1/launch`, accessToken: token, nowMs: Date.now() });
    expect(await send(token, fresh)).toMatchObject({ status: 200 });
    providerCalls.length = 0;
    for (let i = 0; i < 3; i += 1) expect(await send(token, fresh)).toEqual({ status: 401, code: 'invalid_dpop_proof' });
    expect(providerCalls).toEqual([]);
    // The replays were not counted: the clinician's second launch of the minute is allowed, the third is not.
    expect(await send(token)).toMatchObject({ status: 200 });
    expect(await send(token)).toEqual({ status: 429, code: 'rate_limited' });
  });

  it('with enrolment required, an unenrolled installation is refused without asking the provider, and is not counted', async () => {
    await start({ enrolment: 'required', rateLimits: { perClinicianPerMinute: 2, perInstallationPerMinute: 100 } });
    const token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
    expect(await send(token)).toEqual({ status: 403, code: 'installation_not_enrolled' });
    expect(providerCalls).toEqual([]);
    const installation = await calculateJwkThumbprint(key.jwk);
    await store.enrol(installation, 'Ward 7 PC 12');
    expect(await send(token)).toMatchObject({ status: 200 });
    await store.unenrol(installation);
    // Known token, unenrolled again: refused, and the clinician's count (limit 2) is not spent by the refusals.
    for (let i = 0; i < 3; i += 1) expect(await send(token)).toEqual({ status: 403, code: 'installation_not_enrolled' });
    await store.enrol(installation, 'Ward 7 PC 12');
    expect(await send(token)).toMatchObject({ status: 200 });
    expect(await send(token)).toEqual({ status: 429, code: 'rate_limited' });
  });
});
