import { z } from 'zod';
import { isSecureUrl, LOOPBACK_HTTP_ALLOWED } from './secure-url';

export { isSecureUrl, LOOPBACK_HTTP_ALLOWED };

const httpsMessage = LOOPBACK_HTTP_ALLOWED
  ? 'must be an https:// address (or http://127.0.0.1 in the sandbox build)'
  : 'must be an https:// address';

/** A partner base URL such as https://api.example.org/external (no query, no fragment, no trailing slash). */
export const partnerUrlSchema = z
  .string()
  .trim()
  .refine((value) => isSecureUrl(value), { message: httpsMessage })
  .refine((value) => !value.includes('?') && !value.includes('#'), { message: 'must not have a ?query or #fragment' })
  .transform((value) => value.replace(/\/+$/, ''));

/** An origin such as https://portal.example.org: scheme, host and port only. */
export const originSchema = z
  .string()
  .trim()
  .refine((value) => isSecureUrl(value), { message: httpsMessage })
  .refine(
    (value) => {
      const url = new URL(value);
      return url.pathname === '/' && !url.search && !url.hash;
    },
    { message: 'must be an origin only, like https://host.example.org (no path)' },
  )
  .transform((value) => new URL(value).origin);
