import { STAGED_CONFIG_PREFIX } from '../../shared/config-transfer';

/**
 * Every key the extension keeps in chrome.storage, and every IndexedDB database it opens, in one place: a
 * newcomer finds where a thing lives here, and two features cannot pick the same key by accident.
 * docs/architecture.md's storage table lists each one (storage-keys.test.ts checks both).
 * `key`: one value; `prefix`: one value per tab, partner, origin… (the suffix says which).
 */
export const storageKeys = {
  // storage.local: durable, closed to content scripts (storage-trust.ts).
  config: { area: 'local', key: 'config' },
  clinician: { area: 'local', key: 'clinician' },
  vault: { area: 'local', key: 'vault' },
  pairing: { area: 'local', prefix: 'pairing:' },
  barMinimised: { area: 'local', key: 'barMinimised' },
  identityAskForLogin: { area: 'local', key: 'identityAskForLogin' },
  /** Partner enrolments the administrator marked as sent (the options page's setup checklist). */
  setupAcknowledged: { area: 'local', key: 'setupAcknowledged' },
  /** Only read once, to move an older version's audit trail into IndexedDB. */
  legacyAudit: { area: 'local', key: 'audit' },
  // storage.session: memory only, gone when the browser closes; survives the worker being stopped.
  orgIdentity: { area: 'session', key: 'orgIdentity' },
  profileBuilder: { area: 'session', key: 'profileBuilder' },
  tab: { area: 'session', prefix: 'tab:' },
  frames: { area: 'session', prefix: 'frames:' },
  refusal: { area: 'session', prefix: 'refusal:' },
  clock: { area: 'session', prefix: 'clock:' },
  handoff: { area: 'session', prefix: 'handoff:' },
  partnerTab: { area: 'session', prefix: 'partnerTab:' },
  partnerSession: { area: 'session', prefix: 'partnerSession:' },
  accessToken: { area: 'session', prefix: 'accessToken:' },
  prefetch: { area: 'session', prefix: 'prefetch:' },
  /** Written by the options page (a configuration document too large for a message), taken by the worker. */
  configImport: { area: 'session', prefix: STAGED_CONFIG_PREFIX },
  // IndexedDB of the extension's origin (no content script can open it).
  auditDatabase: { area: 'indexeddb', database: 'ehr-launchpad-audit' },
  sealingKeyDatabase: { area: 'indexeddb', database: 'ehr-launchpad-keys' },
  signingKeyDatabase: { area: 'indexeddb', database: 'ehr-launchpad-installation-keys' },
} as const satisfies Record<string, { area: 'local' | 'session'; key: string } | { area: 'local' | 'session'; prefix: string } | { area: 'indexeddb'; database: string }>;
