import { rm } from 'node:fs/promises';
import { startSandbox } from '../sandbox/server';

/** Starts the partner sandbox once for the run; workers find its addresses in SANDBOX_URLS. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // A policy file left by an interrupted run would change every browser this run starts.
  for (const name of ['ehr-launchpad-e2e-secrets.json', 'ehr-launchpad-e2e-config.json']) {
    await rm(`/etc/chromium/policies/managed/${name}`, { force: true }).catch(() => undefined);
  }
  const sandbox = await startSandbox({ quiet: true });
  process.env.SANDBOX_URLS = JSON.stringify(sandbox.urls);
  return () => sandbox.close();
}
