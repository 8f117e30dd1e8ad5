/**
 * Client addresses whose access tokens keep failing: once an address's failed checks in a minute reach the limit
 * (counted in the database, so across instances), this instance stops asking the identity provider about that
 * address's tokens it does not know until the minute ends. Without it, anyone could make the broker call the
 * provider's userinfo once per made-up token. Tokens the instance already verified still work. Memory is bounded:
 * with the map full of live entries, the provider is asked again (the shared count still grows and is logged).
 */
export class FailedChecks {
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly maxAddresses = 10_000) {}

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
