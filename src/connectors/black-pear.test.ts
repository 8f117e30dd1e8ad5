import { decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ClinicianProfile } from '../shared/clinician';
import { LaunchError } from '../shared/launch-error';
import { blackPearConnector, blackPearConfigSchema, type BlackPearConfig } from './black-pear';
import type { LaunchInput } from './connector';
import type { JwtSigner } from './jwt';

const config: BlackPearConfig = blackPearConfigSchema.parse({
  kind: 'black-pear',
  id: 'black-pear',
  label: 'Black Pear',
  coreAuthUrl: 'https://coreauth.example.org/',
  clientId: 'ehr-launchpad-trust-a',
  odsCode: 'Y90001',
  requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000001234',
  location: 'ward-7',
});

const clinician: ClinicianProfile = {
  displayName: 'Dr Alice Jones',
  username: 'dr.jones',
  email: 'alice.jones@example.nhs.uk',
  sdsUserId: '555000000101',
  roleProfileId: '555000000102',
  roleName: 'General Medical Practitioner',
};

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);

async function setup(alg: 'ES256' | 'RS256' = 'ES256') {
  const pair = await generateKeyPair(alg, { extractable: false });
  const signer: JwtSigner = { alg, kid: 'test-kid', key: pair.privateKey };
  const input = (overrides: Partial<LaunchInput<BlackPearConfig>> = {}): LaunchInput<BlackPearConfig> => ({
    config,
    secrets: {},
    clinician,
    patient: { nhsNumber: '9990000018', birthDate: '1985-03-12', name: { family: 'Smith', given: 'John' } },
    fetch: () => Promise.reject(new Error('no network')),
    signal: AbortSignal.timeout(5000),
    now: () => NOW,
    signer,
    ...overrides,
  });
  return { pair, input };
}

async function launchFields(input: LaunchInput<BlackPearConfig>) {
  const { instruction } = await blackPearConnector.buildLaunch(input);
  if (!('post' in instruction)) throw new Error('expected a form POST');
  return instruction;
}

describe('Black Pear launch', () => {
  it('posts the documented form to <Core Auth URL>/launch/v1', async () => {
    const { input } = await setup();
    const instruction = await launchFields(input());
    expect(instruction.post).toBe('https://coreauth.example.org/launch/v1');
    expect(Object.keys(instruction.fields).sort()).toEqual(['birthdate', 'client_assertion', 'location', 'patient', 'subject_token']);
    expect(instruction.fields.patient).toBe('https://fhir.nhs.uk/Id/nhs-number|9990000018');
    expect(instruction.fields.birthdate).toBe('1985-03-12');
    expect(instruction.fields.location).toBe('ward-7');
  });

  it.each(['ES256', 'RS256'] as const)('signs a client assertion with exactly the documented claims (%s)', async (alg) => {
    const { pair, input } = await setup(alg);
    const { fields } = await launchFields(input());
    expect(decodeProtectedHeader(fields.client_assertion!)).toEqual({ alg, kid: 'test-kid', typ: 'JWT' });
    const { payload } = await jwtVerify(fields.client_assertion!, pair.publicKey, { currentDate: new Date(NOW) });
    const iat = NOW / 1000;
    expect(payload).toEqual({
      iss: 'ehr-launchpad-trust-a',
      sub: 'ehr-launchpad-trust-a',
      aud: 'https://coreauth.example.org/launch/v1',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat,
      nbf: iat,
      exp: iat + 120,
    });
  });

  it('signs a subject token with the NHS Spine-style claims', async () => {
    const { pair, input } = await setup();
    const { fields } = await launchFields(input());
    const { payload } = await jwtVerify(fields.subject_token!, pair.publicKey, { currentDate: new Date(NOW) });
    const iat = NOW / 1000;
    expect(payload).toEqual({
      iss: 'ehr-launchpad-trust-a',
      sub: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102',
      aud: 'https://coreauth.example.org/launch/v1',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat,
      nbf: iat,
      exp: iat + 120,
      requesting_organization: 'https://fhir.nhs.uk/Id/ods-organization-code|Y90001',
      requesting_user: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102',
      requesting_user_name: 'Dr Alice Jones',
      requesting_user_role: 'General Medical Practitioner',
      requesting_system: 'https://fhir.nhs.uk/Id/accredited-system|200000001234',
      reason_for_request: 'directcare',
      requested_scope: 'patient/*.read',
    });
  });

  it('names the user by SDS user id when configured', async () => {
    const { pair, input } = await setup();
    const { fields } = await launchFields(input({ config: { ...config, userIdentifier: 'sds-user-id' } }));
    const { payload } = await jwtVerify(fields.subject_token!, pair.publicKey, { currentDate: new Date(NOW) });
    expect(payload.requesting_user).toBe('https://fhir.nhs.uk/Id/sds-user-id|555000000101');
    expect(payload.sub).toBe('https://fhir.nhs.uk/Id/sds-user-id|555000000101');
  });

  it('never reuses a jti, across tokens and launches', async () => {
    const { input } = await setup();
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { fields } = await launchFields(input());
      for (const token of [fields.client_assertion!, fields.subject_token!]) {
        const jti = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).jti as string;
        expect(seen.has(jti)).toBe(false);
        seen.add(jti);
      }
    }
  });

  it('cannot launch a patient without a date of birth, or without the clinician NHS identity, or without a key', async () => {
    const { input } = await setup();
    const cases: [Partial<LaunchInput<BlackPearConfig>>, string][] = [
      [{ patient: { nhsNumber: '9990000018', name: { family: 'Smith', given: 'John' } } }, 'birthdate-missing'],
      [{ clinician: { ...clinician, roleProfileId: undefined } }, 'clinician-incomplete'],
      [{ clinician: { ...clinician, roleName: undefined } }, 'clinician-incomplete'],
      [{ signer: undefined }, 'setup-needed'],
    ];
    for (const [overrides, code] of cases) {
      const error = await blackPearConnector.buildLaunch(input(overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LaunchError);
      expect((error as LaunchError).code).toBe(code);
    }
  });

  it('keeps token life within five minutes and the launch on the configured origin', () => {
    expect(blackPearConfigSchema.safeParse({ ...config, tokenLifetimeSeconds: 301 }).success).toBe(false);
    expect(blackPearConnector.launchOrigins(config)).toEqual(['https://coreauth.example.org']);
    expect(blackPearConnector.apiOrigins(config)).toEqual(['https://coreauth.example.org']);
  });
});

describe('Black Pear requesting_system', () => {
  it('accepts the accredited-system identifier, trimmed', () => {
    const parsed = blackPearConfigSchema.parse({ ...config, requestingSystem: ' https://fhir.nhs.uk/Id/accredited-system|918999198993 ' });
    expect(parsed.requestingSystem).toBe('https://fhir.nhs.uk/Id/accredited-system|918999198993');
  });

  it.each([
    ['a bare ASID', '200000001234'],
    ['a name', 'EHR Launchpad'],
    ['another identifier system', 'https://fhir.nhs.uk/Id/ods-organization-code|200000001234'],
    ['http instead of https', 'http://fhir.nhs.uk/Id/accredited-system|200000001234'],
    ['no ASID', 'https://fhir.nhs.uk/Id/accredited-system|'],
    ['an ASID of 11 digits', 'https://fhir.nhs.uk/Id/accredited-system|20000000123'],
    ['an ASID of 13 digits', 'https://fhir.nhs.uk/Id/accredited-system|2000000012345'],
    ['an ASID with letters', 'https://fhir.nhs.uk/Id/accredited-system|20000000123X'],
    ['something after the ASID', 'https://fhir.nhs.uk/Id/accredited-system|200000001234|x'],
  ])('refuses %s, naming the form it must take', (_case, requestingSystem) => {
    const result = blackPearConfigSchema.safeParse({ ...config, requestingSystem });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['requestingSystem'], message: expect.stringMatching(/^must be https:\/\/fhir\.nhs\.uk\/Id\/accredited-system\|<ASID>, the 12-digit/) }),
    ]);
  });
});
