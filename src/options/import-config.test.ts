import { beforeEach, describe, expect, it, vi } from 'vitest';
import { takeStagedConfig } from '../background/settings/staged-config';
import { parseConfig } from '../shared/config';
import { MAX_CONFIG_CHARS } from '../shared/config-transfer';
import { backgroundProtocol, MAX_MESSAGE_BYTES } from '../shared/protocol';

const session = vi.hoisted(() => ({ items: new Map<string, unknown>(), failSet: false }));
vi.mock('../shared/browser-api', () => ({
  browser: {
    storage: {
      session: {
        get: async (key: string) => (session.items.has(key) ? { [key]: session.items.get(key) } : {}),
        set: async (items: Record<string, unknown>) => {
          if (session.failSet) throw new Error('Session storage quota bytes exceeded.');
          for (const [k, v] of Object.entries(items)) session.items.set(k, v);
        },
        remove: async (key: string) => void session.items.delete(key),
      },
    },
  },
}));
vi.mock('../shared/i18n', () => ({ t: (key: string, ...args: string[]) => `${key}(${args.join(', ')})` }));

/** The background's side, as the config.import handler does it: take the staged text, validate it. */
const sent = vi.hoisted(() => ({ messages: [] as unknown[], unreachable: false }));
vi.mock('../shared/messaging', () => ({
  sendToBackground: async (type: string, payload: { staged: string }) => {
    sent.messages.push({ type, payload });
    if (sent.unreachable) throw new Error('EHR Launchpad is not responding.');
    const area = { get: async (key: string) => (session.items.has(key) ? { [key]: session.items.get(key) } : {}), remove: async (key: string) => void session.items.delete(key) };
    const input = await takeStagedConfig(area, payload.staged);
    if (!input.ok) return input;
    const result = parseConfig(input.document);
    return result.ok ? { ok: true, errors: [] } : result;
  },
}));

const { importConfigDocument } = await import('./import-config');

/** A Parchment partner whose patientIds map makes the document about `entries` × 36 characters. */
function largeConfig(entries: number) {
  const patientIds = Object.fromEntries(Array.from({ length: entries }, (_, i) => [String(9_000_000_000 + i), `p-${i}-0000-0000-0000`]));
  return {
    version: 1,
    ehrSites: [{ origin: 'https://ehr.example-trust.nhs.uk' }],
    partners: [{ kind: 'parchment', id: 'parchment', label: 'Parchment', apiBaseUrl: 'https://api.parchmenthealth.io/external', portalOrigin: 'https://portal.parchment.health', partnerId: 'p', organizationId: 'o', patientIds }],
  };
}

beforeEach(() => {
  session.items.clear();
  session.failSet = false;
  sent.messages = [];
  sent.unreachable = false;
});

describe('a configuration document handed to the background', () => {
  it('goes through storage.session whatever its size: the message holds only the key, and nothing is left behind', async () => {
    const document = largeConfig(6000);
    expect(JSON.stringify(document).length).toBeGreaterThan(200_000);
    expect(await importConfigDocument(document)).toEqual({ ok: true, errors: [] });
    expect(sent.messages).toHaveLength(1);
    const message = sent.messages[0] as { type: 'config.import'; payload: unknown };
    expect(JSON.stringify(message).length).toBeLessThan(200);
    expect(backgroundProtocol['config.import'].payload.safeParse(message.payload).success).toBe(true);
    expect(session.items.size).toBe(0);
  });

  it('why it has to: the same document in the message itself is over the router\'s 64 KB limit', () => {
    expect(JSON.stringify({ type: 'config.import', payload: { config: largeConfig(6000) } }).length).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });

  it('answers the field errors of a large document that is wrong', async () => {
    const document = largeConfig(6000);
    document.partners[0]!.portalOrigin = 'portal.parchment';
    expect(await importConfigDocument(document)).toEqual({ ok: false, errors: [expect.stringMatching(/^partners\[0\]\.portalOrigin: write the full address, starting with https:\/\//)] });
  });

  it('refuses a document too large to keep, saying how large, before handing anything over', async () => {
    const document = largeConfig(Math.ceil(MAX_CONFIG_CHARS / 30));
    const verdict = await importConfigDocument(document);
    expect(verdict).toEqual({ ok: false, errors: [expect.stringMatching(/^\(document\): is \d+\.\d MB, more than the 4\.0 MB EHR Launchpad can keep/)] });
    expect(sent.messages).toEqual([]);
    expect(session.items.size).toBe(0);
  });

  it('says so when the background does not answer or storage refuses, and leaves nothing behind', async () => {
    sent.unreachable = true;
    expect(await importConfigDocument(largeConfig(10))).toEqual({ ok: false, errors: ['optionsImportNotSent(EHR Launchpad is not responding)'] });
    expect(session.items.size).toBe(0);
    sent.unreachable = false;
    session.failSet = true;
    expect(await importConfigDocument(largeConfig(10))).toEqual({ ok: false, errors: ['optionsImportNotSent(Session storage quota bytes exceeded)'] });
    expect(sent.messages).toHaveLength(1);
  });
});

describe('the background taking a staged document', () => {
  const area = (items: Record<string, unknown>) => ({ get: async (key: string) => (key in items ? { [key]: items[key] } : {}), remove: async (key: string) => void delete items[key] });
  const KEY = 'configImport:0b8f5e3c-3c1d-4d0e-9a43-6c2b1f7e9d10';

  it('takes it once', async () => {
    const items: Record<string, unknown> = { [KEY]: '{"version":1}' };
    expect(await takeStagedConfig(area(items), KEY)).toEqual({ ok: true, document: { version: 1 } });
    expect(await takeStagedConfig(area(items), KEY)).toEqual({ ok: false, errors: [expect.stringMatching(/^\(document\): did not reach EHR Launchpad/)] });
  });

  it('answers field-style errors for what is not a staged JSON text', async () => {
    expect(await takeStagedConfig(area({ [KEY]: { version: 1 } }), KEY)).toMatchObject({ ok: false });
    expect(await takeStagedConfig(area({ [KEY]: '{"version":' }), KEY)).toEqual({ ok: false, errors: ['(document): is not valid JSON'] });
    expect(await takeStagedConfig(area({ [KEY]: ' '.repeat(MAX_CONFIG_CHARS + 1) }), KEY)).toMatchObject({ ok: false, errors: [expect.stringMatching(/more than the 4\.0 MB/)] });
  });

  it('only under a key of its own kind: the protocol refuses any other key', () => {
    const payload = backgroundProtocol['config.import'].payload;
    for (const staged of ['config', 'configImport:', 'vault', `${KEY}x`, 'configImport:../../vault']) expect(payload.safeParse({ staged }).success, staged).toBe(false);
    expect(payload.safeParse({ staged: KEY }).success).toBe(true);
    expect(payload.safeParse({ config: { version: 1 } }).success).toBe(true);
    expect(payload.safeParse({ config: {}, staged: KEY }).success).toBe(false);
  });
});
