/**
 * Where partner calls and launches may go: https only, except http://127.0.0.1 in the sandbox build, which
 * runs against the built-in partner sandbox.
 */
export const LOOPBACK_HTTP_ALLOWED: boolean = typeof __SANDBOX_BUILD__ !== 'undefined' && __SANDBOX_BUILD__;

export function isSecureUrl(value: string, allowLoopback = LOOPBACK_HTTP_ALLOWED): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return allowLoopback && url.protocol === 'http:' && url.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/** An origin (scheme, host and port only, as the browser writes it) that passes the same rule. */
export function isSecureOrigin(value: string, allowLoopback = LOOPBACK_HTTP_ALLOWED): boolean {
  try {
    return isSecureUrl(value, allowLoopback) && new URL(value).origin === value;
  } catch {
    return false;
  }
}
