import { auditBundle, auditCsv } from '../shared/audit';
import { createKeyRing } from './keys/key-ring';
import { readSettings } from './settings';
import { openStore, type BrokerStore } from './store/store';

const USAGE = 'usage: broker:admin enrol <installation id> <label> | audit [--fhir] [limit] | rotate-key <ES256|RS256>';

async function withStore<T>(env: NodeJS.ProcessEnv, run: (store: BrokerStore) => Promise<T>): Promise<T> {
  const store = await openStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), ...(env.BROKER_DATA_DIR ? { dataDir: env.BROKER_DATA_DIR } : {}) });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** Runs one command; answers the process exit code. */
export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  if (!env.DATABASE_URL && !env.BROKER_DATA_DIR) {
    print('Set DATABASE_URL (or BROKER_DATA_DIR): an in-memory broker has nothing to administer.');
    return 2;
  }
  if (command === 'enrol') {
    const [id, ...label] = rest;
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id) || label.length === 0) {
      print('enrol needs the installation id (43 characters, from the options page) and a label, e.g. "Ward 7 PC 12".');
      return 2;
    }
    await withStore(env, (store) => store.enrol(id, label.join(' ').slice(0, 200)));
    print(`Enrolled ${id}.`);
    return 0;
  }
  if (command === 'audit') {
    const fhir = rest.includes('--fhir');
    const limit = Math.min(10_000, Math.max(1, Number(rest.find((arg) => /^\d+$/.test(arg)) ?? 100)));
    const entries = await withStore(env, (store) => store.listAudit({ limit }));
    print(fhir ? JSON.stringify(auditBundle(entries, { observer: 'EHR Launchpad launch broker' }, { id: crypto.randomUUID(), now: new Date() }), null, 2) : auditCsv(entries).trimEnd());
    return 0;
  }
  if (command === 'rotate-key') {
    const alg = rest[0];
    if (alg !== 'ES256' && alg !== 'RS256') {
      print('rotate-key needs ES256 or RS256.');
      return 2;
    }
    const settings = await readSettings(env);
    if (settings.ephemeralKek) {
      print('Set BROKER_KEK: a key sealed with a key for this command only could never be used by the broker.');
      return 2;
    }
    const kid = await withStore(env, (store) =>
      createKeyRing({ store, kek: settings.kek, now: Date.now, rotateAfterDays: settings.document.keys.rotateAfterDays, overlapHours: settings.document.keys.overlapHours, refreshMs: 0 }).rotate(alg),
    );
    print(`New ${alg} signing key ${kid}; the previous one stays published for ${settings.document.keys.overlapHours} hours.`);
    return 0;
  }
  print(USAGE);
  return 2;
}
