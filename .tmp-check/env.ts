import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startSandbox } from '../tests/sandbox/server';
import { sandboxBrokerEnv } from '../tests/sandbox/broker-config';
const sandbox = await startSandbox({ quiet: true });
const env = { ...sandboxBrokerEnv(sandbox.urls, {}), BROKER_KEK: randomBytes(32).toString('base64url'), BROKER_PORT: '18999', PORT: '18999' };
writeFileSync('/tmp/broker-env.json', JSON.stringify(env));
console.log('ready');
setTimeout(() => { void sandbox.close(); }, 90_000);
