import { z } from 'zod';
import { addressProblem, type AddressKind } from './address-rules';
import { isSecureUrl, LOOPBACK_HTTP_ALLOWED } from './secure-url';

export { isSecureUrl, LOOPBACK_HTTP_ALLOWED };

/**
 * One check per address, with the message for what is actually wrong. One check rather than a chain of
 * refines: zod runs every refine even after one failed, so a later `new URL` would throw on a schemeless host.
 */
function checkedAddress(kind: AddressKind) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = addressProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

/** A partner base URL such as https://api.example.org/external (no query, no fragment, no trailing slash). */
export const partnerUrlSchema = z
  .string()
  .trim()
  .superRefine(checkedAddress('url'))
  .transform((value) => value.replace(/\/+$/, ''));

/** An origin such as https://portal.example.org: scheme, host and port only, no wildcard. */
export const originSchema = z
  .string()
  .trim()
  .superRefine(checkedAddress('origin'))
  .transform((value) => new URL(value).origin);
