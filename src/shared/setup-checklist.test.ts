import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from './config';
import { setupSteps, stepsLeft, type SetupFacts } from './setup-checklist';
import { enrolmentsFor } from './setup-enrolments';

function configOf(document: Record<string, unknown>): Config {
  const result = parseConfig({ version: 1, ...document });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

const PARCHMENT = {
  kind: 'parchment',
  id: 'parchment',
  label: 'Parchment',
  apiBaseUrl: 'https://api.parchment.example/external',
  portalOrigin: 'https://portal.parchment.example',
  partnerId: 'p1',
  organizationId: 'o1',
};
const BLACK_PEAR = {
  kind: 'black-pear',
  id: 'black-pear',
  label: 'Black Pear',
  coreAuthUrl: 'https://coreauth.example.org/',
  clientId: 'ehr-launchpad-trust-a',
  odsCode: 'Y90001',
  requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000001234',
};
const NHS_LOGIN = { kind: 'nhs-login', id: 'nhs-login', label: 'NHS login', issuer: 'https://auth.login.nhs.example', clientId: 'rp1', launchUrlTemplate: 'https://rp2.example/launch?asserted_login_identity={assertion}' };
const ES = { kid: 'es-1', alg: 'ES256', active: true };

const facts = (patch: Partial<SetupFacts> = {}): SetupFacts => ({
  ehrSites: 1,
  partners: [{ id: 'parchment', label: 'Parchment', secretNames: ['partnerSecret', 'organizationSecret'] }],
  secretsSet: {},
  secretsByPolicy: {},
  hostAccessMissing: [],
  enrolments: [],
  acknowledged: [],
  ...patch,
});

describe('the setup checklist', () => {
  it('on a fresh install asks for the configuration only', () => {
    const steps = setupSteps(facts({ ehrSites: 0, partners: [] }));
    expect(steps).toEqual([
      { kind: 'ehr-sites', done: false },
      { kind: 'partners', done: false },
    ]);
  });

  it('lists each partner secret, ticks those set here or by policy, and asks for missing access', () => {
    const steps = setupSteps(facts({ secretsSet: { parchment: ['organizationSecret'] }, secretsByPolicy: { parchment: ['organizationSecret'] }, hostAccessMissing: ['https://ehr.example/*'] }));
    expect(stepsLeft(steps)).toEqual([
      { kind: 'secret', partnerId: 'parchment', partnerLabel: 'Parchment', name: 'partnerSecret', byPolicy: false, done: false },
      { kind: 'host-access', patterns: ['https://ehr.example/*'], done: false },
    ]);
    expect(steps.find((s) => s.kind === 'secret' && s.name === 'organizationSecret')).toMatchObject({ byPolicy: true, done: true });
  });

  it('keeps an enrolment open until it is marked sent, and opens it again for a new key', () => {
    const config = configOf({ partners: [BLACK_PEAR] });
    const before = enrolmentsFor(config, [ES]);
    expect(before).toEqual([{ target: 'black-pear', label: 'Black Pear', what: 'partner-values', acknowledgement: expect.stringContaining('es-1') as unknown }]);
    const sent = [before[0]!.acknowledgement];
    expect(stepsLeft(setupSteps(facts({ partners: [], enrolments: before, acknowledged: sent })))).toEqual([{ kind: 'partners', done: false }]);
    const rotated = enrolmentsFor(config, [{ ...ES, active: false }, { kid: 'es-2', alg: 'ES256', active: true }]);
    expect(stepsLeft(setupSteps(facts({ enrolments: rotated, acknowledged: sent, partners: [] })))).toContainEqual(expect.objectContaining({ kind: 'enrol', target: 'black-pear' }));
  });
});

describe('who must enrol this computer', () => {
  it('names Black Pear (its values), NHS login (the public key), a private_key_jwt sign-in provider and the broker', () => {
    const config = configOf({
      partners: [BLACK_PEAR, NHS_LOGIN, { ...PARCHMENT, via: 'broker' }],
      identity: { provider: { preset: 'oidc', issuer: 'https://login.example.org', clientId: 'launchpad', clientAuth: 'private_key_jwt', alg: 'ES256' } },
      broker: { url: 'https://broker.example-trust.nhs.uk' },
    });
    expect(enrolmentsFor(config, [ES]).map((e) => [e.target, e.what])).toEqual([
      ['black-pear', 'partner-values'],
      ['nhs-login', 'public-key'],
      ['identity', 'public-key'],
      ['broker', 'installation-id'],
    ]);
  });

  it('lists nothing before the key exists', () => {
    expect(enrolmentsFor(configOf({ partners: [BLACK_PEAR, NHS_LOGIN] }), [])).toEqual([]);
  });
});
