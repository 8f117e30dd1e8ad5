/**
 * Client addresses whose access tokens keep failing: once an address's failed checks in a minute reach the limit
 * (counted in the database, so across instances), this instance stops asking the identity provider about that
 * address's tokens it does not know until the minute ends. Without it, anyone could make the broker call the
 * provider's userinfo once per made-up token. Tokens the instance already verified still work, and a token that
 * failed is refused at once for a minute without being counted again, so a clinician's revoked sign-in sent with
 * every prefetch does not use up the address's allowance by itself. Memory is bounded:
 * with the map full of live entries, the provider is asked again (the shared count still grows and is logged).
 */
export class FailedChecks {
  private readonly blockedUntil = new Map<string, number>();
  /** Tokens (by SHA-256) that failed here lately: sent again, they are refused at once and not counted again. */
  private readonly failedTokens = new Map<string, number>();

  constructor(private readonly maxAddresses = 10_000) {}

  /** True when this token failed its check here less than a minute ago. */
  failedLately(tokenHash: string, now: number): boolean {
    const until = this.failedTokens.get(tokenHash);
    if (until === undefined) return false;
    if (until > now) return true;
    this.failedTokens.delete(tokenHash);
    return false;
  }

  /** Remembers a failed token for a minute (a revoked sign-in sent again and again counts once a minute). */
  tokenFailed(tokenHash: string, now: number): void {
    if (this.failedTokens.size >= this.maxAddresses) {
      for (const [held, end] of this.failedTokens) if (end <= now) this.failedTokens.delete(held);
      if (this.failedTokens.size >= this.maxAddresses) return;
    }
    this.failedTokens.set(tokenHash, now + 60_000);
  }

  isBlocked(address: string, now: number): boolean {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return false;
    if (until > now) return true;
    this.blockedUntil.delete(address);
    return false;
  }

  block(address: string, until: number, now: number): void {
    if (this.blockedUntil.size >= this.maxAddresses) {
      for (const [held, end] of this.blockedUntil) if (end <= now) this.blockedUntil.delete(held);
      if (this.blockedUntil.size >= this.maxAddresses) return;
    }
    this.blockedUntil.set(address, until);
  }
}
