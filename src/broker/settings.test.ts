import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { readSettings, SettingsError } from './settings';

// https addresses, so the test holds under the production URL rules as well as the sandbox ones.
const urls = Object.fromEntries(['ehr', 'parchment-api', 'parchment-portal', 'phpkb', 'black-pear', 'nhs-login', 'nhs-login-rp2', 'pkb', 'ehr-banner', 'org-idp'].map((name) => [name, `https://${name}.example.test`])) as Parameters<typeof sandboxBrokerEnv>[0];

describe('broker settings', () => {
  it('reads the document and each partner secret from the environment, never from the document', async () => {
    const settings = await readSettings(sandboxBrokerEnv(urls));
    expect(settings.document.partners.map((p) => p.id)).toEqual(['parchment', 'knowledge-base', 'black-pear']);
    expect(Object.keys(settings.secrets.parchment!).sort()).toEqual(['organizationSecret', 'partnerSecret']);
    expect(settings.trustProxy).toBe(false);
    expect(settings.ephemeralKek).toBe(true);
  });

  it('refuses what cannot work, saying what is wrong', async () => {
    const env = sandboxBrokerEnv(urls);
    await expect(readSettings({ ...env, BROKER_SECRET_PARCHMENT_PARTNERSECRET: '' })).rejects.toThrow(/Missing partner secrets: parchment.partnerSecret/);
    await expect(readSettings({ ...env, DATABASE_URL: 'postgres://x@127.0.0.1/y' })).rejects.toThrow(/BROKER_KEK is required/);
    await expect(readSettings({ ...env, BROKER_KEK: 'short' })).rejects.toThrow(/32 bytes/);
    const document = JSON.parse(env.BROKER_CONFIG_JSON!) as { partners: unknown[] };
    await expect(readSettings({ ...env, BROKER_CONFIG_JSON: JSON.stringify({ ...document, partners: [...document.partners, document.partners[0]] }) })).rejects.toThrow(/used by two partners/);
    await expect(readSettings({ ...env, BROKER_CONFIG_JSON: '{' })).rejects.toBeInstanceOf(SettingsError);
  });

  it('reads BROKER_KEK_PREVIOUS while BROKER_KEK is being rotated, and refuses one that cannot be right, without quoting either', async () => {
    const env = sandboxBrokerEnv(urls);
    const a = randomBytes(32).toString('base64url');
    const b = randomBytes(32).toString('base64url');
    const rotating = await readSettings({ ...env, BROKER_KEK: b, BROKER_KEK_PREVIOUS: a });
    expect(Buffer.from(rotating.kek).toString('base64url')).toBe(b);
    expect(Buffer.from(rotating.previousKek!).toString('base64url')).toBe(a);
    expect(rotating.ephemeralKek).toBe(false);
    expect((await readSettings({ ...env, BROKER_KEK: b })).previousKek).toBeUndefined();

    const refusal = async (extra: NodeJS.ProcessEnv) => {
      const error = await readSettings({ ...env, ...extra }).then(() => undefined, (cause: unknown) => cause as Error);
      expect(error).toBeInstanceOf(SettingsError);
      for (const value of Object.values(extra)) if (value) expect(error!.message).not.toContain(value);
      return error!.message;
    };
    const short = randomBytes(16).toString('base64url');
    expect(await refusal({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: short })).toMatch(/^BROKER_KEK_PREVIOUS must be 32 bytes, base64url/);
    expect(await refusal({ BROKER_KEK: short, BROKER_KEK_PREVIOUS: a })).toMatch(/^BROKER_KEK must be 32 bytes/);
    expect(await refusal({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: b })).toMatch(/BROKER_KEK_PREVIOUS is the same key as BROKER_KEK/);
    // The same 32 bytes spelt with padding are still the same key.
    expect(await refusal({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: `${b}=` })).toMatch(/the same key/);
    expect(await refusal({ BROKER_KEK_PREVIOUS: a })).toMatch(/BROKER_KEK_PREVIOUS is set without BROKER_KEK/);
    expect(await refusal({ BROKER_KEK_PREVIOUS: a, DATABASE_URL: 'postgres://x@127.0.0.1/y' })).toMatch(/without BROKER_KEK/);
  });
});
