import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { connectorFor } from '../connectors/registry';
import { BROKER_KINDS, describeConfigErrors, partnerConfigSchema, type PartnerConfig } from '../shared/config';
import { addressProblem } from '../shared/address-rules';
import { orgIdpSchema } from '../shared/identity/idp-config';

/**
 * The broker's settings: one JSON document (what it launches and whom it trusts) and the environment (where
 * it listens, its database, and every secret). Secrets never sit in the document or the database: they come
 * from environment variables or from files in a secrets directory (container-secret style).
 */

export const brokerDocumentSchema = z
  .strictObject({
  /** The partners this broker launches (the same entries as the extension's configuration). */
  partners: z.array(partnerConfigSchema).min(1).max(20),
  /** The organisation's identity provider: access tokens are checked against it. */
  identity: z.strictObject({
    provider: orgIdpSchema,
    /** A JWT access token for this audience is verified locally; other tokens at the provider's userinfo. */
    audience: z.string().trim().min(1).max(300).optional(),
  }),
  /** `required`: only installations whose DPoP key is enrolled may launch. */
  enrolment: z.enum(['open', 'required']).default('open'),
  rateLimits: z
    .strictObject({
      perClinicianPerMinute: z.number().int().min(1).max(100_000).default(60),
      perInstallationPerMinute: z.number().int().min(1).max(100_000).default(120),
      /** Access tokens from one client address that fail their check, a minute, before the provider is no longer asked about that address's new tokens. */
      failedChecksPerAddressPerMinute: z.number().int().min(1).max(100_000).default(30),
    })
    .default({ perClinicianPerMinute: 60, perInstallationPerMinute: 120, failedChecksPerAddressPerMinute: 30 }),
  keys: z
    .strictObject({
      /** A signing key this old is replaced by its successor. */
      rotateAfterDays: z.number().min(1).max(3650).default(90),
      /**
       * A successor is in the JWKS this long before it signs (so partners have it first), and a replaced key this long
       * after (so partners that cached it still accept tokens it signed).
       */
      overlapHours: z.number().min(1).max(24 * 90).default(72),
    })
    .default({ rotateAfterDays: 90, overlapHours: 72 }),
  })
  .superRefine((document, ctx) => {
    const seen = new Set<string>();
    document.partners.forEach((partner, index) => {
      if (seen.has(partner.id)) ctx.addIssue({ code: 'custom', path: ['partners', index, 'id'], message: `"${partner.id}" is used by two partners` });
      seen.add(partner.id);
    });
  });
export type BrokerDocument = z.infer<typeof brokerDocumentSchema>;

export interface BrokerSettings {
  document: BrokerDocument;
  host: string;
  port: number;
  /** The URL clients use (DPoP htu is checked against it), without a trailing slash. */
  publicUrl: string;
  databaseUrl?: string;
  /** PostgreSQL connections per instance (BROKER_DB_POOL_SIZE, default 10). */
  dbPoolSize?: number;
  dataDir?: string;
  /** AES-GCM key-encryption key for the broker's signing keys (32 bytes). */
  kek: Uint8Array;
  /** True when no key-encryption key was given: a fresh one for this process only (development). */
  ephemeralKek: boolean;
  /** The key-encryption key being rotated out (BROKER_KEK_PREVIOUS): keys sealed under it still open. */
  previousKek?: Uint8Array;
  /** Per partner id, its secrets by name. */
  secrets: Record<string, Record<string, string>>;
  logLevel: string;
  /** Fastify's trustProxy: false (default), true, or the proxies' addresses (BROKER_TRUST_PROXY). */
  trustProxy: boolean | string;
  /** Where each audit entry is POSTed as a FHIR AuditEvent (BROKER_AUDIT_FORWARD_URL); absent: not forwarded. */
  auditForward?: AuditForwardSettings;
}

export interface AuditForwardSettings {
  url: string;
  /** Sent as `Authorization: Bearer <token>` (BROKER_AUDIT_FORWARD_TOKEN, or the file audit-forward/token). */
  token?: string;
}

export class SettingsError extends Error {}

function envName(partnerId: string, name: string): string {
  return `BROKER_SECRET_${partnerId.replace(/-/g, '_').toUpperCase()}_${name.toUpperCase()}`;
}

async function readSecret(env: NodeJS.ProcessEnv, dir: string | undefined, partnerId: string, name: string): Promise<string | undefined> {
  const fromEnv = env[envName(partnerId, name)];
  if (fromEnv) return fromEnv;
  if (!dir) return undefined;
  try {
    return (await readFile(join(dir, partnerId, name), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

function partnerProblems(partners: PartnerConfig[]): string[] {
  return partners.filter((p) => !BROKER_KINDS.includes(p.kind)).map((p) => `partners: ${p.id} (${p.kind}) signs the clinician in on the desktop and cannot run in the broker`);
}

export async function readSettings(env: NodeJS.ProcessEnv = process.env): Promise<BrokerSettings> {
  const raw = env.BROKER_CONFIG_JSON ?? (env.BROKER_CONFIG ? await readFile(env.BROKER_CONFIG, 'utf8') : undefined);
  if (!raw) throw new SettingsError('Set BROKER_CONFIG (a JSON file) or BROKER_CONFIG_JSON: the partners and the identity provider.');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new SettingsError('The broker configuration is not valid JSON.');
  }
  const parsed = brokerDocumentSchema.safeParse(json);
  if (!parsed.success) throw new SettingsError(`The broker configuration is not valid:\n${describeConfigErrors(parsed.error).join('\n')}`);
  const problems = partnerProblems(parsed.data.partners);
  if (problems.length > 0) throw new SettingsError(problems.join('\n'));

  const secrets: BrokerSettings['secrets'] = {};
  const missing: string[] = [];
  for (const partner of parsed.data.partners) {
    const connector = connectorFor(partner.kind)!;
    secrets[partner.id] = {};
    for (const name of connector.secretNames) {
      const value = await readSecret(env, env.BROKER_SECRETS_DIR, partner.id, name);
      if (value) secrets[partner.id]![name] = value;
      else missing.push(`${partner.id}.${name} (${envName(partner.id, name)} or ${env.BROKER_SECRETS_DIR ? join(env.BROKER_SECRETS_DIR, partner.id, name) : 'BROKER_SECRETS_DIR/<partner>/<name>'})`);
    }
  }
  if (missing.length > 0) throw new SettingsError(`Missing partner secrets: ${missing.join(', ')}`);

  const port = Number(env.BROKER_PORT ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError('BROKER_PORT must be a port number.');
  const host = env.BROKER_HOST ?? '127.0.0.1';
  const { kek, ephemeralKek, previousKek } = readKeks(env);
  const auditForward = await readAuditForward(env);
  return {
    document: parsed.data,
    host,
    port,
    publicUrl: (env.BROKER_PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, ''),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.BROKER_DB_POOL_SIZE ? { dbPoolSize: poolSize(env.BROKER_DB_POOL_SIZE) } : {}),
    ...(env.BROKER_DATA_DIR ? { dataDir: env.BROKER_DATA_DIR } : {}),
    kek,
    ephemeralKek,
    ...(previousKek ? { previousKek } : {}),
    secrets,
    logLevel: env.BROKER_LOG_LEVEL ?? 'info',
    trustProxy: env.BROKER_TRUST_PROXY === undefined || env.BROKER_TRUST_PROXY === '' ? false : env.BROKER_TRUST_PROXY === 'true' ? true : env.BROKER_TRUST_PROXY,
    ...(auditForward ? { auditForward } : {}),
  };
}

/** A token is a header value: one line of visible ASCII (RFC 6750's b64token and the like). */
const HEADER_TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * Audit forwarding: the endpoint under the same address rules as partners (https, or http://127.0.0.1 where
 * loopback is allowed), and its optional bearer token from the environment or the secrets directory. Errors
 * name the variable or file, never a value.
 */
export async function readAuditForward(env: NodeJS.ProcessEnv): Promise<AuditForwardSettings | undefined> {
  const url = env.BROKER_AUDIT_FORWARD_URL?.trim();
  if (!url) {
    // A token with nowhere to go is a half-done setup: say so rather than forward nothing silently.
    if (env.BROKER_AUDIT_FORWARD_TOKEN) throw new SettingsError('BROKER_AUDIT_FORWARD_TOKEN is set without BROKER_AUDIT_FORWARD_URL: set the endpoint too, or remove the token.');
    return undefined;
  }
  const problem = addressProblem(url, 'url');
  if (problem) throw new SettingsError(`BROKER_AUDIT_FORWARD_URL ${problem}.`);
  const fromEnv = env.BROKER_AUDIT_FORWARD_TOKEN?.trim();
  let token = fromEnv || undefined;
  let source = 'BROKER_AUDIT_FORWARD_TOKEN';
  if (!token && env.BROKER_SECRETS_DIR) {
    source = join(env.BROKER_SECRETS_DIR, 'audit-forward', 'token');
    // No file: no token. A file that cannot be read is refused: forwarding without its token would only be refused.
    const text = await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw new SettingsError(`${source} cannot be read (${error.code ?? 'error'}).`);
    });
    token = text.trim() || undefined;
  }
  if (token !== undefined && !HEADER_TOKEN.test(token)) throw new SettingsError(`${source} must be one line of visible characters (no spaces), as sent after "Bearer ".`);
  return { url, ...(token ? { token } : {}) };
}

/**
 * The key-encryption keys: BROKER_KEK, and BROKER_KEK_PREVIOUS while it is being replaced. Without either and
 * with nothing kept (no database), a fresh key for this process only.
 */
export function readKeks(env: NodeJS.ProcessEnv): { kek: Uint8Array; ephemeralKek: boolean; previousKek?: Uint8Array } {
  if (env.BROKER_KEK) {
    const kek = kekFrom('BROKER_KEK', env.BROKER_KEK);
    if (!env.BROKER_KEK_PREVIOUS) return { kek, ephemeralKek: false };
    const previousKek = kekFrom('BROKER_KEK_PREVIOUS', env.BROKER_KEK_PREVIOUS);
    // The same key twice is a rotation that did not happen: most likely the new key was pasted in both.
    if (Buffer.from(previousKek).equals(Buffer.from(kek))) throw new SettingsError('BROKER_KEK_PREVIOUS is the same key as BROKER_KEK: set BROKER_KEK to the new key and BROKER_KEK_PREVIOUS to the one it replaces.');
    return { kek, ephemeralKek: false, previousKek };
  }
  if (env.BROKER_KEK_PREVIOUS) throw new SettingsError('BROKER_KEK_PREVIOUS is set without BROKER_KEK: set BROKER_KEK to the new key-encryption key.');
  // Keys kept in a database outlive the process: sealed with a key for this process only, they could never be
  // opened again.
  if (env.DATABASE_URL || env.BROKER_DATA_DIR) throw new SettingsError('BROKER_KEK is required with DATABASE_URL or BROKER_DATA_DIR (32 random bytes, base64url).');
  return { kek: crypto.getRandomValues(new Uint8Array(32)), ephemeralKek: true };
}

/** A key-encryption key from the environment; the error names the variable, never its value. */
function kekFrom(name: string, value: string): Uint8Array {
  const key = Buffer.from(value, 'base64url');
  if (key.length !== 32) throw new SettingsError(`${name} must be 32 bytes, base64url encoded (for example: openssl rand -base64 32 | tr "+/" "-_" | tr -d "=").`);
  return new Uint8Array(key);
}

function poolSize(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 200) throw new SettingsError('BROKER_DB_POOL_SIZE must be a whole number from 1 to 200.');
  return size;
}

