import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { LOOPBACK_HTTP_ALLOWED } from '../shared/secure-url';
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

  it('reads audit forwarding: an https endpoint, its token from the environment or the secrets directory, and refuses without quoting either', async () => {
    const env = sandboxBrokerEnv(urls);
    expect((await readSettings(env)).auditForward).toBeUndefined();
    const token = `tok-${randomBytes(12).toString('base64url')}`;
    expect((await readSettings({ ...env, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/fhir/AuditEvent' })).auditForward).toEqual({ url: 'https://audit.example.test/fhir/AuditEvent' });
    expect((await readSettings({ ...env, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/fhir/AuditEvent', BROKER_AUDIT_FORWARD_TOKEN: token })).auditForward).toEqual({ url: 'https://audit.example.test/fhir/AuditEvent', token });
    // Loopback over http only under the sandbox build's address rules (and only 127.0.0.1); production refuses it.
    const loopback = readSettings({ ...env, BROKER_AUDIT_FORWARD_URL: 'http://127.0.0.1:9999/audit' });
    if (LOOPBACK_HTTP_ALLOWED) expect((await loopback).auditForward?.url).toBe('http://127.0.0.1:9999/audit');
    else await expect(loopback).rejects.toThrow(/BROKER_AUDIT_FORWARD_URL must be an https:\/\/ address/);

    const dir = await mkdtemp(join(tmpdir(), 'broker-secrets-'));
    try {
      await mkdir(join(dir, 'audit-forward'));
      await writeFile(join(dir, 'audit-forward', 'token'), `${token}\n`);
      const fromFile = await readSettings({ ...env, BROKER_SECRETS_DIR: dir, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in' });
      expect(fromFile.auditForward).toEqual({ url: 'https://audit.example.test/in', token });
      // The environment wins over the file, as for partner secrets.
      expect((await readSettings({ ...env, BROKER_SECRETS_DIR: dir, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in', BROKER_AUDIT_FORWARD_TOKEN: 'other' })).auditForward?.token).toBe('other');
      await writeFile(join(dir, 'audit-forward', 'token'), `two words ${token}`);
      const error = await readSettings({ ...env, BROKER_SECRETS_DIR: dir, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in' }).then(() => undefined, (cause: unknown) => cause as Error);
      expect(error).toBeInstanceOf(SettingsError);
      expect(error!.message).toMatch(/audit-forward\/token must be one line/);
      expect(error!.message).not.toContain(token);
      // A directory where the file should be: refused, rather than forwarding without the token.
      await rm(join(dir, 'audit-forward', 'token'));
      await mkdir(join(dir, 'audit-forward', 'token'));
      await expect(readSettings({ ...env, BROKER_SECRETS_DIR: dir, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in' })).rejects.toThrow(/audit-forward\/token cannot be read \(EISDIR\)/);
      await rm(join(dir, 'audit-forward'), { recursive: true });
      expect((await readSettings({ ...env, BROKER_SECRETS_DIR: dir, BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in' })).auditForward).toEqual({ url: 'https://audit.example.test/in' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const refusal = async (extra: NodeJS.ProcessEnv) => {
      const error = await readSettings({ ...env, ...extra }).then(() => undefined, (cause: unknown) => cause as Error);
      expect(error).toBeInstanceOf(SettingsError);
      for (const value of Object.values(extra)) if (value) expect(error!.message).not.toContain(value);
      return error!.message;
    };
    expect(await refusal({ BROKER_AUDIT_FORWARD_URL: 'http://audit.example.test/in' })).toMatch(/^BROKER_AUDIT_FORWARD_URL must be an https:\/\/ address/);
    expect(await refusal({ BROKER_AUDIT_FORWARD_URL: 'http://localhost:9999/in' })).toMatch(/^BROKER_AUDIT_FORWARD_URL must be an https/);
    expect(await refusal({ BROKER_AUDIT_FORWARD_URL: 'https://user:pw-secret@audit.example.test/in' })).toMatch(/^BROKER_AUDIT_FORWARD_URL must not hold a user name or password/);
    expect(await refusal({ BROKER_AUDIT_FORWARD_URL: 'audit.example.test/in' })).toMatch(/^BROKER_AUDIT_FORWARD_URL write the full address/);
    expect(await refusal({ BROKER_AUDIT_FORWARD_URL: 'https://audit.example.test/in', BROKER_AUDIT_FORWARD_TOKEN: `a\n${token}` })).toMatch(/^BROKER_AUDIT_FORWARD_TOKEN must be one line/);
    expect(await refusal({ BROKER_AUDIT_FORWARD_TOKEN: token })).toMatch(/BROKER_AUDIT_FORWARD_TOKEN is set without BROKER_AUDIT_FORWARD_URL/);
  });
});
