import { randomBytes } from 'node:crypto';

/**
 * PKB's one-time passwords (single use, short-lived) and the check of otp.action's redirect_uri, which the seed
 * limits to relative URLs.
 */

interface OtpRecord {
  accountId: string;
  expiresAt: number;
}

export type OtpOutcome = { ok: true; accountId: string } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export class OtpLedger {
  private readonly live = new Map<string, OtpRecord>();

  /** 32 random bytes, base64url: 43 URL-safe characters that need no encoding in otp.action's query. */
  mint(accountId: string, ttlSeconds: number): string {
    const otp = randomBytes(32).toString('base64url');
    this.live.set(otp, { accountId, expiresAt: Date.now() + ttlSeconds * 1000 });
    return otp;
  }

  /** Takes the OTP out of the ledger before anything else is checked: whatever the outcome, it is spent. */
  burn(otp: string | null): OtpOutcome {
    if (otp === null || otp === '') return { ok: false, reason: 'missing' };
    const record = this.live.get(otp);
    if (!record) return { ok: false, reason: 'unknown' };
    this.live.delete(otp);
    if (record.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, accountId: record.accountId };
  }

  clear(): void {
    this.live.clear();
  }
}

/** Enough rounds for any honest value; more layers of encoding than this is itself suspicious. */
const MAX_DECODE_ROUNDS = 8;
// C0 and C1 control characters, DEL included.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function layerProblem(layer: string): string | undefined {
  if (CONTROL.test(layer)) return 'it contains control characters';
  if (!layer.startsWith('/')) return 'it must start with "/"';
  if (layer.startsWith('//')) return 'it must not start with "//"';
  if (layer.includes('\\')) return 'it must not contain a backslash';
  // No colon at all, so no scheme (javascript:, http:, data:) can hide anywhere in the value.
  if (layer.includes(':')) return 'it must not contain a scheme (":")';
  return undefined;
}

/**
 * Why a redirect_uri (as received, i.e. URL-decoded once) is not an acceptable relative URL, or undefined when it
 * is. Every layer of percent-decoding is checked until the value is stable, so %2F%2Fevil and %252F%252Fevil
 * are refused like //evil: some browser or proxy along the way might decode them.
 */
export function relativeRedirectProblem(value: string): string | undefined {
  let layer = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    const problem = layerProblem(layer);
    if (problem) return problem;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return 'it contains a malformed percent-encoding';
    }
    if (decoded === layer) return undefined;
    layer = decoded;
  }
  return 'it is percent-encoded too many times';
}

/**
 * The Location for an accepted redirect_uri: resolved against the server's own origin (a last guard: it must stay
 * there) and re-serialised, so the header holds only URL-safe characters.
 */
export function sameOriginLocation(value: string, origin: string): string | undefined {
  const target = new URL(value, origin);
  if (target.origin !== new URL(origin).origin) return undefined;
  return `${target.pathname}${target.search}${target.hash}`;
}
