import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PKB } from '../../../tests/sandbox/pkb-fixtures';
import { signInThroughPkb } from '../../../tests/sandbox/pkb-browser';
import { fixture, useSandbox } from '../../../tests/sandbox/test-kit';
import type { ClinicianProfile } from '../../shared/clinician';
import { LaunchError } from '../../shared/launch-error';
import { patientsKnowBestConfigSchema, patientsKnowBestConnector, type PatientsKnowBestConfig } from '../../connectors/patients-know-best';
import { patientsKnowBestPairing } from '../../connectors/patients-know-best-pairing';
import type { ListableArea } from '../storage/key-value-area';
import { createTokenVault, memoryLocks, type RefreshCall } from './token-vault';
import { createSealer, type KeyStore } from './vault-crypto';

/**
 * The token vault against the real PKB simulator (oidc-provider with rotating refresh tokens): single-flight
 * refresh, rotation saved before use, no retry loop on a refused refresh token, and no token in clear at rest.
 */

const sandbox = useSandbox();
let base: string;
beforeAll(() => {
  base = sandbox.urls.pkb;
});
const JONES = fixture(PKB.clinicians[0], 'dr.jones');
const SMITH = fixture(PKB.patients[0], 'patient 1');
const KEY = { partnerId: 'pkb', clinician: JONES.username };

function memoryArea(log?: string[], name = ''): ListableArea & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    keys: async () => [...map.keys()],
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => {
      log?.push(`${name}.set ${k}`);
      map.set(k, structuredClone(v));
    },
    remove: async (k) => void map.delete(k),
  };
}

function memoryKeys(): KeyStore {
  let key: CryptoKey | undefined;
  return { load: async () => key, save: async (k) => (key ??= k) };
}

function config(): PatientsKnowBestConfig {
  return patientsKnowBestConfigSchema.parse({ kind: 'pkb', id: 'pkb', label: 'Patients Know Best', baseUrl: base, clientId: PKB.userClientId, scope: PKB.scope });
}

function setup(now = Date.now, binding?: (partnerId: string) => Promise<string | undefined>, sealer = createSealer(memoryKeys())) {
  const log: string[] = [];
  const local = memoryArea(log, 'local');
  const session = memoryArea(log, 'session');
  const vault = createTokenVault({ local, session, sealer, locks: memoryLocks(), now, ...(binding ? { binding } : {}) });
  const fetchSpy = vi.fn<typeof fetch>((...args) => globalThis.fetch(...args));
  const refreshCall: RefreshCall = { label: 'Patients Know Best', pairing: patientsKnowBestPairing as never, config: config(), fetch: fetchSpy, signal: AbortSignal.timeout(10_000) };
  return { vault, local, session, log, fetchSpy, refreshCall, sealer };
}

async function pairInto(vault: ReturnType<typeof setup>['vault']) {
  const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
  const tokens = await patientsKnowBestPairing.complete({ config: config(), pending, callbackUrl: await signInThroughPkb(pending.url, JONES.username), fetch: globalThis.fetch, signal: AbortSignal.timeout(10_000) });
  await vault.savePairing(KEY, tokens);
  return tokens;
}

async function stats(): Promise<{ tokenRequests: Record<string, number>; otpMinted: number }> {
  return (await fetch(`${base}/_sandbox/stats`)).json() as never;
}

/** Moves the vault's clock past the access token's expiry. */
function clock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
}

describe('token vault', () => {
  it('keeps the refresh token sealed at rest and the access token only in session storage', async () => {
    const { vault, local, session } = setup();
    const tokens = await pairInto(vault);
    expect(await vault.state(KEY)).toBe('paired');
    expect(JSON.stringify([...local.map])).not.toContain(tokens.refreshToken);
    expect(JSON.stringify([...local.map])).not.toContain(tokens.accessToken);
    expect(JSON.stringify([...session.map])).toContain(tokens.accessToken);
  });

  it('ten launches at once on an expired access token make exactly one refresh request', async () => {
    const time = clock();
    const { vault, refreshCall } = setup(time.now);
    await pairInto(vault);
    time.advance(60 * 60 * 1000);
    const input = (i: number) => ({
      config: config(),
      secrets: {},
      clinician: { displayName: JONES.name, username: JONES.username } as ClinicianProfile,
      patient: { nhsNumber: SMITH.nhsNumber, name: { family: SMITH.family, given: `${SMITH.given}${i}` } },
      fetch: globalThis.fetch,
      signal: AbortSignal.timeout(10_000),
      now: Date.now,
      accessToken: (rejected?: string) => vault.accessToken(KEY, refreshCall, rejected),
    });
    const launches = await Promise.all(Array.from({ length: 10 }, (_, i) => patientsKnowBestConnector.buildLaunch(input(i))));
    expect(new Set(launches.map((l) => (l.instruction as { open: string }).open)).size).toBe(10);
    const counted = await stats();
    expect(counted.tokenRequests.refresh_token).toBe(1);
    expect(counted.otpMinted).toBe(10);
  });

  it('saves the rotated refresh token before the new access token is stored or used', async () => {
    const time = clock();
    const { vault, refreshCall, log } = setup(time.now);
    await pairInto(vault);
    log.length = 0;
    time.advance(60 * 60 * 1000);
    await vault.accessToken(KEY, refreshCall);
    expect(log).toEqual(['local.set pairing:pkb/dr.jones', 'session.set accessToken:pkb/dr.jones']);
  });

  it('a worker restart keeps the pairing: a new vault on the same storage and key refreshes with the saved token', async () => {
    const time = clock();
    const keys = memoryKeys();
    const local = memoryArea();
    const before = createTokenVault({ local, session: memoryArea(), sealer: createSealer(keys), locks: memoryLocks(), now: time.now });
    await pairInto(before);
    time.advance(60 * 60 * 1000);
    // A new worker: nothing in memory, session storage kept (it survives the worker), key reloaded from IndexedDB.
    const after = createTokenVault({ local, session: memoryArea(), sealer: createSealer(keys), locks: memoryLocks(), now: time.now });
    expect(await after.state(KEY)).toBe('paired');
    expect(await after.accessToken(KEY, setup().refreshCall)).toBeTruthy();
    // Another installation's key cannot open the sealed token: that is a re-pair, not a crash.
    const foreign = createTokenVault({ local, session: memoryArea(), sealer: createSealer(memoryKeys()), locks: memoryLocks(), now: time.now });
    await expect(foreign.accessToken(KEY, setup().refreshCall)).rejects.toMatchObject({ code: 're-pair-needed' });
  });

  it('a refused refresh token marks "re-pair needed" once and never retries', async () => {
    const time = clock();
    const { vault, refreshCall, fetchSpy } = setup(time.now);
    await pairInto(vault);
    await fetch(`${base}/_sandbox/revoke-refresh-tokens`, { method: 'POST' });
    time.advance(60 * 60 * 1000);
    await expect(vault.accessToken(KEY, refreshCall)).rejects.toMatchObject({ code: 're-pair-needed' });
    expect(await vault.state(KEY)).toBe('re-pair-needed');
    await expect(vault.accessToken(KEY, refreshCall)).rejects.toBeInstanceOf(LaunchError);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect((await stats()).tokenRequests.refresh_token).toBe(1);
  });

  it('a token the partner rejected is replaced even before its expiry; a replacement made meanwhile is reused', async () => {
    const { vault, refreshCall, fetchSpy } = setup();
    const tokens = await pairInto(vault);
    const fresh = await vault.accessToken(KEY, refreshCall, tokens.accessToken);
    expect(fresh).not.toBe(tokens.accessToken);
    // A second caller that saw the old token rejected gets the replacement, without another refresh.
    expect(await vault.accessToken(KEY, refreshCall, tokens.accessToken)).toBe(fresh);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('unpair and sign-out forget pairings and answer the refresh tokens for revocation', async () => {
    const { vault, local, session } = setup();
    const tokens = await pairInto(vault);
    expect(await vault.removeAll()).toEqual([{ partnerId: 'pkb', refreshToken: tokens.refreshToken }]);
    expect(local.map.size).toBe(0);
    expect(session.map.size).toBe(0);
    expect(await vault.state(KEY)).toBe('not-paired');
    await expect(vault.accessToken(KEY, setup().refreshCall)).rejects.toMatchObject({ code: 'pairing-needed' });
  });
});

describe('refresh tokens are bound to the partner\'s addresses', () => {
  it('a pairing made for one token endpoint is never refreshed at another: it needs a re-pair', async () => {
    let binding = 'kind=pkb;origins=https://pkb.example';
    const time = clock();
    const { vault, refreshCall, fetchSpy } = setup(time.now, async () => binding);
    await pairInto(vault);
    expect(await vault.state(KEY)).toBe('paired');
    binding = 'kind=pkb;origins=https://attacker.example';
    time.advance(60 * 60 * 1000);
    expect(await vault.state(KEY)).toBe('re-pair-needed');
    await expect(vault.accessToken(KEY, refreshCall)).rejects.toMatchObject({ code: 're-pair-needed' });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await vault.remove(KEY)).toBeUndefined();
  });

  it('the update migration binds an older pairing to the partner as configured, and drops pairings of partners gone', async () => {
    const sealer = createSealer(memoryKeys());
    const before = setup(Date.now, undefined, sealer);
    await pairInto(before.vault);
    before.local.map.set('pairing:gone/x', { clinician: 'x', pairedAt: 1, refreshToken: await sealer.seal('t', 'gone/x') });
    const binding = async (partnerId: string) => (partnerId === KEY.partnerId ? 'kind=pkb;origins=https://pkb.example' : undefined);
    const after = createTokenVault({ local: before.local, session: before.session, sealer, locks: memoryLocks(), binding });
    expect(await after.state(KEY)).toBe('re-pair-needed');
    expect(await after.migrateUnbound()).toBe(1);
    expect(await after.state(KEY)).toBe('paired');
    expect(before.local.map.has('pairing:gone/x')).toBe(false);
  });
});
