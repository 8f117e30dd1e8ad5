import { createAuditForwarder, type AuditForwarder } from './audit-forwarder';
import { createAuditForwardMetrics } from './metrics';
import { buildBroker } from './server';
import { readSettings, SettingsError } from './settings';
import { openStore, type BrokerStore } from './store/store';

const SWEEP_MS = 60_000;

export interface RunningBroker {
  url: string;
  stop(): Promise<void>;
}

/** Starts one broker (its store, its server); answers its URL and a function that stops it. */
export async function startBroker(env: NodeJS.ProcessEnv, options: { exitOnSignal?: boolean } = { exitOnSignal: true }): Promise<RunningBroker> {
  let settings;
  try {
    settings = await readSettings(env);
  } catch (error) {
    if (error instanceof SettingsError && options.exitOnSignal) {
      console.error(`EHR Launchpad broker: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const store = await openStore({
    ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
    ...(settings.dbPoolSize ? { poolSize: settings.dbPoolSize } : {}),
    ...(settings.dataDir ? { dataDir: settings.dataDir } : {}),
    ...(settings.auditForward ? { forwardAudit: true } : {}),
  });
  let forwarder: AuditForwarder | undefined;
  // A launch's audit entry asks for a forwarding round soon, rather than at the next interval.
  const served: BrokerStore = settings.auditForward
    ? {
        ...store,
        async appendAudit(entry) {
          const appended = await store.appendAudit(entry);
          forwarder?.nudge();
          return appended;
        },
      }
    : store;
  const forwardMetrics = settings.auditForward ? createAuditForwardMetrics(() => store.outboxSize()) : undefined;
  let app;
  try {
    app = await buildBroker({ settings, store: served, ...(forwardMetrics ? { moreMetrics: [forwardMetrics.registry] } : {}) });
  } catch (error) {
    await store.close();
    if (error instanceof SettingsError && options.exitOnSignal) {
      console.error(`EHR Launchpad broker: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (settings.ephemeralKek) app.log.warn('BROKER_KEK is not set: signing keys are sealed with a key for this process only and cannot be read after a restart');
  if (!settings.databaseUrl && !settings.dataDir) app.log.warn('no DATABASE_URL or BROKER_DATA_DIR: the audit trail and keys are in memory and end with this process');
  if (settings.auditForward) {
    forwarder = createAuditForwarder({
      store,
      url: settings.auditForward.url,
      ...(settings.auditForward.token ? { token: settings.auditForward.token } : {}),
      log: app.log.child({ component: 'audit-forward' }),
      ...(forwardMetrics ? { metrics: forwardMetrics } : {}),
    });
  }
  const sweep = setInterval(() => void store.sweep(Date.now()).catch(() => undefined), SWEEP_MS);
  sweep.unref();
  const address = await app.listen({ host: settings.host, port: settings.port });
  forwarder?.start();
  // Port 0 (tests, the sandbox): the URL clients use is known only now.
  if (!env.BROKER_PUBLIC_URL) settings.publicUrl = address.replace(/\/+$/, '');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(sweep);
      await app.close();
      // After the server (no new entries), before the store: a batch under way gives its rows back first.
      await forwarder?.stop();
      await store.close();
    })());
  if (options.exitOnSignal) for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));
  return { url: settings.publicUrl, stop };
}
