import { BROKER_KINDS } from '../../src/shared/config';
import { SANDBOX_SECRETS, sandboxExtensionConfig, sandboxIdentity, type SandboxUrls } from './extension-config';

/**
 * The launch broker set up against a running sandbox: the sandbox's Parchment, PHPKB and Black Pear, the
 * CIS2-like organisation provider, and the partner secrets in the environment, as an operator would give them.
 */
export function sandboxBrokerDocument(urls: SandboxUrls, extra: Record<string, unknown> = {}) {
  return {
    partners: sandboxExtensionConfig(urls).partners.filter((partner) => BROKER_KINDS.includes(partner.kind)),
    identity: { provider: sandboxIdentity(urls).provider },
    ...extra,
  };
}

export function sandboxBrokerEnv(urls: SandboxUrls, options: { document?: Record<string, unknown>; port?: number } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    BROKER_CONFIG_JSON: JSON.stringify({ ...sandboxBrokerDocument(urls), ...options.document }),
    BROKER_HOST: '127.0.0.1',
    BROKER_PORT: String(options.port ?? 0),
    BROKER_ALLOW_LOOPBACK: '1',
    BROKER_LOG_LEVEL: 'info',
  };
  for (const secret of SANDBOX_SECRETS) env[`BROKER_SECRET_${secret.partnerId.replace(/-/g, '_').toUpperCase()}_${secret.name.toUpperCase()}`] = secret.value;
  return env;
}
