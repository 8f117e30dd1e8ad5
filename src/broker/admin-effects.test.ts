import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { signInAt } from '../../tests/sandbox/org-idp-window';
import { control, describeOnLoopback, useSandbox } from '../../tests/sandbox/test-kit';
import { launchThroughBroker } from '../shared/broker/broker-client';
import { dpopProof, type DpopKey } from '../shared/broker/dpop-proof';
import { isLaunchError } from '../shared/launch-error';
import { runAdmin } from './admin-commands';
import { installationKey, jones, patient } from './broker-test-fixtures';
import { buildBroker } from './server';
import { readSettings } from './settings';
import { openStore, type BrokerStore } from './store/store';

/**
 * What the administrator's commands do to running brokers: an installation unenrolled is refused by every
 * instance at its next launch, and the key-encryption key is rotated (BROKER_KEK_PREVIOUS, rewrap-keys) with the
 * same signing key throughout.
 */


interface Running {
  url: string;
  close(): Promise<void>;
}

// Brokers open PGlite (seconds, more while other test files run): generous limits.
describeOnLoopback('broker administration, seen by running brokers', { timeout: 120_000 }, () => {
  const sandbox = useSandbox();
  const logs: string[] = [];
  let token = '';
  let key: DpopKey;

  /** One broker instance on `store`, listening on a port of its own. */
  async function start(store: BrokerStore, env: NodeJS.ProcessEnv = {}, document: Record<string, unknown> = {}): Promise<Running> {
    const settings = await readSettings({ ...sandboxBrokerEnv(sandbox.urls, { document }), ...env });
    const app = await buildBroker({ settings, store, logStream: new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }) });
    const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
    settings.publicUrl = url;
    return { url, close: () => app.close() };
  }

  const launch = (broker: Running, partnerId: string) =>
    launchThroughBroker({ brokerUrl: broker.url, partnerId, patient, accessToken: token, dpop: key, fetch, signal: AbortSignal.timeout(20_000), now: Date.now });

  async function refusalCode(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(() => undefined, (cause: unknown) => cause);
    if (!isLaunchError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error.code;
  }

  /** A Black Pear launch through `broker`, accepted by Black Pear; answers the kid that signed its token. */
  async function blackPearKid(broker: Running): Promise<string> {
    await control(sandbox.urls['black-pear'], 'settings', 'POST', { jwks: [], jwksUrls: [`${broker.url}/.well-known/jwks.json`] });
    const output = await launch(broker, 'black-pear');
    if (!('post' in output.instruction)) throw new Error('expected a form');
    // Black Pear checks the signature against the broker's JWKS.
    const response = await fetch(output.instruction.post, { method: 'POST', body: new URLSearchParams(output.instruction.fields), redirect: 'manual' });
    expect(response.status).toBe(302);
    return decodeProtectedHeader(output.instruction.fields.subject_token!).kid!;
  }

  beforeAll(async () => {
    key = await installationKey();
  });
  beforeEach(async () => {
    token = (await signInAt(sandbox.urls['org-idp'], jones.username)).accessToken!;
  });
  afterAll(() => {
    // No token or proof in any line the brokers logged.
    const text = logs.join('');
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('an installation unenrolled is refused by every instance at its next launch', async () => {
    const store = await openStore({});
    // Instances sharing a store share its key-encryption key too.
    const shared = { BROKER_KEK: randomBytes(32).toString('base64url') };
    const [a, b] = [await start(store, shared, { enrolment: 'required' }), await start(store, shared, { enrolment: 'required' })];
    try {
      const installation = await calculateJwkThumbprint(key.jwk);
      expect(await refusalCode(launch(a, 'knowledge-base'))).toBe('broker-installation_not_enrolled');
      await store.enrol(installation, 'Ward 7 PC 12');
      await launch(a, 'knowledge-base');
      await launch(b, 'knowledge-base');
      expect(await store.unenrol(installation)).toBe(true);
      expect(await refusalCode(launch(b, 'knowledge-base'))).toBe('broker-installation_not_enrolled');
      expect(await refusalCode(launch(a, 'knowledge-base'))).toBe('broker-installation_not_enrolled');
      // As the API answers it: 403 with the reason's code, and no instruction.
      const proof = await dpopProof(key, { method: 'POST', url: `${a.url}/v1/launch`, accessToken: token, nowMs: Date.now() });
      const response = await fetch(`${a.url}/v1/launch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `DPoP ${token}`, dpop: proof }, body: JSON.stringify({ partnerId: 'knowledge-base', patient }) });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ code: 'installation_not_enrolled', message: expect.any(String) });
    } finally {
      await a.close();
      await b.close();
      await store.close();
    }
  });

  it('BROKER_KEK is rotated with no downtime: both keys, rewrap-keys, the new key alone; the signing key is the same throughout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'broker-kek-'));
    const [kekA, kekB, kekC] = [0, 1, 2].map(() => randomBytes(32).toString('base64url')) as [string, string, string];
    /** A broker on the data directory with these keys; runs `use` with it, then closes it (one process per directory). */
    async function withBroker<T>(keks: NodeJS.ProcessEnv, use: (broker: Running) => Promise<T>): Promise<T> {
      const store = await openStore({ dataDir: dir });
      try {
        const broker = await start(store, { BROKER_DATA_DIR: dir, ...keks });
        try {
          return await use(broker);
        } finally {
          await broker.close();
        }
      } finally {
        await store.close();
      }
    }
    const printed: string[] = [];
    try {
      const kid = await withBroker({ BROKER_KEK: kekA }, blackPearKid);
      expect(await withBroker({ BROKER_KEK: kekB, BROKER_KEK_PREVIOUS: kekA }, blackPearKid)).toBe(kid);
      expect(await runAdmin(['rewrap-keys'], { BROKER_DATA_DIR: dir, BROKER_KEK: kekB, BROKER_KEK_PREVIOUS: kekA }, (line) => printed.push(line))).toBe(0);
      expect(printed.join('\n')).toMatch(/^Sealed 1 signing key again under BROKER_KEK; 0 already were\./);
      expect(await withBroker({ BROKER_KEK: kekB }, blackPearKid)).toBe(kid);
      // The old key alone, or another, no longer opens them: the start is refused, saying why.
      for (const kek of [kekA, kekC]) {
        const refusal = await withBroker({ BROKER_KEK: kek }, async () => undefined).then(() => undefined, (error: unknown) => error as Error);
        expect(refusal?.message).toBe('The signing keys in the database cannot be opened with this BROKER_KEK (it was changed, or not set when they were made).');
      }
      const wrongPair = await withBroker({ BROKER_KEK: kekC, BROKER_KEK_PREVIOUS: kekA }, async () => undefined).then(() => undefined, (error: unknown) => error as Error);
      expect(wrongPair?.message).toMatch(/cannot be opened with this BROKER_KEK or BROKER_KEK_PREVIOUS/);
      const everything = [...logs, ...printed].join('\n');
      for (const kek of [kekA, kekB, kekC]) expect(everything).not.toContain(kek);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
