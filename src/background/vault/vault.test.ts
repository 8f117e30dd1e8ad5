import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartnerConfig } from '../../shared/config';
import { sealBinding } from './seal-binding';
import type { KeyStore } from './vault-crypto';

const local = new Map<string, unknown>();
let partners: Record<string, unknown>[] = [];

vi.mock('../../shared/browser-api', () => ({
  browser: {
    storage: {
      local: {
        get: async (key: string) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
      managed: { get: async () => ({}) },
    },
  },
}));
vi.mock('../settings/settings', () => ({ configItem: { get: async () => ({ partners }) } }));
vi.mock('./idb-key-store', () => {
  let stored: CryptoKey | undefined;
  return { idbKeyStore: (): KeyStore => ({ load: async () => stored, save: async (key) => (stored ??= key) }) };
});

const { vault, migrateUnboundSecrets, sealer } = await import('./vault');

const parchment = (apiBaseUrl: string) => ({
  kind: 'parchment',
  id: 'parchment',
  label: 'Parchment',
  apiBaseUrl,
  portalOrigin: 'https://portal.parchment.example',
  partnerId: 'p1',
  organizationId: 'o1',
});

describe('partner secrets are bound to the partner\'s addresses', () => {
  beforeEach(() => {
    local.clear();
    partners = [parchment('https://api.parchment.example/external')];
  });

  it('opens for the address it was entered for', async () => {
    await vault.setSecret('parchment', 'partnerSecret', 's3cret');
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({ partnerSecret: 's3cret' });
    expect((await vault.secretStatus()).set).toEqual({ parchment: ['partnerSecret'] });
  });

  it('does not open once the partner points at another server, and is shown as not set', async () => {
    await vault.setSecret('parchment', 'partnerSecret', 's3cret');
    partners = [parchment('https://attacker.example/external')];
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({});
    expect((await vault.secretStatus()).set).toEqual({});
  });

  it('does not open after a change of the launch address either', async () => {
    await vault.setSecret('parchment', 'partnerSecret', 's3cret');
    partners = [{ ...parchment('https://api.parchment.example/external'), portalOrigin: 'https://elsewhere.example' }];
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({});
  });

  it('opens again when the address is put back (the binding is to the address, not to a moment)', async () => {
    await vault.setSecret('parchment', 'partnerSecret', 's3cret');
    partners = [parchment('https://attacker.example/external')];
    partners = [parchment('https://api.parchment.example/external/')];
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({ partnerSecret: 's3cret' });
  });

  it('never opens a secret sealed to its slot only (before binding) on a launch\'s path', async () => {
    local.set('vault', { 'parchment/partnerSecret': await sealer.seal('old', 'parchment/partnerSecret') });
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({});
  });

  it('the update migration binds old secrets to the partner as configured, and drops those of partners gone', async () => {
    local.set('vault', {
      'parchment/partnerSecret': await sealer.seal('old', 'parchment/partnerSecret'),
      'gone/partnerSecret': await sealer.seal('x', 'gone/partnerSecret'),
    });
    expect(await migrateUnboundSecrets()).toBe(1);
    expect(Object.keys(local.get('vault') as object)).toEqual(['parchment/partnerSecret']);
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({ partnerSecret: 'old' });
    partners = [parchment('https://attacker.example/external')];
    expect(await vault.secretsFor('parchment', ['partnerSecret'])).toEqual({});
  });
});

describe('sealBinding', () => {
  it('names the kind and every origin, sorted, whatever the order or path', () => {
    expect(sealBinding(parchment('https://api.parchment.example/external') as unknown as PartnerConfig)).toBe(
      'kind=parchment;origins=https://api.parchment.example https://portal.parchment.example',
    );
  });

  it('binds an unknown kind to no origins', () => {
    expect(sealBinding({ kind: 'nobody' } as unknown as PartnerConfig)).toBe('kind=nobody;origins=');
  });
});
