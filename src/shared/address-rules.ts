import { LOOPBACK_HTTP_ALLOWED } from './secure-url';

/**
 * What is wrong with an address in the configuration, in words for the administrator who typed it, or
 * undefined when it is fine. Never throws, whatever the text: the configuration parser must answer field
 * errors, and `new URL` throws on a host typed without its scheme. No value is quoted back (policy reports
 * must not echo what they read).
 *
 * An EHR site or partner origin is one exact place (scheme, host, port): the content script is registered
 * there and launches are checked against it, so a wildcard would either match hosts nobody meant or never
 * match at all. Kept free of zod: the content script's profile schema uses it too.
 */

const HTTPS_EXAMPLE = 'https://ehr.example-trust.nhs.uk';
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Letters, digits and dashes between dots, as a host name is once the browser has written it (punycode). */
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IPV6_HOST = /^\[[0-9a-f:.]+\]$/;

export type AddressKind = 'origin' | 'url';

export function addressProblem(value: string, kind: AddressKind, allowLoopback: boolean = LOOPBACK_HTTP_ALLOWED): string | undefined {
  const httpsOnly = allowLoopback ? 'must be an https:// address (or http://127.0.0.1 in the sandbox build)' : 'must be an https:// address';
  if (value === '') return `is empty: write the full address, starting with https:// (like ${HTTPS_EXAMPLE})`;
  if (value.includes('*') || /<all_urls>/i.test(value)) {
    return `must be one exact address, like ${HTTPS_EXAMPLE}: wildcards (*) and <all_urls> are not allowed, so list each site on its own`;
  }
  if (!HAS_SCHEME.test(value)) return `write the full address, starting with https:// (like ${HTTPS_EXAMPLE})`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a web address the browser can read: write it like ${HTTPS_EXAMPLE}`;
  }
  const loopback = allowLoopback && url.protocol === 'http:' && url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !loopback) return httpsOnly;
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.hostname.endsWith('.')) return 'must not end the host name with a dot';
  if (!HOST_NAME.test(url.hostname) && !IPV6_HOST.test(url.hostname)) return 'the host name may hold only letters, digits, dots and dashes';
  if (kind === 'origin' && (url.pathname !== '/' || url.search || url.hash || value.includes('?') || value.includes('#'))) {
    return 'must be an origin only, like https://host.example.org (no path)';
  }
  if (kind === 'url' && (value.includes('?') || value.includes('#'))) return 'must not have a ?query or #fragment';
  return undefined;
}
