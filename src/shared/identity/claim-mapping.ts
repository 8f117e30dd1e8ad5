import { clinicianProfileSchema } from '../clinician';
import { VERIFIABLE_FIELDS, type ResolvedProvider, type VerifiableField } from './idp-config';

/** One of the clinician's roles as the provider lists it (CIS2: a national RBAC role). */
export interface VerifiedRole {
  id: string;
  name?: string;
  org?: string;
}

/** What a sign-in verified about the clinician, read from the provider's claims through the mapping. */
export interface MappedIdentity {
  fields: Partial<Record<VerifiableField, string>>;
  /** Per partner id, that partner's own user id for the clinician. */
  partnerUserIds: Record<string, string>;
  roles: VerifiedRole[];
  /** The role chosen at sign-in, when the provider says which. */
  role?: VerifiedRole;
  /** Mapped fields the claims did not fill or filled with something unusable, in words for IT. */
  problems: string[];
}

type Claims = Record<string, unknown>;

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const part of path) {
    if (!isRecord(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

function readRoles(provider: ResolvedProvider, claims: Claims): { roles: VerifiedRole[]; raw: Record<string, unknown>[]; selected?: string } {
  const reading = provider.roles;
  if (!reading) return { roles: [], raw: [] };
  const list = at(claims, reading.claim.split('.'));
  const raw = Array.isArray(list) ? list.filter(isRecord) : [];
  const roles: VerifiedRole[] = [];
  const kept: Record<string, unknown>[] = [];
  for (const entry of raw) {
    const id = scalar(entry[reading.id]);
    if (!id) continue;
    const name = scalar(entry[reading.name]);
    const org = scalar(entry[reading.org]);
    roles.push({ id, ...(name ? { name } : {}), ...(org ? { org } : {}) });
    kept.push(entry);
  }
  const selected = scalar(at(claims, reading.selected.split('.')));
  return { roles, raw: kept, ...(selected ? { selected } : {}) };
}

/** Each verified field must pass the same checks as a typed one (an SDS id is digits, an email an email). */
const FIELD_SCHEMAS = clinicianProfileSchema.shape;

/**
 * Reads the verified fields from the ID token's and userinfo's claims (the caller merges them, ID token first).
 * A field whose claim is absent or unusable stays unverified and is reported; nothing is guessed.
 */
export function mapClaims(provider: ResolvedProvider, claims: Claims): MappedIdentity {
  const { roles, raw, selected } = readRoles(provider, claims);
  const index = selected === undefined ? -1 : roles.findIndex((role) => role.id === selected);
  const role = index >= 0 ? roles[index] : selected ? { id: selected } : undefined;
  const roleRaw = index >= 0 ? raw[index] : undefined;
  const fields: MappedIdentity['fields'] = {};
  const problems: string[] = [];

  for (const field of VERIFIABLE_FIELDS) {
    const path = provider.claims[field];
    if (!path) continue;
    const parts = path.split('.');
    const value = scalar(parts[0] === 'role' && parts.length > 1 ? at(roleRaw, parts.slice(1)) : at(claims, parts));
    if (value === undefined) {
      problems.push(`${field}: the sign-in did not give "${path}"`);
      continue;
    }
    const parsed = FIELD_SCHEMAS[field].safeParse(value);
    if (!parsed.success || parsed.data === undefined) {
      problems.push(`${field}: the value of "${path}" is not usable`);
      continue;
    }
    fields[field] = parsed.data;
  }

  const partnerUserIds: Record<string, string> = {};
  for (const [partnerId, source] of Object.entries(provider.partnerUserIds)) {
    const value = 'claim' in source ? scalar(at(claims, source.claim.split('.'))) : lookup(source.table, fields[source.key]);
    if (value) partnerUserIds[partnerId] = value;
    else problems.push(`${partnerId}: no user id for this clinician ${'claim' in source ? `in "${source.claim}"` : `in the table by ${source.key}`}`);
  }
  return { fields, partnerUserIds, roles, ...(role ? { role } : {}), problems };
}

function lookup(table: Record<string, string>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
