/**
 * The broker's store: the one place its state lives (audit trail, DPoP replay cache, rate-limit counters,
 * enrolled installations, its own signing keys). Two backends share the same SQL (./sql-store): PGlite in the
 * process by default (in memory, or a directory for a single instance that keeps its state), and PostgreSQL when
 * a `DATABASE_URL` is given (several instances sharing one database). The schema is migrated at open.
 */
import type { AuditEntry, StoredAuditEntry } from '../../shared/audit';
import { createSqlStore } from './sql-store';

export interface BrokerStore {
  /** Brings the schema up to date; safe to call again, and from several instances at once. */
  migrate(): Promise<void>;
  /**
   * Append-only audit; resolves only once durable. Entry = shared AuditEntry + id, plus `installation` (DPoP jkt).
   * With audit forwarding on (`forwardAudit`), the entry is queued for forwarding in the same statement.
   */
  appendAudit(entry: AuditEntry & { installation?: string }): Promise<{ id: string }>;
  /**
   * Newest first (by `time`, then by order of appending). `before` is the id of an entry already listed: the
   * page continues with the entries listed after it. An id the store does not hold gives an empty page.
   */
  listAudit(options: { limit: number; before?: string }): Promise<(StoredAuditEntry & { installation?: string })[]>;
  /**
   * Forwarding: takes up to `limit` of the oldest entries waiting to be forwarded and gives them to `send`, which
   * answers the ids done with (stored by the endpoint, or refused for good): those leave the queue, the others
   * stay for a later try. If `send` throws, every entry stays. On PostgreSQL the batch's queue rows are locked
   * until then and other instances skip them, so no two instances send the same entry at once.
   */
  forwardBatch(limit: number, send: (entries: AuditBatchEntry[]) => Promise<readonly string[]>): Promise<{ taken: number; removed: number }>;
  /** How many entries wait to be forwarded. */
  outboxSize(): Promise<number>;
  /** DPoP replay: true if this jti was not seen before (records it until expiresAt); false = replay. */
  useJti(jti: string, expiresAt: number): Promise<boolean>;
  /** Fixed-window counter shared by all instances: returns the count after incrementing. */
  hit(key: string, windowStartMs: number, windowMs: number): Promise<number>;
  /**
   * `hit` for several keys in one statement (one round trip: a launch counts its clinician and its installation
   * together); the counts after incrementing, in the order of `keys`. A key given twice is counted once.
   */
  hitMany(keys: readonly string[], windowStartMs: number, windowMs: number): Promise<number[]>;
  /**
   * A request's admission in ONE statement (one round trip): spends the DPoP proof's jti (as useJti),
   * with `requireEnrolment` says whether the installation is enrolled, and counts the request against each rate key
   * (as hitMany), but only when the jti was fresh and the enrolment holds: a replayed or refused request is never
   * counted. `counts` follow the order of `keys`, and are empty when nothing was counted. Admissions arriving
   * while others are in flight may share one statement, each answered as it would have been alone.
   */
  admit(request: AdmitRequest): Promise<Admission>;
  /** Enrolled installations (DPoP key thumbprints); `required` mode refuses others. */
  isEnrolled(jkt: string): Promise<boolean>;
  /** Enrols an installation; enrolling it again changes its label and keeps its first enrolment time. */
  enrol(jkt: string, label: string): Promise<void>;
  /** Every enrolled installation, oldest enrolment first, with its newest audited launch when there is one. */
  listEnrolments(): Promise<Enrolment[]>;
  /** Withdraws an enrolment; false when the installation was not enrolled. */
  unenrol(jkt: string): Promise<boolean>;
  /** Signing keys, private part encrypted (never plain); newest first. */
  listKeys(): Promise<StoredKey[]>;
  /** Adds a key; a kid already stored is refused. */
  addKey(key: StoredKey): Promise<void>;
  /** Sets a key's retirement time; an unknown kid is refused. */
  retireKey(kid: string, retiredAt: number): Promise<void>;
  /** Replaces a key's sealed private part (sealed again under another key-encryption key); an unknown kid is refused. */
  resealKey(kid: string, sealedPrivate: StoredKey['sealedPrivate']): Promise<void>;
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  /** Closes the connection (pool); calling it again does nothing. */
  close(): Promise<void>;
  /** Removes expired jti rows and counters whose window has ended (called periodically). */
  sweep(now: number): Promise<void>;
}

export type AuditBatchEntry = StoredAuditEntry & { installation?: string };

export interface AdmitRequest {
  jti: string;
  /** Epoch ms: how long the jti is remembered. */
  jtiExpiresAt: number;
  /** The installation id (the proof key's thumbprint). */
  installation: string;
  requireEnrolment: boolean;
  /** Rate keys to count (none: only the jti and the enrolment). */
  keys: readonly string[];
  windowStartMs: number;
  windowMs: number;
}

export interface Admission {
  /** The jti was not seen before (false: a replay). */
  fresh: boolean;
  /** The installation is enrolled; only read when `requireEnrolment` (false otherwise, and after a replay). */
  enrolled: boolean;
  /** The counts after incrementing, in the order of `keys`; empty when not counted. */
  counts: number[];
}

export interface Enrolment {
  /** The installation id: its DPoP key's thumbprint. */
  installation: string;
  label: string;
  /** ISO 8601, UTC. */
  enrolledAt: string;
  /** ISO 8601, UTC: the time of its newest launch in the audit trail (whatever the outcome); absent if none. */
  lastUsedAt?: string;
}

export interface StoredKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  publicJwk: JsonWebKey;
  /** The private JWK, sealed with AES-GCM under the key-encryption key (base64url iv and ciphertext). */
  sealedPrivate: { iv: string; data: string };
  /** Milliseconds since the epoch. */
  createdAt: number;
  retiredAt: number | null;
}

export interface OpenStoreOptions {
  /** PostgreSQL connection string; when absent the store is PGlite. */
  databaseUrl?: string;
  /** PGlite's data directory; when absent (and no databaseUrl) the store is in memory. */
  dataDir?: string;
  /** PostgreSQL schema to use (search_path); the database's default when absent. */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL statement timeout in milliseconds (default 10 000). */
  statementTimeoutMs?: number;
  /** Migrate at open (default true). */
  migrate?: boolean;
  /** Queue each audit entry for forwarding (BROKER_AUDIT_FORWARD_URL is set); default false. */
  forwardAudit?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<BrokerStore> {
  // Each backend's module is loaded only when chosen: PGlite carries a WebAssembly build of PostgreSQL.
  const client = options.databaseUrl
    ? (await import('./pg-client')).createPgClient({
        databaseUrl: options.databaseUrl,
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
        ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
        ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
      })
    : await (await import('./pglite-client')).createPgliteClient(options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
  const store = createSqlStore(client, options.forwardAudit ? { forwardAudit: true } : {});
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }
  return store;
}
