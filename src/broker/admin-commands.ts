import { auditBundle, auditCsv } from '../shared/audit';
import { createKeyRing, KeyRingError, rewrapKeys } from './keys/key-ring';
import { readKeks, readSettings, SettingsError } from './settings';
import { openStore, type BrokerStore, type Enrolment } from './store/store';
import { BROKER_AUDIT_SOURCE } from './audit-forwarder';

const USAGE =
  'usage: broker:admin enrol <installation id> <label> | enrolments [--json] | unenrol <installation id> | audit [--fhir] [limit] | rotate-key <ES256|RS256> | rewrap-keys';

/** An installation id: the RFC 7638 thumbprint (SHA-256, base64url) the options page shows. */
const INSTALLATION_ID = /^[A-Za-z0-9_-]{43}$/;

async function withStore<T>(env: NodeJS.ProcessEnv, run: (store: BrokerStore) => Promise<T>): Promise<T> {
  const store = await openStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), ...(env.BROKER_DATA_DIR ? { dataDir: env.BROKER_DATA_DIR } : {}) });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** A label as typed by an administrator, made safe for a terminal (no control characters). */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

function enrolmentTable(enrolments: Enrolment[]): string {
  const rows = [
    ['installation id', 'label', 'enrolled', 'last launch'],
    ...enrolments.map((e) => [e.installation, printable(e.label), e.enrolledAt, e.lastUsedAt ?? 'never']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

/** Runs one command; answers the process exit code. */
export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  if (!env.DATABASE_URL && !env.BROKER_DATA_DIR) {
    print('Set DATABASE_URL (or BROKER_DATA_DIR): an in-memory broker has nothing to administer.');
    return 2;
  }
  try {
    return await run(args, env, print);
  } catch (error) {
    // Both say what to fix and carry no key material.
    if (error instanceof SettingsError) {
      print(error.message);
      return 2;
    }
    if (error instanceof KeyRingError) {
      print(error.message);
      return 1;
    }
    throw error;
  }
}

async function run(args: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'enrol') {
    const [id, ...label] = rest;
    if (!id || !INSTALLATION_ID.test(id) || label.length === 0) {
      print('enrol needs the installation id (43 characters, from the options page) and a label, e.g. "Ward 7 PC 12".');
      return 2;
    }
    await withStore(env, (store) => store.enrol(id, label.join(' ').slice(0, 200)));
    print(`Enrolled ${id}.`);
    return 0;
  }
  if (command === 'enrolments') {
    if (rest.some((arg) => arg !== '--json')) {
      print('usage: broker:admin enrolments [--json]');
      return 2;
    }
    const enrolments = await withStore(env, (store) => store.listEnrolments());
    if (rest.includes('--json')) print(JSON.stringify(enrolments, null, 2));
    else print(enrolments.length === 0 ? 'No installation is enrolled.' : enrolmentTable(enrolments));
    return 0;
  }
  if (command === 'unenrol') {
    const [id, ...extra] = rest;
    if (!id || !INSTALLATION_ID.test(id) || extra.length > 0) {
      print('unenrol needs one installation id (43 characters, as `enrolments` lists it).');
      return 2;
    }
    const removed = await withStore(env, (store) => store.unenrol(id));
    if (!removed) {
      print(`${id} is not enrolled: nothing was changed (\`enrolments\` lists the enrolled installations).`);
      return 1;
    }
    print(`Unenrolled ${id}: with enrolment required, every broker instance refuses its next launch.`);
    return 0;
  }
  if (command === 'audit') {
    const fhir = rest.includes('--fhir');
    const limit = Math.min(10_000, Math.max(1, Number(rest.find((arg) => /^\d+$/.test(arg)) ?? 100)));
    const entries = await withStore(env, (store) => store.listAudit({ limit }));
    print(fhir ? JSON.stringify(auditBundle(entries, BROKER_AUDIT_SOURCE, { id: crypto.randomUUID(), now: new Date() }), null, 2) : auditCsv(entries, { installationColumn: true }).trimEnd());
    return 0;
  }
  if (command === 'rotate-key') {
    const alg = rest[0];
    if (alg !== 'ES256' && alg !== 'RS256') {
      print('rotate-key needs ES256 or RS256.');
      return 2;
    }
    const settings = await readSettings(env);
    const kid = await withStore(env, (store) =>
      createKeyRing({ store, kek: settings.kek, now: Date.now, rotateAfterDays: settings.document.keys.rotateAfterDays, overlapHours: settings.document.keys.overlapHours, refreshMs: 0 }).rotate(alg),
    );
    print(`New ${alg} signing key ${kid}: it signs from now on (running brokers within a minute); the previous one stays published for ${settings.document.keys.overlapHours} hours.`);
    return 0;
  }
  if (command === 'rewrap-keys') {
    if (rest.length > 0) {
      print('usage: broker:admin rewrap-keys (with BROKER_KEK, and BROKER_KEK_PREVIOUS while rotating it)');
      return 2;
    }
    // Only the key-encryption keys are needed: sealing again neither makes, retires nor publishes a key.
    const { kek, previousKek } = readKeks(env);
    const { resealed, alreadyCurrent } = await withStore(env, (store) => rewrapKeys({ store, kek, ...(previousKek ? { previousKek } : {}) }));
    if (resealed + alreadyCurrent === 0) {
      print('There are no signing keys in the database: nothing to seal.');
      return 0;
    }
    print(
      `Sealed ${resealed} signing key${resealed === 1 ? '' : 's'} again under BROKER_KEK; ${alreadyCurrent} already ${alreadyCurrent === 1 ? 'was' : 'were'}.` +
        (previousKek ? ' Once every instance runs with this BROKER_KEK, remove BROKER_KEK_PREVIOUS from each.' : ''),
    );
    return 0;
  }
  print(USAGE);
  return 2;
}
