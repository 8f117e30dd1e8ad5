/**
 * `npm run broker`: the launch broker. Reads its settings from the environment (docs/broker.md), opens its
 * store (PostgreSQL with DATABASE_URL, else PGlite), migrates, listens, and closes cleanly on SIGTERM.
 * BROKER_ALLOW_LOOPBACK=1 (development and the sandbox only) lets partners and the provider be http://127.0.0.1.
 */
if (process.env.BROKER_ALLOW_LOOPBACK === '1') (globalThis as { __SANDBOX_BUILD__?: boolean }).__SANDBOX_BUILD__ = true;

const { startBroker } = await import('./start');
await startBroker(process.env);

export {};
