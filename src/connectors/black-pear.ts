import { z } from 'zod';
import { LaunchError } from '../shared/launch-error';
import { partnerUrlSchema } from '../shared/url-policy';
import type { Connector, LaunchInput, LaunchOutput } from './connector';
import { newJti, requireSigner, signJwt } from './jwt';
import { partnerBaseFields } from './partner-base';

/**
 * Black Pear Core Auth: a form POST to `<Core Auth URL>/launch/v1` with two JWTs signed by this installation's
 * key (client_assertion and subject_token), the patient as `<system>|<NHS number>` and the birth date. Black
 * Pear answers 302 to a contextual launch link, which the browser follows itself in the new tab.
 */

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SDS_ROLE_PROFILE_SYSTEM = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const SDS_USER_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';
export const ACCREDITED_SYSTEM_SYSTEM = 'https://fhir.nhs.uk/Id/accredited-system';
const ACCREDITED_SYSTEM_ID = /^https:\/\/fhir\.nhs\.uk\/Id\/accredited-system\|[0-9]{12}$/;

export const blackPearConfigSchema = z.strictObject({
  kind: z.literal('black-pear'),
  ...partnerBaseFields,
  /** The Core Auth URL Black Pear gives the organisation; the launch goes to `<coreAuthUrl>/launch/v1`. */
  coreAuthUrl: partnerUrlSchema,
  /** This installation's client id at Black Pear: `iss` of both tokens, `sub` of the client assertion. */
  clientId: z.string().trim().min(1).max(200),
  /** The organisation's ODS code, for `requesting_organization`. */
  odsCode: z.string().trim().regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code such as Y90001'),
  /**
   * `requesting_system` as NHS Spine access tokens (which Black Pear's tokens extend) write it: the
   * accredited-system identifier, `https://fhir.nhs.uk/Id/accredited-system|<ASID>`.
   */
  requestingSystem: z
    .string()
    .trim()
    .regex(ACCREDITED_SYSTEM_ID, `must be ${ACCREDITED_SYSTEM_SYSTEM}|<ASID>, the 12-digit Accredited System ID NHS England issued for this system`),
  /** Which identifier names the user in `requesting_user` and `sub`. */
  userIdentifier: z.enum(['sds-role-profile-id', 'sds-user-id']).default('sds-role-profile-id'),
  /** Optional `location` sent with the launch. */
  location: z.string().trim().min(1).max(200).optional(),
  alg: z.enum(['ES256', 'RS256']).default('ES256'),
  /** Token life in seconds: short, at most the five minutes Black Pear allows. */
  tokenLifetimeSeconds: z.number().int().min(30).max(300).default(120),
});
export type BlackPearConfig = z.infer<typeof blackPearConfigSchema>;

export function launchEndpoint(config: BlackPearConfig): string {
  return `${config.coreAuthUrl}/launch/v1`;
}

interface Times {
  iat: number;
  nbf: number;
  exp: number;
}

function times(config: BlackPearConfig, nowMs: number): Times {
  const iat = Math.floor(nowMs / 1000);
  return { iat, nbf: iat, exp: iat + config.tokenLifetimeSeconds };
}

export function clientAssertionClaims(config: BlackPearConfig, nowMs: number, jti = newJti()) {
  return { iss: config.clientId, sub: config.clientId, aud: launchEndpoint(config), jti, ...times(config, nowMs) };
}

export function subjectTokenClaims(config: BlackPearConfig, input: Pick<LaunchInput<BlackPearConfig>, 'clinician'>, nowMs: number, jti = newJti()) {
  const { clinician } = input;
  const userId = config.userIdentifier === 'sds-user-id' ? clinician.sdsUserId : clinician.roleProfileId;
  const system = config.userIdentifier === 'sds-user-id' ? SDS_USER_SYSTEM : SDS_ROLE_PROFILE_SYSTEM;
  if (!userId || !clinician.roleName) {
    throw new LaunchError(
      'clinician-incomplete',
      'Black Pear needs your NHS identity: add your SDS user id, role profile id and role name to your clinician profile in the EHR Launchpad toolbar menu.',
      ['launchBlackPearIdentity'],
    );
  }
  const requestingUser = `${system}|${userId}`;
  return {
    iss: config.clientId,
    // NHS Spine security-token convention: sub names the user on whose behalf the request is made, matching requesting_user.
    sub: requestingUser,
    aud: launchEndpoint(config),
    jti,
    ...times(config, nowMs),
    requesting_organization: `${ODS_SYSTEM}|${config.odsCode}`,
    requesting_user: requestingUser,
    requesting_user_name: clinician.displayName,
    requesting_user_role: clinician.roleName,
    requesting_system: config.requestingSystem,
    reason_for_request: 'directcare',
    requested_scope: 'patient/*.read',
  };
}

export const blackPearConnector: Connector<BlackPearConfig> = {
  kind: 'black-pear',
  displayName: 'Black Pear',
  configSchema: blackPearConfigSchema,
  secretNames: [],
  signingAlg: (config) => config.alg,
  identityFields: (config) => [config.userIdentifier === 'sds-user-id' ? 'sdsUserId' : 'roleProfileId', 'displayName', 'roleName'],
  launchOrigins: (config) => [new URL(config.coreAuthUrl).origin],
  // Only a HEAD for the partner's clock: the launch itself is the browser's form POST.
  apiOrigins: (config) => [new URL(config.coreAuthUrl).origin],
  clockProbeUrl: (config) => launchEndpoint(config),

  async buildLaunch(input: LaunchInput<BlackPearConfig>): Promise<LaunchOutput> {
    const { config, patient } = input;
    if (!patient.birthDate) {
      throw new LaunchError('birthdate-missing', 'Black Pear needs the patient\'s date of birth, and this page does not show one, so nothing was opened.', ['launchBirthDateMissing', 'Black Pear']);
    }
    const signer = requireSigner(input.signer, 'Black Pear');
    const now = input.now();
    // Built before signing so a missing identity fails before any key is used.
    const subject = subjectTokenClaims(config, input, now);
    const fields: Record<string, string> = {
      client_assertion: await signJwt(signer, clientAssertionClaims(config, now)),
      subject_token: await signJwt(signer, subject),
      patient: `${NHS_NUMBER_SYSTEM}|${patient.nhsNumber}`,
      birthdate: patient.birthDate,
    };
    if (config.location) fields.location = config.location;
    return { instruction: { post: launchEndpoint(config), fields } };
  },
};
