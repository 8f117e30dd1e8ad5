import { z } from 'zod';
import { addressProblem } from '../address-rules';

/**
 * The organisation's identity provider: NHS Care Identity Service 2 (CIS2) or a trust's workforce OpenID
 * provider. The clinician signs in with it from the popup; the fields its claims fill are then verified and
 * locked. A preset supplies the scope, claim mapping and role reading; anything written here wins over it.
 */

/** The clinician fields a sign-in can verify (a partner's own user id is mapped per partner, below). */
export const VERIFIABLE_FIELDS = ['displayName', 'username', 'email', 'sdsUserId', 'roleProfileId', 'roleName'] as const;
export type VerifiableField = (typeof VERIFIABLE_FIELDS)[number];

/**
 * Where a field's value comes from: a claim name (ID token first, then userinfo), a dotted path into a claim
 * object (`address.locality`), or `role.<member>` for the selected role's member (`role.role_name`).
 */
const claimPath = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_:-]*(\.[A-Za-z_][A-Za-z0-9_:-]*){0,3}$/, 'must be a claim name such as "uid" or a path such as "role.role_name"');

/** A mapped field: a claim path, or "" for a field this provider does not verify. */
const mappedField = z.union([z.literal(''), claimPath]).optional();
const claimMappingSchema = z.strictObject(Object.fromEntries(VERIFIABLE_FIELDS.map((field) => [field, mappedField])) as Record<VerifiableField, typeof mappedField>);
export type ClaimMapping = z.infer<typeof claimMappingSchema>;

/** How the provider lists the clinician's roles and says which one was chosen at sign-in (CIS2: selectedrole). */
export const roleReadingSchema = z.strictObject({
  /** The claim holding the list of roles, e.g. `nhsid_nrbac_roles`. */
  claim: claimPath,
  /** The claim naming the chosen role, e.g. `selected_roleid`. */
  selected: claimPath,
  /** Members of each role: its id (the SDS role profile id), name and organisation code. */
  id: z.string().trim().min(1).max(64).default('person_roleid'),
  name: z.string().trim().min(1).max(64).default('role_name'),
  org: z.string().trim().min(1).max(64).default('org_code'),
});
export type RoleReading = z.infer<typeof roleReadingSchema>;

/**
 * A partner's own user id for the clinician (Parchment's `x-user-id`): from a claim the provider issues, or
 * from a table the organisation delivers (by policy) keyed by a verified field, usually the SDS user id.
 */
export const partnerUserIdSchema = z.union([
  z.strictObject({ claim: claimPath }),
  z.strictObject({
    key: z.enum(VERIFIABLE_FIELDS),
    table: z.record(z.string().trim().min(1).max(100), z.string().trim().min(1).max(100)).refine((table) => Object.keys(table).length <= 5000, 'at most 5000 entries'),
  }),
]);

/**
 * The issuer exactly as the provider writes it: every ID token and the discovery document must repeat it
 * character for character, so a trailing slash (some providers have one) is kept, not tidied away.
 */
const issuerSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    // The same address rules as partner URLs (src/shared/address-rules.ts), without tidying the value.
    const problem = addressProblem(value, 'url');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const promptSchema = z.enum(['', 'login', 'consent', 'select_account']);

export const orgIdpSchema = z
  .strictObject({
    /** `cis2` (NHS Care Identity Service 2) or `oidc` (any workforce OpenID provider, such as Entra ID). */
    preset: z.enum(['cis2', 'oidc']),
    /** What clinicians call it, e.g. "NHS Care Identity" or "Riverside sign-in". */
    label: z.string().trim().min(1).max(60).optional(),
    /** The provider's issuer; its discovery document is read from it and every ID token must name it. */
    issuer: issuerSchema,
    clientId: z.string().trim().min(1).max(200),
    /** Space-separated scopes; must include openid. Default: the preset's. */
    scope: z.string().trim().regex(/(^|\s)openid(\s|$)/, 'must include openid').max(500).optional(),
    /** `prompt` for an interactive sign-in: blank (the provider decides), login, consent or select_account. */
    prompt: promptSchema.default(''),
    /** Authentication context asked for, e.g. "AAL3_ANY" for CIS2 smartcard-level assurance. */
    acrValues: z.string().trim().min(1).max(200).optional(),
    /** `none`: a public client with PKCE. `private_key_jwt`: the client also signs with this installation's key. */
    clientAuth: z.enum(['none', 'private_key_jwt']).default('none'),
    alg: z.enum(['ES256', 'RS256']).default('ES256'),
    /** Claim mapping; a field left out takes the preset's mapping (a field set to "" is not verified). */
    claims: claimMappingSchema.optional(),
    roles: roleReadingSchema.optional(),
    /** Per partner id: where that partner's own user id for the clinician comes from. */
    partnerUserIds: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), partnerUserIdSchema).default({}),
  });
export type OrgIdpConfig = z.infer<typeof orgIdpSchema>;

export const identitySchema = z.strictObject({
  provider: orgIdpSchema.optional(),
  /** True: no launch to a partner that is told who the clinician is without a live verified identity. */
  required: z.boolean().default(false),
  /** The longest a verified identity lasts from the interactive sign-in, whatever the provider allows. */
  maxHours: z.number().min(0.25).max(24).default(12),
  /** How often the provider's session is re-checked silently (prompt=none); 0 turns it off. */
  recheckMinutes: z.number().int().min(0).max(240).default(10),
  /** Per partner id: fields that must come from the sign-in for that partner to launch, even when not required. */
  verifiedFields: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.array(z.enum([...VERIFIABLE_FIELDS, 'partnerUserId'])).max(8)).default({}),
});
export type IdentityConfig = z.infer<typeof identitySchema>;

export const DEFAULT_IDENTITY: IdentityConfig = { required: false, maxHours: 12, recheckMinutes: 10, verifiedFields: {} };

interface Preset {
  label: string;
  scope: string;
  claims: Required<ClaimMapping>;
  roles?: RoleReading;
}

/**
 * CIS2's published claims: `uid` is the SDS user id (also `sub`), `selected_roleid` the role profile chosen at
 * sign-in (scope selectedrole), `nhsid_nrbac_roles` the national RBAC roles (userinfo, scope nationalrbacaccess).
 */
const PRESETS: Record<OrgIdpConfig['preset'], Preset> = {
  cis2: {
    label: 'NHS Care Identity',
    scope: 'openid profile email nationalrbacaccess selectedrole',
    claims: { displayName: 'name', username: 'uid', email: 'email', sdsUserId: 'uid', roleProfileId: 'selected_roleid', roleName: 'role.role_name' },
    roles: { claim: 'nhsid_nrbac_roles', selected: 'selected_roleid', id: 'person_roleid', name: 'role_name', org: 'org_code' },
  },
  oidc: {
    label: 'your organisation',
    scope: 'openid profile email',
    claims: { displayName: 'name', username: 'preferred_username', email: 'email', sdsUserId: '', roleProfileId: '', roleName: '' },
  },
};

/** The provider with its preset filled in: what the sign-in and the claim mapping actually use. */
export interface ResolvedProvider extends OrgIdpConfig {
  label: string;
  scope: string;
  claims: Required<ClaimMapping>;
}

/** What resolveProvider made: resolving one again answers it as it is (the broker passes one per request). */
const resolved = new WeakSet<ResolvedProvider>();

export function resolveProvider(provider: OrgIdpConfig): ResolvedProvider {
  if (resolved.has(provider as ResolvedProvider)) return provider as ResolvedProvider;
  const preset = PRESETS[provider.preset];
  const claims = { ...preset.claims };
  for (const field of VERIFIABLE_FIELDS) {
    const own = provider.claims?.[field];
    if (own !== undefined) claims[field] = own;
  }
  const roles = provider.roles ?? preset.roles;
  const result: ResolvedProvider = { ...provider, label: provider.label ?? preset.label, scope: provider.scope ?? preset.scope, claims, ...(roles ? { roles } : {}) };
  resolved.add(result);
  return result;
}
