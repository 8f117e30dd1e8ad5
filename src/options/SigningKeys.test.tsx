// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig, type Config } from '../shared/config';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));
const keys = [
  { kid: 'es-retired', alg: 'ES256', createdAt: '2026-01-01T00:00:00Z', active: false },
  { kid: 'es-active', alg: 'ES256', createdAt: '2026-02-01T00:00:00Z', active: true },
];
vi.mock('../shared/messaging', () => ({
  sendToBackground: async (type: string) => {
    if (type !== 'keys.get') throw new Error(`unexpected ${type}`);
    return { jwks: { keys: keys.map((key) => ({ kty: 'EC', kid: key.kid })) }, keys };
  },
}));

const { SigningKeys } = await import('./SigningKeys');

function configOf(partners: unknown[]): Config {
  const result = parseConfig({ version: 1, partners });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

const BLACK_PEAR = {
  kind: 'black-pear',
  id: 'black-pear',
  label: 'Black Pear',
  coreAuthUrl: 'https://coreauth.example.org',
  clientId: 'ehr-launchpad-trust-a',
  odsCode: 'Y90001',
  requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000001234',
};

async function show(config: Config): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<SigningKeys config={config} />, root));
  // The keys arrive from the background after the first render.
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return root;
}

describe('the signing keys section', () => {
  it('shows, right after the JWKS, the issuer, audience and key id Black Pear must enrol', async () => {
    const root = await show(configOf([BLACK_PEAR]));
    const enrol = root.querySelector('[data-testid="enrol-black-pear"]');
    expect(root.querySelector('[data-testid="jwks"]')?.nextElementSibling?.getAttribute('data-testid')).toBe('black-pear-enrolment');
    expect(enrol?.querySelector('dt')?.textContent).toBe('Black Pear');
    expect(enrol?.querySelector('[data-testid="enrol-issuer"]')?.textContent).toBe('ehr-launchpad-trust-a');
    expect(enrol?.querySelector('[data-testid="enrol-audience"]')?.textContent).toBe('https://coreauth.example.org/launch/v1');
    expect(enrol?.querySelector('[data-testid="enrol-kid"]')?.textContent).toBe('es-active');
    expect(root.textContent).toContain('optEnrolHeading');
  });

  it('shows no enrolment when no partner is Black Pear', async () => {
    const root = await show(configOf([]));
    expect(root.querySelector('[data-testid="jwks"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="black-pear-enrolment"]')).toBeNull();
  });

  it('has an English string for every enrolment text', () => {
    const messages = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string; placeholders?: Record<string, unknown> }>;
    const source = readFileSync(join(import.meta.dirname, 'BlackPearEnrolment.tsx'), 'utf8');
    const used = [...source.matchAll(/t\('(optEnrol\w+)'/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(5);
    for (const key of used) expect(messages[key]?.message, key).toBeTruthy();
    expect(messages['optEnrolViaBroker']?.message).toContain('$URL$');
  });
});
