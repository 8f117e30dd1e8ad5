import { startSandbox } from '../sandbox/server';

/** Starts the partner sandbox once for the Firefox run; specs find its addresses in SANDBOX_URLS. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const sandbox = await startSandbox({ quiet: true });
  process.env.SANDBOX_URLS = JSON.stringify(sandbox.urls);
  return () => sandbox.close();
}
